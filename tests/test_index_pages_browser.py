"""The index pages in Chromium: the missions filters and pager swap only the list (and push
the URL), the people table sorts by a click on its headings, and all of it works with
JavaScript off. Screenshots of each index and the 404 page, at desktop and phone widths, in
both themes, go to test-artifacts/ for a person to look at."""

import os
import re

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.browser import screenshot  # noqa: E402
from tests.factories import make_cross_flights  # noqa: E402
from tracker.record.models import Mission  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def mission_rows(page) -> list[str]:
    return page.locator("#missions-list table.missions tbody tr").evaluate_all("rows => rows.map(r => r.id)")


def people_names(page) -> list[str]:
    return page.locator("#people-list tbody th a").all_inner_texts()


def mark_the_page(page, region: str) -> None:
    """Marks the document and the region, to tell a swap of the region from a reload."""
    page.evaluate(f"() => {{ window.__marker = 1; document.getElementById('{region}').__old = true; }}")


def assert_swapped_not_reloaded(page, region: str) -> None:
    page.wait_for_function(f"() => !document.getElementById('{region}').__old")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def test_the_mission_filters_swap_the_list_and_push_the_url(open_page):
    page = open_page()
    page.goto("/missions/")
    assert "mission-boeing-crew-flight-test" in mission_rows(page)
    mark_the_page(page, "missions-list")
    with page.expect_response(lambda r: r.request.headers.get("hx-target") == "missions-list") as swap:
        page.get_by_label("Vehicle").select_option(label="Starliner")
    assert "<html" not in swap.value.text()
    page.wait_for_url(re.compile(r"family=starliner"))
    assert_swapped_not_reloaded(page, "missions-list")
    assert mission_rows(page) == ["mission-boeing-crew-flight-test"]

    # Back to every vehicle, then cross-flights only: the checkbox is a filter too.
    page.get_by_label("Vehicle").select_option(label="All vehicles")
    page.wait_for_function("() => document.querySelectorAll('#missions-list tbody tr').length > 1")
    with page.expect_response(lambda r: "cross_flight=on" in r.url):
        page.get_by_label("Cross-flights only").check()
    page.wait_for_url(re.compile(r"cross_flight=on"))
    page.wait_for_function("() => !document.getElementById('mission-boeing-crew-flight-test')")
    expected = {f"mission-{slug}" for slug in Mission.objects.cross_flights().values_list("slug", flat=True)}
    assert set(mission_rows(page)) == expected

    page.go_back()
    page.wait_for_function("() => !!document.getElementById('mission-boeing-crew-flight-test')")


def test_the_missions_pager_swaps_the_list_and_keeps_the_filters(open_page):
    make_cross_flights(30)
    page = open_page()
    page.goto("/missions/?family=soyuz-ms")
    first_page = mission_rows(page)
    assert len(first_page) == 25
    mark_the_page(page, "missions-list")
    page.get_by_role("link", name="Older").click()
    page.wait_for_url(re.compile(r"family=soyuz-ms&page=2"))
    assert_swapped_not_reloaded(page, "missions-list")
    second_page = mission_rows(page)
    assert second_page and not set(second_page) & set(first_page)
    assert page.get_by_label("Vehicle").input_value() == "soyuz-ms"
    assert "Page 2 of" in page.locator("#missions-list .pager").inner_text()
    page.get_by_role("link", name="Newer").click()
    page.wait_for_function("() => !document.querySelector('#missions-list .pager').textContent.includes('Page 2')")
    assert mission_rows(page) == first_page


def test_the_people_table_sorts_by_a_click_on_a_heading(open_page):
    page = open_page()
    page.goto("/people/")
    days = page.locator("#people-list td.days").all_inner_texts()
    assert [int(d) for d in days] == sorted((int(d) for d in days), reverse=True)
    mark_the_page(page, "people-list")
    page.locator("#people-list thead").get_by_role("link", name="Name").click()
    page.wait_for_url(re.compile(r"sort=name"))
    assert_swapped_not_reloaded(page, "people-list")
    names = people_names(page)
    assert names == sorted(names)
    assert page.locator("#people-list th[aria-sort]").text_content().strip().startswith("Name")

    page.locator("#people-list thead").get_by_role("link", name="Flights").click()
    page.wait_for_url(re.compile(r"sort=flights"))
    page.wait_for_function("() => document.querySelector('#people-list th[aria-sort]').textContent.includes('Flights')")
    rubio = page.locator("#person-francisco-rubio")
    rubio.get_by_role("link", name="Francisco Rubio").click()
    page.wait_for_url(re.compile(r"/people/francisco-rubio/$"))
    page.locator(".crumbs").get_by_role("link", name="People").click()
    page.wait_for_url(re.compile(r"/people/$"))


