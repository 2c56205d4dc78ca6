"""The language switch in a real browser (Debian's Chromium): a reader clicks the other
language's name in the header and the same page comes back in that language, with and
without JavaScript, and the choice stays on the next page; a browser set to Russian gets
Russian from its first page. Screenshots of the Russian pages go to test-artifacts/."""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.browser import screenshot  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_reader_switches_language_from_the_header_and_it_is_remembered(open_page, javascript):
    tab = open_page(javascript=javascript, locale="en-US")
    tab.goto("/missions/soyuz-ms-22/")
    assert tab.locator("html").get_attribute("lang") == "en"
    switch = tab.get_by_role("button", name="Русский")
    assert switch.is_visible()
    with tab.expect_navigation():
        switch.click()
    assert tab.url.endswith("/missions/soyuz-ms-22/")
    assert tab.locator("html").get_attribute("lang") == "ru"
    nav = tab.get_by_role("navigation")
    assert nav.get_by_role("link", name="Миссии").is_visible()
    # Another page, reached by a link, stays in Russian: the choice is in a cookie.
    with tab.expect_navigation():
        nav.get_by_role("link", name="Люди").click()
    assert tab.locator("html").get_attribute("lang") == "ru"
    assert tab.get_by_role("heading", level=1).inner_text() == "Люди"
    # And back to English the same way.
    with tab.expect_navigation():
        tab.get_by_role("button", name="English").click()
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.get_by_role("heading", level=1).inner_text() == "People"


def test_a_browser_set_to_russian_gets_russian_pages_at_once(open_page):
    tab = open_page(locale="ru-RU")
    for url, name in [("/", "dashboard"), ("/missions/soyuz-ms-22/", "mission"), ("/timeline/", "timeline")]:
        tab.goto(url)
        assert tab.locator("html").get_attribute("lang") == "ru"
        assert tab.get_by_role("navigation").get_by_role("link", name="Сводка").is_visible()
        screenshot(tab, f"ru-{name}")
    tab.goto("/missions/soyuz-ms-22/")
    assert "Союз МС-22" in tab.get_by_role("heading", level=1).inner_text()


def test_the_header_search_button_in_russian_opens_the_results(open_page):
    tab = open_page(javascript=False, locale="ru-RU")
    tab.goto("/agreement/")
    tab.fill("#site-search-q", "Кикина")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Найти").click()
    assert "/search/?q=" in tab.url
    assert "Анна Кикина" in tab.inner_text("main")
