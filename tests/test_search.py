"""Search: people by any spelling (Latin or Cyrillic, any case), missions, vehicles and
articles; the page, its htmx partials, odd input, ranking and query counts."""

import re
from html import unescape

import pytest
from django.apps import apps

from tests.factories import ingest_article
from tests.feeds import rss
from tests.http_server import Route
from tracker.lib.excerpts import passage
from tracker.lib.folding import search_document
from tracker.news.models import Article, NewsSource
from tracker.news.services import poll
from tracker.record.models import PersonAlias
from tracker.search import searchable_record
from tracker.search.query import MAX_LENGTH, parse_query
from tracker.search.results import search

pytestmark = pytest.mark.django_db

KIKINA_NEWS = "Анна Кикина полетит на МКС на корабле Crew Dragon в составе миссии SpaceX Crew-5."
MS29 = "Soyuz MS-29 is scheduled to launch on July 14, 2026 with NASA astronaut Anil Menon aboard."


def results_for(q: str, limit: int = 50) -> dict:
    """{kind: [titles]} for a query, in ranked order."""
    found = search(parse_query(q), limit=limit)
    return {
        group.kind: [
            item.article.title if group.kind == "articles" else item.title.before + item.title.match + item.title.after
            for item in group.items
        ]
        for group in found.groups
    }


def page(client, q, **headers):
    response = client.get("/search/", {"q": q}, **headers)
    assert response.status_code == 200
    return response.content.decode()


def group_html(html: str, kind: str) -> str:
    start = html.index(f'id="results-{kind}"')
    return html[start : html.find("</section>", start)]


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


# --- people, by every spelling -----------------------------------------------------------


@pytest.mark.parametrize("q", ["Кикина", "кикина", "КИКИНА", "Анна Кикина", "Kikina", "kiki"])
def test_anna_kikina_is_found_by_any_spelling_in_any_case(q):
    assert results_for(q)["people"][0] == "Anna Kikina"


@pytest.mark.parametrize("q", ["Frank Rubio", "frank rubio", "rubio", "Francisco Rubio", "Фрэнк Рубио", "рубио"])
def test_frank_rubio_is_found_as_francisco_rubio(q):
    assert results_for(q)["people"] == ["Francisco Rubio"]


def test_the_results_page_finds_kikina_by_her_cyrillic_alias(client):
    html = page(client, "Кикина")
    people = group_html(html, "people")
    assert 'href="/people/anna-kikina/"' in people
    assert "Also spelled" in people and "<mark>Кикина</mark>" in people
    assert "Roscosmos" in people


def test_the_results_page_finds_frank_rubio(client):
    people = group_html(page(client, "Frank Rubio"), "people")
    assert 'href="/people/francisco-rubio/"' in people and "<mark>Frank Rubio</mark>" in text_of(people) + people


def test_words_in_another_order_still_find_a_person():
    assert results_for("wilmore barry")["people"] == ["Barry Wilmore"]
    assert results_for("kikina anna")["people"] == ["Anna Kikina"]
    assert results_for("Butch Wilmore")["people"] == ["Barry Wilmore"]  # an alias


def test_spellings_without_spaces_or_dashes_find_the_same_names():
    assert results_for("al neyadi")["people"] == ["Sultan AlNeyadi"]
    assert results_for("ms22")["missions"] == ["Soyuz MS-22"]


def test_a_new_alias_is_searchable_at_once(person):
    assert results_for("Анюта Кикина")["people"] == []
    PersonAlias.objects.create(person=person("Anna Kikina"), alias="Анюта Кикина")
    assert results_for("Анюта Кикина")["people"] == ["Anna Kikina"]


# --- missions and vehicles -----------------------------------------------------------------


def test_missions_are_found_by_their_short_names():
    assert results_for("MS-22")["missions"] == ["Soyuz MS-22"]
    assert results_for("Crew-5")["missions"] == ["SpaceX Crew-5"]
    assert results_for("crew-5")["missions"] == ["SpaceX Crew-5"]


def test_a_vehicle_is_found_by_family_craft_or_builder():
    assert results_for("Soyuz")["vehicles"] == ["Soyuz MS"]
    assert results_for("endurance")["vehicles"] == ["Crew Dragon"]
    assert results_for("Boeing")["vehicles"] == ["Starliner"]