def test_the_index_pages_work_without_javascript(open_page):
    page = open_page(javascript=False)
    page.goto("/")
    page.locator("header nav").get_by_role("link", name="Missions").click()
    page.wait_for_url(re.compile(r"/missions/$"))
    page.get_by_label("Vehicle").select_option(label="Starliner")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "family=starliner" in page.url
    assert mission_rows(page) == ["mission-boeing-crew-flight-test"]

    page.locator("header nav").get_by_role("link", name="People").click()
    page.wait_for_url(re.compile(r"/people/$"))
    with page.expect_navigation():
        page.locator("#people-list thead").get_by_role("link", name="Agency").click()
    assert "sort=agency" in page.url
    agencies = page.locator("#people-list tbody .agency").all_inner_texts()
    assert agencies == sorted(agencies)

    page.locator("header nav").get_by_role("link", name="Vehicles").click()
    page.wait_for_url(re.compile(r"/vehicles/$"))
    page.get_by_role("link", name="Soyuz MS").first.click()
    page.wait_for_url(re.compile(r"/vehicles/soyuz-ms/$"))
    assert page.locator(".crumbs").get_by_role("link", name="Vehicles").count() == 1


@pytest.mark.parametrize("url", ["/missions/", "/"])
def test_launch_dates_do_not_wrap_mid_date(open_page, url):
    # Just wide enough for the table layout: the date columns are at their narrowest.
    page = open_page(viewport={"width": 720, "height": 900})
    page.goto(url)
    heights = page.locator("table.missions td.date time").evaluate_all(
        "els => els.map(e => [e.textContent, e.getClientRects().length])"
    )
    assert heights and all(lines == 1 for _, lines in heights), heights


def test_a_long_search_query_stays_inside_its_card(open_page):
    page = open_page(viewport=PHONE)
    page.goto("/search/?q=" + "Kosmonavtika" * 12)
    card = page.locator(".search-empty").bounding_box()
    summary = page.locator(".search-empty .search-summary")
    assert summary.evaluate("e => e.scrollWidth <= e.clientWidth")
    box = summary.bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"] + 1


# --- screenshots -----------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize(("width", "viewport"), [("1366", LAPTOP), ("390", PHONE)])
def test_screenshots_of_the_index_pages(open_page, theme, width, viewport):
    page = open_page(viewport=viewport, theme=theme)
    for name, url in [("missions", "/missions/"), ("people", "/people/"), ("vehicles", "/vehicles/")]:
        page.goto(url)
        assert page.locator("html").get_attribute("data-theme") == theme
        screenshot(page, f"index-{name}-{width}-{theme}")
        screenshot(page, f"index-{name}-{width}-{theme}-top", full_page=False)
        # Nothing sticks out sideways on a phone.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name


@pytest.mark.parametrize("theme", ["dark", "light"])
@pytest.mark.parametrize(("width", "viewport"), [("1366", LAPTOP), ("390", PHONE)])
def test_screenshots_of_the_404_page(browser, live_server, record, theme, width, viewport):
    # Not a watched tab: the 404 status it reports is the point here.
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.add_cookies([{"name": "theme", "value": theme, "url": live_server.url}])
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda msg: msg.type == "error" and "404" not in msg.text and errors.append(msg.text))
        response = page.goto("/missions/nope/")
        assert response.status == 404
        assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
        # Styled like the site: the theme's own background, not the browser's white or black.
        background = {"dark": "rgb(11, 16, 32)", "light": "rgb(245, 247, 251)"}[theme]
        assert page.evaluate("getComputedStyle(document.documentElement).backgroundColor") == background
        assert page.locator("link[rel=stylesheet]").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert not errors, errors
        screenshot(page, f"not-found-{width}-{theme}", full_page=False)
    finally:
        context.close()


def test_the_404_pages_search_box_finds_what_was_typed(browser, live_server, record):
    # Not a watched tab: the first page answers 404 on purpose.
    context = browser.new_context(base_url=live_server.url, viewport=LAPTOP)
    try:
        page = context.new_page()
        assert page.goto("/missions/soyuz-ms-99/").status == 404
        page.get_by_label("Or search the record").fill("Rubio")
        with page.expect_navigation():
            page.locator("form.error-search").get_by_role("button", name="Search").click()
        assert re.search(r"/search/\?q=Rubio$", page.url)
        assert page.locator("main").get_by_role("link", name="Francisco Rubio").first.is_visible()
    finally:
        context.close()


def test_the_apply_button_filters_the_missions_with_javascript_on(open_page):
    page = open_page()
    page.goto("/missions/")
    page.get_by_label("Launch year").select_option("2022")
    page.wait_for_url(re.compile(r"year=2022"))  # the select alone swaps the list (htmx)
    page.get_by_label("Status").select_option("landed")
    page.wait_for_url(re.compile(r"status=landed"))
    # The click itself sends the filters (a button that did nothing would time out here).
    with page.expect_response(lambda r: "year=2022" in r.url and "status=landed" in r.url):
        page.get_by_role("button", name="Apply").click()
    assert set(mission_rows(page)) == {"mission-soyuz-ms-22", "mission-spacex-crew-5"}
