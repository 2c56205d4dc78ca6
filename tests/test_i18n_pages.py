"""Every page a reader or an editor sees, in Russian, says nothing in English.

Each page is fetched with `Accept-Language: ru`; it fails on a marked string the catalogue
lacks and on visible English that is not marked as English data (tests/i18n.py). The
news is read first (the sample source), so the news page, search and the proposal review
have articles, mentions and proposals to show."""

import re
from html import unescape

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.i18n import ENGLISH_WORDS, english_words, latin_names, untranslated_lookups
from tracker.news.models import Article, ProposedUpdate
from tracker.news.services import poll_sources_now

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/?agency=roscosmos",
    "/missions/",
    "/missions/?status=planned",
    "/missions/soyuz-ms-22/",
    "/missions/soyuz-ms-23/",
    "/missions/spacex-crew-5/",
    "/missions/soyuz-ms-29/",
    "/missions/spacex-crew-13/",
    "/people/",
    "/people/?sort=days",
    "/people/francisco-rubio/",
    "/people/anna-kikina/",
    "/vehicles/",
    "/vehicles/soyuz-ms/",
    "/vehicles/crew-dragon/",
    "/expeditions/",
    "/agreement/",
    "/agreement/ledger/",
    "/timeline/",
    "/news/",
    "/search/?q=Rubio",
    "/search/?q=Кикина",
    "/search/?q=MS-22",
    "/search/?q=zzzz-nothing",
    "/no-such-page/",
]
# The regions htmx asks for alone: (URL, HX-Target).
FRAGMENTS = [
    ("/", "aboard-now"),
    ("/", "next-crossflight"),
    ("/", "crossflights"),
    ("/missions/", "missions-list"),
    ("/people/", "people-list"),
    ("/news/", "news-list"),
    ("/search/?q=Rubio", "search-results"),
    ("/search/?q=Rubio", "search-suggestions"),
]
SVG_PAGES = ["/timeline.svg"]


@pytest.fixture
def newsroom(db):
    poll_sources_now(name="Sample news (offline)")
    assert Article.objects.exists() and ProposedUpdate.objects.exists()


def in_russian(client, url: str, **headers) -> str:
    with untranslated_lookups() as missed:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru", **headers)
    assert response.status_code in (200, 404), (url, response.status_code)
    assert missed == [], f"{url}: marked strings with no Russian translation: {sorted(set(missed))}"
    return response.content.decode()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_in_russian_shows_no_english(client, newsroom, url):
    html = in_russian(client, url)
    assert '<html lang="ru"' in html
    assert english_words(html, latin_names()) == [], url


@pytest.mark.parametrize(("url", "target"), FRAGMENTS)
def test_a_page_region_htmx_asks_for_in_russian_shows_no_english(client, newsroom, url, target):
    html = in_russian(client, url, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=target)
    assert english_words(html, latin_names()) == [], (url, target)


@pytest.mark.parametrize("url", SVG_PAGES)
def test_a_drawn_chart_in_russian_shows_no_english(client, newsroom, url):
    svg = in_russian(client, url)
    assert english_words(svg, latin_names()) == [], url


FILTER_LINKS = re.compile(r'<a href="(\?[^"]+)"')


def admin_filter_choices(html: str) -> list[str]:
    """The query of one choice in each of a changelist's filters (not their "All"): the
    filters as an editor clicks them."""
    sidebar = html.split('id="changelist-filter"', 1)
    if len(sidebar) < 2:
        return []
    choices = []
    for block in sidebar[1].split("</nav>", 1)[0].split("<details")[1:]:
        links = [unescape(link) for link in FILTER_LINKS.findall(block)]
        chosen = [link for link in links if link not in ("?", "?_facets=True") and "=" in link]
        if chosen:
            choices.append(chosen[-1])  # the last: "unknown", "cancelled", the oldest year…
    return choices