def test_the_results_page_links_missions_and_vehicles_to_their_pages(client):
    html = page(client, "Soyuz")
    assert 'href="/vehicles/soyuz-ms/"' in group_html(html, "vehicles")
    missions = group_html(html, "missions")
    assert 'href="/missions/soyuz-ms-22/"' in missions and 'href="/missions/soyuz-ms-29/"' in missions
    assert 'href="/missions/spacex-crew-5/"' not in missions


# --- ranking ---------------------------------------------------------------------------------


def test_whole_names_come_before_prefixes_and_prefixes_before_substrings():
    rank = {
        name: searchable_record.Spelling.of(name).rank(parse_query("crew-1")) for name in ["SpaceX Crew-1", "Crew-10"]
    }
    assert rank == {"SpaceX Crew-1": searchable_record.WHOLE_WORDS, "Crew-10": searchable_record.PREFIX}
    soyuz = parse_query("soyuz ms")
    assert searchable_record.Spelling.of("Soyuz MS").rank(soyuz) == searchable_record.EXACT
    assert searchable_record.Spelling.of("Soyuz MS-22").rank(soyuz) == searchable_record.PREFIX
    assert searchable_record.Spelling.of("Old Soyuz MS-22").rank(soyuz) == searchable_record.WHOLE_WORDS
    assert searchable_record.Spelling.of("Old Soyuz MSX").rank(soyuz) == searchable_record.WORD_PREFIX
    assert searchable_record.Spelling.of("Xsoyuz ms").rank(soyuz) == searchable_record.INSIDE
    assert searchable_record.Spelling.of("SoyuzMS").rank(soyuz) == searchable_record.SQUEEZED
    assert searchable_record.Spelling.of("Progress").rank(soyuz) is None


def test_equal_matches_keep_a_stable_natural_order():
    assert results_for("crew-1")["missions"] == [
        "SpaceX Crew-10",
        "SpaceX Crew-11",
        "SpaceX Crew-12",
        "SpaceX Crew-13",
    ]
    assert results_for("MS-2")["missions"] == [f"Soyuz MS-{n}" for n in range(22, 30)]
    assert results_for("Soyuz MS")["vehicles"] == ["Soyuz MS"]
    assert results_for("Soyuz MS")["missions"][:2] == ["Soyuz MS-22", "Soyuz MS-23"]


# --- articles ---------------------------------------------------------------------------------


def test_articles_are_found_by_title_and_text_in_any_case(source):
    ingest_article(source, "Кикина полетит на Crew Dragon", KIKINA_NEWS)
    ingest_article(source, "Soyuz MS-29 target date", MS29)
    assert results_for("кикина")["articles"] == ["Кикина полетит на Crew Dragon"]
    assert results_for("ANIL MENON")["articles"] == ["Soyuz MS-29 target date"]
    assert results_for("menon july")["articles"] == ["Soyuz MS-29 target date"]  # every word, any order


def test_accents_do_not_matter_in_articles(source):
    ingest_article(source, "Café talk at the Cosmodrome", "Ёлки at Baikonur: the crew’s café before the launch.")
    assert results_for("cafe")["articles"] == ["Café talk at the Cosmodrome"]
    assert results_for("ёлки")["articles"] == results_for("елки")["articles"] == ["Café talk at the Cosmodrome"]


def test_an_article_result_links_to_the_original_and_to_its_missions(client, source):
    ingest_article(source, "Soyuz MS-29 target date", MS29, url="https://news.example.org/ms-29")
    articles = group_html(page(client, "Menon"), "articles")
    assert (
        '<a class="search-hit-title" href="https://news.example.org/ms-29" rel="noopener noreferrer nofollow">'
        in articles
    )
    assert 'href="/missions/soyuz-ms-29/"' in articles
    assert "<mark>Menon</mark>" in articles and "Test wire" in articles


def test_title_matches_rank_before_text_matches_then_newest_first(source):
    ingest_article(source, "Other news", "Much later, a launch.", day=9)
    ingest_article(source, "A launch in the title", "Text.", day=2)
    ingest_article(source, "Launch first", "Text.", day=1)
    ingest_article(source, "Older text match", "A launch was made.", day=3)
    ingest_article(source, "Both words apart", "The launch of a big rocket.", day=4)
    assert results_for("launch")["articles"] == [
        "Launch first",
        "A launch in the title",
        "Other news",
        "Both words apart",
        "Older text match",
    ]
    assert results_for("big launch")["articles"] == ["Both words apart"]  # words, not the phrase


