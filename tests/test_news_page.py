"""The public news page: every ingested article newest first, its missions, the mission
filter, pagination, htmx fragment, hostile text shown as text, and constant query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ingest_article
from tracker.news.models import Article

pytestmark = pytest.mark.django_db

MS29 = "Soyuz MS-29 is scheduled to launch on July 14, 2026 with NASA astronaut Anil Menon aboard."
MS22 = "Soyuz MS-22 launched on September 21, 2022 with NASA astronaut Francisco Rubio aboard."
UNLINKED = "The station's orbit was raised by a routine engine burn on Tuesday, controllers said."


def news(client, **params):
    response = client.get("/news/", params)
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="news-heading" id="article-\d+">(?:<a[^>]*>|<span[^>]*>)(.*?)</', html)


def test_the_news_page_lists_articles_newest_first_with_source_date_lead_and_missions(client, source):
    ingest_article(source, "Soyuz MS-22 is up", MS22, day=1, url="https://news.example.org/ms-22")
    ingest_article(source, "Soyuz MS-29 date set", MS29, day=5)
    html = news(client)
    assert html.startswith("<!DOCTYPE html>") and "<h1>News</h1>" in html
    assert titles(html) == ["Soyuz MS-29 date set", "Soyuz MS-22 is up"]
    assert (
        '<a class="news-title" href="https://news.example.org/ms-22" rel="noopener noreferrer nofollow">Soyuz MS-22 is up</a>'
        in html
    )
    item = html[html.index("Soyuz MS-22 is up") :].split("</li>\n", 1)[0]
    assert 'Test wire · <time datetime="2026-03-02T00:00:00+00:00">2026-03-02</time>' in item
    assert f'<p class="news-lead">{MS22}</p>' in item
    assert '<a class="chip" href="/missions/soyuz-ms-22/">Soyuz MS-22</a>' in item
    assert "2 articles" in html


def test_the_news_page_is_in_the_main_navigation(client):
    html = news(client)
    assert '<a href="/news/" aria-current="page">News</a>' in html
    assert '<a href="/news/">News</a>' in client.get("/").content.decode()


def test_with_no_articles_the_page_says_so(client):
    assert "No news has been ingested yet" in news(client)


def test_the_mission_filter_shows_only_articles_naming_that_mission(client, source):
    ingest_article(source, "Soyuz MS-22 is up", MS22, day=1)
    ingest_article(source, "Soyuz MS-29 date set", MS29, day=2)
    ingest_article(source, "Orbit raised", UNLINKED, day=3)
    html = news(client, mission="soyuz-ms-29")
    assert titles(html) == ["Soyuz MS-29 date set"]
    assert '<option value="soyuz-ms-29" selected>Soyuz MS-29 (1)</option>' in html
    assert '1 article naming <a href="/missions/soyuz-ms-29/">Soyuz MS-29</a>' in html
    # The select offers the missions some article names, with counts.
    options = re.findall(r'<option value="([^"]*)"', html)
    assert options == ["", "soyuz-ms-22", "soyuz-ms-29"]


def test_a_mission_without_articles_can_still_be_asked_for(client, source):
    ingest_article(source, "Soyuz MS-22 is up", MS22, day=1)
    html = news(client, mission="spacex-crew-5")
    assert titles(html) == [] and "No article matches these filters" in html
    assert '<option value="spacex-crew-5" selected>SpaceX Crew-5 (0)</option>' in html


def test_only_linked_articles_on_request(client, source):
    ingest_article(source, "Soyuz MS-22 is up", MS22, day=1)
    ingest_article(source, "Orbit raised", UNLINKED, day=3)
    assert titles(news(client)) == ["Orbit raised", "Soyuz MS-22 is up"]
    assert "Names no mission in the record." in news(client)
    html = news(client, linked="on")
    assert titles(html) == ["Soyuz MS-22 is up"]
    assert 'name="linked" id="id_linked" checked' in html


def test_an_unknown_mission_is_reported_and_ignored(client, source):
    ingest_article(source, "Soyuz MS-22 is up", MS22, day=1)
    html = news(client, mission="<b>nope</b>")
    assert 'class="error" role="alert"' in html and "mission" in html
    assert titles(html) == ["Soyuz MS-22 is up"]
    assert "<b>nope</b>" not in html


def test_articles_are_paginated(client, source):
    for day in range(25):
        ingest_article(source, f"Launch note {day:02}", f"Note {day}. {UNLINKED}", day=day)
    first = news(client)
    assert titles(first) == [f"Launch note {day:02}" for day in range(24, 4, -1)]
    assert "Page 1 of 2" in first and 'href="?page=2"' in first
    second = news(client, page=2)
    assert titles(second) == [f"Launch note {day:02}" for day in range(4, -1, -1)]
    assert 'href="?page=1"' in second
    assert titles(news(client, page=99)) == titles(second)  # past the end: the last page
    assert titles(news(client, page="x")) == titles(first)


def test_the_filters_carry_over_to_the_next_page(client, source):
    for day in range(22):
        ingest_article(source, f"MS-29 note {day:02}", MS29, day=day)
    ingest_article(source, "Orbit raised", UNLINKED, day=30)
    html = news(client, mission="soyuz-ms-29")
    assert 'href="?mission=soyuz-ms-29&amp;page=2"' in html
    assert len(titles(news(client, mission="soyuz-ms-29", page=2))) == 2


def test_the_lead_is_short_plain_text(client, source):
    ingest_article(source, "Long one", MS29 + " " + "And then some more words. " * 100, day=1)
    lead = re.search(r'<p class="news-lead">(.*?)</p>', news(client)).group(1)
    assert lead.startswith("Soyuz MS-29 is scheduled") and lead.endswith("…") and len(lead) < 280


def test_hostile_titles_and_text_are_shown_escaped(client, source):
    ingest_article(
        source, "<script>alert(1)</script>", "<img src=x onerror=alert(2)> " + MS29, day=1, url="javascript:alert(3)"
    )
    html = news(client)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html  # not a link anyone can open


def test_an_htmx_request_gets_the_list_alone(client, source):
    ingest_article(source, "Soyuz MS-29 date set", MS29, day=2)
    response = client.get("/news/", {"mission": "soyuz-ms-29"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="news-list")
    html = response.content.decode()
    assert "<html" not in html and html.lstrip().startswith('<div id="news-list"')
    assert titles(html) == ["Soyuz MS-29 date set"]
    assert "HX-Request" in response["Vary"]
    # Without the header the same URL is the full page.
    assert client.get("/news/", {"mission": "soyuz-ms-29"}, HTTP_HX_TARGET="news-list").content.startswith(
        b"<!DOCTYPE html>"
    )


@pytest.mark.parametrize("count", [3, 30])
def test_the_news_page_costs_a_fixed_number_of_queries(client, source, django_assert_max_num_queries, count):
    for day in range(count):
        ingest_article(source, f"MS-29 note {day:02}", MS29 if day % 2 else MS22, day=day)
    # Mission options, page count, the page of articles, their missions.
    with django_assert_max_num_queries(4):
        html = news(client)
    assert len(titles(html)) == min(count, 20)
    # The filter adds the chosen mission's lookup.
    with django_assert_max_num_queries(5):
        news(client, mission="soyuz-ms-29", linked="on")


def test_the_page_reads_only_the_start_of_each_articles_text(client, source):
    ingest_article(source, "Huge", MS29 + " word" * 50_000, day=1)
    assert len(Article.objects.get().text) > 200_000
    with CaptureQueriesContext(connection) as queries:
        html = news(client)
    (listing,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "news_article"' in q["sql"] and "LIMIT" in q["sql"]
    ]
    assert re.search(r"SUBSTR(ING)?\(\"news_article\"\.\"text\"", listing, re.IGNORECASE)
    columns = re.sub(r"SUBSTR(ING)?\([^)]*\)", "", listing, flags=re.IGNORECASE)
    assert '"news_article"."text"' not in columns and "search_text" not in columns
    assert html.count(" word") < 100