def admin_pages(client):
    """Every admin page an editor sees, as the editor walks them: the index; each model's
    changelist, searched, and with one choice of each filter; its add form; the change form
    and history of a row (for a mission, Soyuz MS-22 and its crew); a past version from the
    history; the proposal review page of a proposal waiting for review and the page of a
    decided one; the news sources' list with their health. Pages the editor role may not
    open (403) are left out: the editor never sees them."""
    from tracker.news.models import NewsSource, ProposalStatus, ProposedUpdate
    from tracker.record.models import Mission

    pages = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:%s_%s_changelist" % info)
        response = client.get(changelist, HTTP_ACCEPT_LANGUAGE="ru")
        if response.status_code == 403:
            continue
        pages.append(changelist)
        if model_admin.search_fields:
            pages.append(changelist + "?q=a")
        pages += [changelist + choice for choice in admin_filter_choices(response.content.decode())]
        pages.append(reverse("admin:%s_%s_add" % info))
        rows = model.objects.order_by("pk")
        if model is Mission:
            rows = Mission.objects.filter(name="Soyuz MS-22")
        first = rows.first()
        if first is not None:
            pages.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
            pages.append(reverse("admin:%s_%s_history" % info, args=[first.pk]))
            if hasattr(model, "history") and (version := model.history.filter(id=first.pk).first()):
                pages.append(reverse("admin:%s_%s_simple_history" % info, args=[first.pk, version.history_id]))
    waiting = ProposedUpdate.objects.filter(status=ProposalStatus.PENDING).order_by("pk").first()
    pages.append(reverse("admin:news_proposedupdate_change", args=[waiting.pk]))
    pages.append(reverse("admin:news_proposedupdate_changelist") + "?status__exact=pending")
    decided = ProposedUpdate.objects.exclude(pk=waiting.pk).filter(status=ProposalStatus.PENDING).order_by("pk").first()
    decided.status, decided.outcome = ProposalStatus.REJECTED, "Not about this flight."
    decided.save()
    pages.append(reverse("admin:news_proposedupdate_change", args=[decided.pk]))
    # A source that failed, one that never polled: every state of the health column.
    NewsSource.objects.filter(last_success_at__isnull=True).update(last_error="HTTP 503 from the server")
    NewsSource.objects.create(name="Never polled", url="https://example.org/feed.xml")
    pages.append(reverse("admin:news_newssource_changelist"))
    return pages


def record_data() -> list[str]:
    """The texts the record and the news hold that read as English (names, notes, titles,
    summaries, URLs, as stored): the admin shows them as they are, in inputs, lists and
    titles, for the editors to edit, in the language their source wrote them in. Codes of
    choices are not data (the admin shows their labels, which are UI)."""
    from django.apps import apps
    from django.db import models

    values = set()
    for model in apps.get_models():
        if not model.__module__.startswith("tracker.") and model.__module__ != "django.contrib.auth.models":
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField) and not field.choices
        ]
        for row in model.objects.values_list(*fields):
            values.update(value.strip() for value in row if value and ENGLISH_WORDS.search(value))
    # An article's evidence stands in the inline by its __str__: the sentence's start.
    from tracker.news.models import ProposalEvidence

    values.update(str(evidence).strip() for evidence in ProposalEvidence.objects.all())
    return sorted(values, key=len, reverse=True)


def english_ui(html: str, data: list[str]) -> list[str]:
    """The English of an admin page once the record's own data is set aside."""
    found = []
    for text in english_words(html):
        for value in data:
            if value in text:
                text = re.sub(r"(?<!\w)%s(?!\w)" % re.escape(value), " ", text)
        if ENGLISH_WORDS.search(text):
            found.append(text)
    return found


def test_the_editors_admin_in_russian_shows_no_english(editor_client, newsroom):
    failures = {}
    pages = admin_pages(editor_client)
    data = record_data()
    for url in pages:
        with untranslated_lookups() as missed:
            response = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        if response.status_code == 403:
            continue  # the editor role may not add or change this kind of row
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        assert '<html lang="ru"' in html, url
        problems = sorted(set(missed)) + english_ui(html, data)
        if problems:
            failures[url] = problems
    assert failures == {}
