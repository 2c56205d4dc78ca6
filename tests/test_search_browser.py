"""The header search box and the news page in a real browser (Debian's Chromium through
Playwright, against the live server): results appear as you type without a page load,
the keyboard works, Enter opens the results page, the page works with JavaScript off,
and nothing breaks the Content-Security-Policy. Screenshots go to test-artifacts/."""

import datetime as dt
import os
import re

# Playwright's sync API runs an event loop in this thread; the ORM calls around it stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.browser import screenshot, watched_tabs  # noqa: E402
from tracker.news.models import NewsSource, SourceKind  # noqa: E402
from tracker.news.parse import Entry  # noqa: E402
from tracker.news.services import ingest_entry  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
HOSTILE_TITLE = "<script>alert(1)</script> Soyuz MS-29 <img src=x onerror=alert(2)>"


@pytest.fixture
def news(record):
    source = NewsSource.objects.create(name="Loopback wire", url="https://example.org/feed", kind=SourceKind.FEED)
    stories = [
        ("Kikina to fly on Crew-5", "Roscosmos cosmonaut Anna Kikina will fly on SpaceX Crew-5 with Nicole Mann."),
        ("Кикина вернулась на Землю", "Анна Кикина вернулась на Землю на корабле SpaceX Crew-5."),
        ("Soyuz MS-22 is up", "Soyuz MS-22 launched on September 21, 2022 with NASA astronaut Francisco Rubio."),
        (HOSTILE_TITLE, "Soyuz MS-29 is scheduled to launch on July 14, 2026. <script>alert(3)</script>"),
    ]
    for day, (title, text) in enumerate(stories, start=1):
        entry = Entry(
            url=f"https://news.example.org/story-{day}",
            guid="",
            title=title,
            published=dt.datetime(2026, 3, day, tzinfo=dt.UTC),
            text=text,
        )
        ingest_entry(entry, source=source)


@pytest.fixture
def open_page(browser, live_server, news):
    with watched_tabs(browser, live_server.url) as open_:
        yield open_


def search_box(tab):
    return tab.get_by_role("searchbox", name="Search people, missions, spacecraft and news")


def dropdown_link(tab, name):
    return tab.locator("#search-suggestions").get_by_role("link", name=name)


def test_typing_shows_results_without_a_page_load_and_enter_opens_the_results_page(open_page):
    tab = open_page()
    tab.goto("/")
    tab.wait_for_load_state("networkidle")
    tab.evaluate("() => { window.__sameDocument = true; }")

    with tab.expect_response(lambda r: "/search/?q=Kiki" in r.url and r.request.headers.get("hx-request")) as typed:
        search_box(tab).press_sequentially("Kiki", delay=40)
    assert "<html" not in typed.value.text()
    kikina = dropdown_link(tab, "Anna Kikina")
    kikina.wait_for()
    assert kikina.is_visible()
    assert tab.url.endswith("/") and tab.evaluate("window.__sameDocument") is True, "the page was reloaded"
    # Articles too, linked to the publisher and to their missions.
    suggestions = tab.locator("#search-suggestions")
    assert suggestions.get_by_role("link", name="Kikina to fly on Crew-5").get_attribute("rel") == (
        "noopener noreferrer nofollow"
    )
    assert suggestions.get_by_role("link", name="SpaceX Crew-5").first.is_visible()
    assert tab.locator("#search-suggestions mark").first.inner_text() == "Kiki"
    screenshot(tab, "search-dropdown", full_page=False)

    # Keyboard: down into the results, Escape back out, and the dropdown closes.
    search_box(tab).press("ArrowDown")
    assert tab.evaluate("document.activeElement.textContent") == "Anna Kikina"
    tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.closest('#search-suggestions') !== null")
    tab.keyboard.press("Escape")
    assert tab.evaluate("document.activeElement.id") == "site-search-q"
    assert not kikina.is_visible()
    search_box(tab).blur()
    search_box(tab).focus()  # coming back to the box reopens it
    assert kikina.is_visible()
    tab.locator(".site-footer").click(position={"x": 5, "y": 5})  # a click elsewhere closes it
    assert not kikina.is_visible()
    search_box(tab).focus()

    search_box(tab).press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q=Kiki$"))
    assert tab.evaluate("window.__sameDocument") is None, "Enter should load the results page"
    assert tab.get_by_role("heading", level=1).inner_text() == "Search"
    people = tab.locator("#results-people")
    assert people.get_by_role("link", name="Anna Kikina").get_attribute("href") == "/people/anna-kikina/"
    assert search_box(tab).input_value() == "Kiki"
    screenshot(tab, "search-results-page")


