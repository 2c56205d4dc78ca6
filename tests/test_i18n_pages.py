"""Every page a reader or an editor sees, in Russian, says nothing in English.

Each page is fetched with `Accept-Language: ru`; it fails on a marked string the catalogue
lacks and on visible English that is not marked as English data (tests/i18n.py). The
news is read first (the sample source), so the news page, search and the proposal review
have articles, mentions and proposals to show."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.i18n import english_words, latin_names, untranslated_lookups
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


def admin_pages():
    """Every changelist, add form and a change form of each model the editors' admin shows,
    plus its index: the admin customisations (labels, help, columns, filters, actions)."""
    from tracker.record.models import Mission

    pages = ["/admin/"]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:%s_%s_changelist" % info))
        pages.append(reverse("admin:%s_%s_add" % info))
        first = model.objects.order_by("pk").first()
        if model is Mission:
            first = Mission.objects.get(name="Soyuz MS-22")
        if first is not None:
            pages.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
            pages.append(reverse("admin:%s_%s_history" % info, args=[first.pk]))
    return pages


def test_the_editors_admin_in_russian_shows_no_english(editor_client, newsroom):
    failures = {}
    for url in admin_pages():
        with untranslated_lookups() as missed:
            response = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        if response.status_code == 403:
            continue  # the editor role may not add or change this kind of row
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        problems = sorted(set(missed)) + english_words(html, latin_names())
        if problems:
            failures[url] = problems
    assert failures == {}