def test_the_passage_shows_the_match_in_the_articles_own_spelling(source):
    article = ingest_article(source, "Экипаж", "Вступление. " * 40 + KIKINA_NEWS + " Конец." * 60)
    marked = passage(article.text, parse_query("КИКИНА").needles)
    assert marked.match == "Кикина"
    assert marked.before.startswith("…") and marked.after.endswith("…")
    assert len(marked.before) + len(marked.after) < 300


def test_articles_stored_as_a_batch_from_a_feed_are_searchable(feed_server):
    body = rss(
        ("g1", "Кикина вернулась", "https://example.org/1", KIKINA_NEWS),
        ("g2", "Soyuz MS-29 date", "https://example.org/2", MS29),
    )
    url = feed_server.route("/feed.xml", Route(body=body, headers={"Content-Type": "application/rss+xml"}))
    feed = NewsSource.objects.create(
        name="Loopback", url=url, enabled=True, allow_private_network=True, fetch_linked_pages=False
    )
    assert poll(feed).count("created") == 2
    assert results_for("КИКИНА ВЕРНУЛАСЬ")["articles"] == ["Кикина вернулась"]
    assert results_for("anil")["articles"] == ["Soyuz MS-29 date"]


def test_an_updated_article_is_searched_by_its_new_text(source):
    ingest_article(source, "Soyuz MS-29 target date", MS29, url="https://example.org/a")
    ingest_article(source, "Soyuz MS-29 target date", MS29 + " Kononenko will command.", url="https://example.org/a")
    assert Article.objects.count() == 1
    assert results_for("kononenko")["articles"] == ["Soyuz MS-29 target date"]


def test_the_migration_fills_in_the_search_text_of_existing_articles(source):
    from importlib import import_module

    article = ingest_article(source, "Кикина", KIKINA_NEWS)
    Article.objects.update(search_text="")  # as rows stored before the column existed
    assert results_for("кикина")["articles"] == []
    import_module("tracker.news.migrations.0003_article_search_text").fill_search_text(apps, None)
    article.refresh_from_db()
    assert article.search_text == search_document(article.title, article.text)
    assert results_for("кикина")["articles"] == ["Кикина"]


# --- input of every kind ---------------------------------------------------------------------


@pytest.mark.parametrize("q", ["", " ", "\t\n"])
def test_an_empty_query_shows_guidance_not_an_error(client, q):
    html = page(client, q)
    assert "Type what you are looking for" in html and "results for" not in html


def test_a_one_character_query_asks_for_more(client):
    html = page(client, "K")
    assert "Type at least 2 characters" in html


