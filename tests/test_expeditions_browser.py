"""The expeditions in Chromium: a person follows a stay's expedition link from a person
page to the expeditions page, and finds Expedition 70 from the search box.

Screenshots are kept in test-artifacts/ (git-ignored) for a person to look at."""

import os

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.browser import screenshot  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_a_stays_expedition_links_to_that_expedition_and_its_crew(open_page, theme):
    tab = open_page(theme=theme)
    tab.goto("/people/anna-kikina/")
    panel = tab.locator("section.expeditions")
    expect(panel).to_contain_text("SpaceX Crew-5: Expedition 68")
    expect(panel).to_contain_text("Soyuz MS-29: Expedition 75 expected")
    screenshot(tab, f"expeditions-person-{theme}")
    panel.locator("li", has_text="SpaceX Crew-5").get_by_role("link", name="68", exact=True).click()
    expect(tab).to_have_url("/expeditions/#expedition-68")
    expect(tab.locator("#expedition-68")).to_contain_text("Anna Kikina")
    screenshot(tab, f"expeditions-page-{theme}", full_page=False)


def test_expedition_70_is_found_from_the_search_box(open_page):
    tab = open_page()
    tab.goto("/search/?q=МКС-70")
    expect(tab.locator("#results-expeditions")).to_contain_text("Expedition 70")
    expect(tab.locator("#results-people")).to_contain_text("Loral O'Hara")
    screenshot(tab, "expeditions-search")
