"""The seat-swap ledger, the timeline on a phone, and the mission and person pages at 390 px,
in Chromium: a person clicks (or, on a touch screen, taps) their way through.

Screenshots are kept in test-artifacts/ (git-ignored) for a person to look at."""

import os
import re

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.browser import screenshot  # noqa: E402
from tracker.record.models import Seat  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def assert_no_sideways_scroll(tab):
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def assert_within_the_screen(locator):
    box = locator.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"{locator} spans {box['x']}..{box['x'] + box['width']}"


def seat_id(name: str) -> int:
    return Seat.objects.get(person__name=name, leg="ascent", mission__status__in=["landed", "in_flight"]).pk


# --- The ledger ------------------------------------------------------------------------------


def test_from_the_agreement_page_a_click_leads_to_the_ledger_and_a_seat_in_its_chart(open_page):
    tab = open_page()
    tab.goto("/agreement/")
    with tab.expect_navigation():
        tab.get_by_role("link", name="The seat-swap ledger").click()
    assert tab.url.endswith("/agreement/ledger/")
    expect(tab.get_by_role("heading", level=1)).to_have_text("The seat-swap ledger")
    original = tab.locator("#account-original tr", has_text="Roscosmos")
    expect(original).to_contain_text("759")  # Rubio 371 + O'Hara 204 + Caldwell Dyson 184 days

    # Rubio's segment of the chart's "all documents" bar leads to his row in the table of seats.
    tab.locator("svg.ledger-chart a[aria-label^='Francisco Rubio']").first.click()
    assert tab.url.endswith(f"#seat-{seat_id('Francisco Rubio')}")
    row = tab.locator("table.ledger-seats tr:target")
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("home on Soyuz MS-23")
    expect(row).to_contain_text("371")
    screenshot(tab, "ledger-desktop")


def test_the_dashboard_links_to_the_ledger(open_page):
    tab = open_page()
    tab.goto("/")
    with tab.expect_navigation():
        tab.locator("#agreement-progress").get_by_role("link", name="The seat-swap ledger").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("The seat-swap ledger")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_ledger_fits_a_phone_and_a_tapped_seat_shows_its_row(open_page, theme):
    tab = open_page(theme=theme, **PHONE)
    tab.goto("/agreement/ledger/")
    assert_no_sideways_scroll(tab)
    assert_within_the_screen(tab.locator("svg.ledger-chart"))
    tab.locator("svg.ledger-chart a[aria-label^='Christopher Williams'] rect").first.tap()
    row = tab.locator("table.ledger-seats tr:target")
    expect(row).to_be_in_viewport()
    expect(row).to_contain_text("Christopher Williams")
    expect(row).to_contain_text("so far")
    screenshot(tab, f"ledger-phone-{theme}")


# --- The timeline on a phone --------------------------------------------------------------------


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_phone_timeline_opens_at_today_and_a_tapped_bar_shows_its_details(open_page, javascript):
    tab = open_page(javascript=javascript, **PHONE)
    tab.goto("/timeline/")
    assert_no_sideways_scroll(tab)
    expect(tab.get_by_text("scroll it sideways for earlier years")).to_be_visible()

    # The plot's box opens at its right end: today's line is in view, and so are the stays in progress.
    scroll_box = tab.locator(".timeline-scroll").bounding_box()
    today = tab.locator("svg.timeline g.today line").bounding_box()
    assert scroll_box["x"] <= today["x"] <= scroll_box["x"] + scroll_box["width"]
    williams = tab.locator("svg.timeline a[aria-label^='Christopher Williams']")
    # Planned flights' rows and the legend come first: scroll the page (not the plot's box) down to his row.
    williams.locator("rect.bar").evaluate("bar => window.scrollBy(0, bar.getBoundingClientRect().top - 200)")
    expect(williams.locator("rect.bar")).to_be_in_viewport()

    williams.locator("rect.bar").tap()
    entry = tab.locator("li.stay-entry:target")
    expect(entry).to_be_in_viewport()
    expect(entry).to_contain_text("Christopher Williams")
    expect(entry).to_contain_text("up on Soyuz MS-28")
    expect(entry).to_contain_text("days so far")
    for date in entry.locator("time").all():  # "2025-11-27" on one line, never broken at a hyphen
        assert date.bounding_box()["height"] < 1.5 * date.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    screenshot(tab, f"timeline-phone-tapped-{'js' if javascript else 'nojs'}", full_page=False)

    entry.get_by_role("link", name="Back to the chart").tap()
    assert tab.url.endswith(f"#bar-{seat_id('Christopher Williams')}")
    expect(williams.locator("rect.bar")).to_be_in_viewport()


def test_an_old_stay_is_one_sideways_scroll_and_a_tap_away(open_page):
    tab = open_page(**PHONE)
    tab.goto("/timeline/")
    rubio = tab.locator("svg.timeline a[aria-label^='Francisco Rubio'] rect.bar")
    rubio.scroll_into_view_if_needed()  # what a finger does: the box scrolls sideways, the page down
    assert_no_sideways_scroll(tab)
    rubio.tap()
    entry = tab.locator("li.stay-entry:target")
    expect(entry).to_contain_text("home on Soyuz MS-23")
    expect(entry).to_contain_text("371 days")


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_timeline_on_a_phone_in_both_themes(open_page, theme):
    tab = open_page(theme=theme, **PHONE)
    tab.goto("/timeline/")
    assert_no_sideways_scroll(tab)
    screenshot(tab, f"timeline-phone-{theme}", full_page=False)


# --- The mission and person pages at 390 px -----------------------------------------------------


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_mission_seat_table_fits_a_phone(open_page, theme):
    tab = open_page(theme=theme, **PHONE)
    tab.goto("/missions/soyuz-ms-22/")
    assert_no_sideways_scroll(tab)
    rubio = tab.locator("table.seats tr", has_text="Francisco Rubio")
    assert_within_the_screen(tab.locator("table.seats").first)
    for cell in rubio.locator("th, td").all():
        assert_within_the_screen(cell)
    expect(rubio).to_contain_text("home on Soyuz MS-23")
    screenshot(tab, f"mission-phone-{theme}")


def test_the_person_page_fits_a_phone_and_says_which_flight_is_still_up(open_page):
    tab = open_page(**PHONE)
    tab.goto("/people/andrey-fedyaev/")
    assert_no_sideways_scroll(tab)
    expect(tab.locator(".facts")).to_contain_text(re.compile(r"Flights\s*2 \(1 in flight\)"))
    crew12 = tab.locator("table.stays tr", has_text="SpaceX Crew-12")
    expect(crew12).to_contain_text("in flight")
    for cell in crew12.locator("th, td").all():
        assert_within_the_screen(cell)
    screenshot(tab, "person-phone")