@pytest.mark.parametrize(
    "q",
    [
        "%",
        "%%",
        "_",
        "__",
        "\\",
        "\\\\",
        "%_\\",
        "\x00",
        "a\x00b\x00",
        "'; DROP TABLE news_article; --",
        "\ufffd\ufffd",
        "😀🚀",
        "a" * 10_000,
        "\u200b\u200b",
        "ﷺ",
        "\u0306\u0306",
    ],
)
def test_odd_input_never_fails(client, source, q):
    ingest_article(source, "Soyuz MS-29 target date", MS29)
    html = page(client, q)
    assert "<html" in html
    assert page(client, q, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-suggestions") is not None


def test_like_wildcards_are_matched_literally(source):
    ingest_article(source, "Soyuz MS-29 target date", MS29)
    ingest_article(source, "Growth of 100% in a year_end report", "It grew by 100%.")
    assert results_for("%%")["articles"] == []
    assert results_for("__")["articles"] == []
    assert results_for("100%")["articles"] == ["Growth of 100% in a year_end report"]
    assert results_for("r_e")["articles"] == ["Growth of 100% in a year_end report"]


def test_markup_in_the_query_is_shown_as_text(client):
    html = page(client, "<script>alert(1)</script>")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_long_query_is_cut_to_its_first_200_characters(client):
    query = parse_query("Kikina " + "x" * 5000)
    assert len(query.text) == MAX_LENGTH
    html = page(client, "Kikina " + "x" * 5000)
    value = re.search(r'id="site-search-q"[^>]*value="([^"]*)"', html, re.S).group(1)
    assert value == "Kikina " + "x" * (MAX_LENGTH - 7)


def test_a_query_that_matches_nothing_says_so(client):
    html = page(client, "zzxqv")
    assert "No results for “<strong>zzxqv</strong>”" in html


# --- the page and its partials ----------------------------------------------------------------


def test_a_plain_request_gets_the_full_results_page_grouped_by_kind(client, source):
    ingest_article(source, "Soyuz MS-22 crew home", "Francisco Rubio and the MS-22 crew landed.")
    response = client.get("/search/", {"q": "MS-22"})
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>") and "<title>Search: MS-22 · Seat-swap tracker</title>" in html
    assert 'id="search-results"' in html and 'aria-live="polite"' in html
    kinds = html.index('<nav class="search-kinds"')
    summary = text_of(html[kinds : html.index("</nav>", kinds)])
    assert " ".join(summary.split()) == "Expeditions 0 People 0 Missions 1 Vehicles 0 Articles 1"
    assert "HX-Request" in response["Vary"]
    # The header box shows the query, and typing there updates this page's results region.
    box = re.search(r'<input id="site-search-q"[^>]*>', html, re.S).group(0)
    assert 'value="MS-22"' in box and 'hx-target="#search-results"' in box and 'hx-replace-url="true"' in box


def test_htmx_from_the_header_box_gets_the_dropdown_only(client):
    html = page(client, "Kiki", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-suggestions")
    assert "<html" not in html and "<title" not in html
    assert html.strip().startswith('<div class="suggestions-panel">')
    assert 'href="/people/anna-kikina/"' in html
    assert 'href="/search/?q=Kiki"' in html  # to the full results page


def test_htmx_without_a_known_target_gets_the_dropdown(client):
    html = page(client, "Kiki", HTTP_HX_REQUEST="true")
    assert "<html" not in html and "suggestions-panel" in html


def test_htmx_from_the_search_page_gets_the_results_region_only(client):
    html = page(client, "Kiki", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")
    assert "<html" not in html and "suggestions-panel" not in html
    assert 'id="results-people"' in html and "1 result for" in html


def test_the_dropdown_is_not_served_without_the_htmx_header(client):
    html = page(client, "Kiki", HTTP_HX_TARGET="search-suggestions")
    assert html.startswith("<!DOCTYPE html>") and "suggestions-panel" not in html


def test_the_dropdown_is_empty_for_an_empty_query_and_guides_a_short_one(client):
    assert page(client, "", HTTP_HX_REQUEST="true").strip() == ""
    assert "Type at least 2 characters" in page(client, "K", HTTP_HX_REQUEST="true")


def test_results_are_bounded_per_kind(client, source):
    for day in range(1, 29):
        ingest_article(source, f"Launch report {day}", "A launch.", day=day)
    for day in range(1, 29):
        ingest_article(source, f"Launch report {day}b", "A launch.", url=f"https://example.org/b{day}", day=day)
    dropdown = page(client, "launch report", HTTP_HX_REQUEST="true")
    assert dropdown.count("Launch report") == 5 and "All 56 results" in dropdown
    articles = group_html(page(client, "launch report"), "articles")
    assert articles.count('class="search-hit"') == 50
    assert "Showing the best 50 of 56" in articles


@pytest.mark.parametrize(
    "url", ["/", "/missions/soyuz-ms-22/", "/people/anna-kikina/", "/agreement/", "/news/", "/search/"]
)
def test_every_page_has_the_search_box(client, url):
    html = client.get(url).content.decode()
    form = html[html.index('<form class="site-search" role="search"') :].split("</form>", 1)[0]
    assert 'action="/search/" method="get"' in form
    assert '<label class="visually-hidden" for="site-search-q">' in form
    assert 'hx-trigger="input changed delay:300ms, search"' in form
    assert 'id="search-suggestions"' in form and 'aria-live="polite"' in form


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("articles", [2, 40])
def test_a_search_costs_a_fixed_number_of_queries(client, source, django_assert_max_num_queries, articles):
    for n in range(articles):
        ingest_article(source, f"Soyuz MS-29 note {n}", MS29, url=f"https://example.org/n{n}", day=1 + n % 28)
    searchable_record.current_searchable_record()  # built once per record version, then shared
    # Articles: count, page, their missions.
    with django_assert_max_num_queries(3):
        html = page(client, "soyuz")
    assert html.count('class="search-hit"') > min(articles, 50)
    with django_assert_max_num_queries(3):
        page(client, "soyuz", HTTP_HX_REQUEST="true")


def test_the_searchable_record_is_built_with_a_fixed_number_of_queries(django_assert_max_num_queries):
    # The people's names and aliases (record/names.py), their rows; the missions; the vehicle
    # families' names and craft, their rows; the expeditions (missions and stays), once per
    # record version.
    with django_assert_max_num_queries(7):
        searchable_record.build_searchable_record()