def test_typing_on_the_results_page_updates_it_in_place(open_page):
    tab = open_page()
    tab.goto("/search/?q=Soyuz")
    tab.evaluate("() => { window.__sameDocument = true; }")
    assert tab.locator("#results-vehicles").get_by_role("link", name="Soyuz MS").is_visible()
    search_box(tab).fill("")
    search_box(tab).press_sequentially("кикина", delay=40)
    tab.wait_for_url(re.compile(r"/search/\?q=%D0%BA%D0%B8%D0%BA%D0%B8%D0%BD%D0%B0$"))
    tab.locator("#results-people").get_by_role("link", name="Anna Kikina").wait_for()
    assert tab.locator("#results-vehicles").count() == 0
    assert tab.locator("#results-articles").get_by_role("link", name="Кикина вернулась на Землю").is_visible()
    assert tab.evaluate("window.__sameDocument") is True
    assert tab.locator("#search-suggestions *").count() == 0  # on this page the results are the page


def test_without_javascript_the_box_is_a_plain_form(open_page):
    tab = open_page(javascript=False)
    tab.goto("/missions/soyuz-ms-22/")
    search_box(tab).fill("Frank Rubio")
    search_box(tab).press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q=Frank\+Rubio$"))
    people = tab.locator("#results-people")
    assert people.get_by_role("link", name="Francisco Rubio").is_visible()
    assert "Also spelled Frank Rubio" in " ".join(people.inner_text().split())

    tab.goto("/search/?q=zzxqv")
    assert tab.get_by_text("No results for “zzxqv”.").is_visible()
    screenshot(tab, "search-no-results")
    tab.goto("/search/")
    assert tab.get_by_text("Type what you are looking for").is_visible()
    tab.locator(".search-guidance").get_by_role("link", name="Кикина").click()
    assert tab.locator("#results-people").get_by_role("link", name="Anna Kikina").is_visible()


def test_the_news_page_shows_hostile_articles_as_text_and_filters_by_mission(open_page):
    tab = open_page()
    tab.goto("/news/")
    tab.wait_for_load_state("networkidle")
    assert tab.get_by_role("link", name="News", exact=True).get_attribute("aria-current") == "page"
    # The hostile title is there, as text, and nothing ran (a dialog would fail the test).
    assert tab.get_by_role("link", name=HOSTILE_TITLE).is_visible()
    assert tab.evaluate("document.querySelectorAll('main script, main img').length") == 0
    screenshot(tab, "news-page")

    tab.evaluate("() => { window.__sameDocument = true; }")
    tab.locator("#id_mission").select_option(label="SpaceX Crew-5 (2)")
    tab.wait_for_url(re.compile(r"mission=spacex-crew-5"))
    tab.wait_for_function("() => document.querySelectorAll('#news-list .news-item').length === 2")
    assert tab.evaluate("window.__sameDocument") is True
    assert tab.locator(".news-title").all_inner_texts() == ["Кикина вернулась на Землю", "Kikina to fly on Crew-5"]


def test_the_dropdown_in_the_light_theme(open_page):
    tab = open_page(theme="light")
    tab.goto("/news/")
    search_box(tab).press_sequentially("MS-2", delay=40)
    dropdown_link(tab, "Soyuz MS-22").first.wait_for()
    screenshot(tab, "search-dropdown-light", full_page=False)


def test_on_a_phone_the_box_and_its_dropdown_fit_the_screen(open_page):
    tab = open_page(viewport=PHONE)
    tab.goto("/")
    search_box(tab).press_sequentially("Rubio", delay=40)
    dropdown_link(tab, "Francisco Rubio").wait_for()
    for selector in ("#site-search-q", "#search-suggestions .suggestions-panel"):
        box = tab.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(tab, "search-dropdown-phone", full_page=False)
