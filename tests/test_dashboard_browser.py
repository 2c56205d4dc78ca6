"""The public pages in a real browser: Debian's Chromium driven by Playwright against
pytest-django's live server. Covers what only a browser can show: the page runs under its
strict Content-Security-Policy without errors, the htmx filters swap one region and push a
URL, the countdown ticks, the pages work with JavaScript off, themes, and a phone layout.

Screenshots are kept in test-artifacts/ (git-ignored) for a person to look at."""

import datetime as dt
import os
import re

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.browser import ARTIFACTS, screenshot  # noqa: E402
from tracker.record.models import Mission, MissionStatus  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DASHBOARD_SECTIONS = [
    "Aboard the ISS now",
    "Next cross-flight",
    "In flight",
    "Upcoming",
    "Completed",
    "The agreement",
    "Latest news",
]
DASHBOARD_URL = re.compile(r"^https?://[^/]+/$")
# The completed cross-flights' vehicle names, as the mission tables show them.
VEHICLES_IN_COMPLETED = "#completed table.missions tbody .vehicle"


@pytest.fixture
def page(open_page):
    return open_page()


def heading_texts(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("main h2, main h3").all_inner_texts()]


def assert_sections_visible(page):
    for name in DASHBOARD_SECTIONS:
        heading = page.locator("main").get_by_role("heading", name=re.compile(rf"^{re.escape(name)}\b"))
        assert heading.count() == 1, f"{name!r} is not a heading on the page: {heading_texts(page)}"
        assert heading.is_visible(), f"{name!r} is not visible"


def completed_vehicles(page) -> set[str]:
    """The vehicle families of the completed list (without the spacecraft's name after it)."""
    names = page.locator(VEHICLES_IN_COMPLETED).evaluate_all("els => els.map(e => e.firstChild.textContent.trim())")
    return set(names)


def test_dashboard_shows_every_section_without_errors(page):
    response = page.goto("/")
    assert response.status == 200
    assert "content-security-policy" in response.headers  # the errors below would include its violations
    page.wait_for_load_state("networkidle")
    assert_sections_visible(page)
    assert page.locator("html").get_attribute("data-theme") == "dark"
    # htmx and app.js both loaded under the CSP.
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "dashboard-dark")


def test_a_csp_violation_would_be_caught(browser, live_server, record):
    """The console-error hook above is what catches CSP violations: prove that a violation
    on this site does log a console error (an inline script injected into the response)."""
    context = browser.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

        def inject_inline_script(route):
            response = route.fetch()
            body = response.text().replace("</body>", "<script>window.__inline = 1</script></body>")
            route.fulfill(response=response, body=body)

        tab.route(DASHBOARD_URL, inject_inline_script)
        tab.goto("/")
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("window.__inline") is None, "the inline script ran: no CSP?"
        assert any("Content Security Policy" in text for text in errors), errors
    finally:
        context.close()


def test_filter_swaps_only_the_cross_flights_region_and_pushes_the_url(page):
    page.goto("/")
    assert {"Crew Dragon", "Soyuz MS"} <= completed_vehicles(page)
    page.evaluate(
        """() => {
        window.__marker = 1;
        document.getElementById('aboard-now').__kept = true;
        document.getElementById('crossflights').__old = true;
    }"""
    )

    with page.expect_response(
        lambda r: r.request.headers.get("hx-target") == "crossflights" and "family=soyuz-ms" in r.url
    ) as swap:
        page.get_by_label("Vehicle").select_option(label="Soyuz MS")
    assert "<html" not in swap.value.text()
    page.wait_for_url(re.compile(r"family=soyuz-ms"))
    page.wait_for_function("() => !document.getElementById('crossflights').__old")

    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert page.evaluate("document.getElementById('aboard-now').__kept") is True, "#aboard-now was replaced"
    assert page.locator("#crossflights").count() == 1
    assert completed_vehicles(page) == {"Soyuz MS"}
    assert page.locator("#completed tbody tr").count() > 0
    # The swapped region polls the filtered URL from now on.
    assert "family=soyuz-ms" in page.get_attribute("#crossflights", "hx-get")
    screenshot(page, "dashboard-filtered")

    page.go_back()
    page.wait_for_url(DASHBOARD_URL)
    page.wait_for_function(
        "() => [...document.querySelectorAll('#completed .vehicle')].some(e => e.textContent.includes('Crew Dragon'))"
    )
    assert {"Crew Dragon", "Soyuz MS"} <= completed_vehicles(page)
    assert page.get_by_label("Vehicle").input_value() == ""


def test_filtered_url_loaded_directly_renders_the_filtered_view(page):
    page.goto("/?family=soyuz-ms")
    assert_sections_visible(page)
    assert completed_vehicles(page) == {"Soyuz MS"}
    select = page.get_by_label("Vehicle")
    assert select.input_value() == "soyuz-ms"
    assert select.locator("option:checked").inner_text() == "Soyuz MS"
    # A reload of the same URL gives the same view.
    page.reload()
    assert completed_vehicles(page) == {"Soyuz MS"}
    assert page.get_by_label("Vehicle").input_value() == "soyuz-ms"


def test_countdown_ticks_and_local_time_is_shown(page):
    crew13 = Mission.objects.get(slug="spacex-crew-13")  # NET September 2026: out of MS-29's way
    crew13.launch_at = dt.datetime(2028, 1, 1, tzinfo=dt.UTC)
    crew13.save()
    ms29 = Mission.objects.get(slug="soyuz-ms-29")
    ms29.status = MissionStatus.SCHEDULED
    ms29.launch_at = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    ms29.launch_precision = "exact"
    ms29.save()

    page.goto("/")
    next_flight = page.locator("#next-crossflight")
    assert "Soyuz MS-29" in next_flight.inner_text()
    countdown = next_flight.locator("[data-countdown]")
    page.wait_for_function("() => document.querySelector('[data-countdown]').dataset.ticking === 'true'")
    first = countdown.inner_text()
    page.wait_for_timeout(2_200)
    second = countdown.inner_text()
    assert first != second
    assert first.startswith("T−") and second.startswith("T−"), (first, second)
    assert re.fullmatch(r"T− [23] d \d\d:\d\d:\d\d", second), second

    local = next_flight.locator("[data-local]")
    assert local.is_visible()
    assert local.inner_text().strip().endswith("your time")
    ARTIFACTS.mkdir(exist_ok=True)
    next_flight.screenshot(path=str(ARTIFACTS / "next-crossflight-countdown.png"))


def test_pages_work_with_javascript_disabled(open_page):
    page = open_page(javascript=False)
    page.goto("/")
    assert_sections_visible(page)
    assert page.locator("#completed tbody tr").count() > 0

    page.get_by_label("Vehicle").select_option(label="Soyuz MS")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert "family=soyuz-ms" in page.url
    assert completed_vehicles(page) == {"Soyuz MS"}
    assert page.get_by_label("Vehicle").input_value() == "soyuz-ms"

    page.goto("/missions/soyuz-ms-22/")
    assert page.get_by_role("heading", level=1).inner_text() == "Soyuz MS-22"
    rubio = page.locator("table.seats tbody tr", has_text="Francisco Rubio")
    assert rubio.count() == 1
    assert "home on Soyuz MS-23" in " ".join(rubio.inner_text().split())  # he came home a flight later
    screenshot(page, "mission-soyuz-ms-22")

    page.goto("/timeline/")
    svg = page.locator("main svg.timeline")
    assert svg.count() == 1 and svg.is_visible()
    assert svg.locator("rect.bar").count() > 10
    assert 0 < svg.locator("rect.bar.xf").count() < svg.locator("rect.bar").count()
    screenshot(page, "timeline")


def test_regions_poll_and_a_poll_fetches_only_the_fragment(page):
    page.goto("/")
    region = page.locator("#crossflights")
    assert "every 60s" in region.get_attribute("hx-trigger")
    assert region.get_attribute("data-poll") is not None

    with page.expect_request(lambda r: r.headers.get("hx-target") == "crossflights") as polled:
        page.evaluate("htmx.trigger('#crossflights', 'poll-now')")
    response = polled.value.response()
    assert response.status == 200
    body = response.text()
    assert "<html" not in body and 'id="crossflights"' in body

    # A hidden tab sends nothing; becoming visible again refreshes once.
    seen: list[str] = []
    page.on("request", lambda r: r.headers.get("hx-target") and seen.append(r.headers["hx-target"]))
    page.evaluate("Object.defineProperty(document, 'hidden', {configurable: true, get: () => true})")
    page.evaluate("htmx.trigger('#crossflights', 'poll-now')")
    page.wait_for_timeout(500)
    assert seen == []
    with page.expect_request(lambda r: r.headers.get("hx-target") == "aboard-now"):
        page.evaluate(
            """() => {
            Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});
            document.dispatchEvent(new Event('visibilitychange'));
        }"""
        )
    page.wait_for_load_state("networkidle")
    assert set(seen) == {"aboard-now", "crossflights"}


def test_theme_switch_round_trip(page):
    page.goto("/")
    assert page.locator("html").get_attribute("data-theme") == "dark"
    with page.expect_navigation():
        page.get_by_role("link", name="Light theme").click()
    assert page.locator("html").get_attribute("data-theme") == "light"
    assert DASHBOARD_URL.match(page.url)  # the redirect came back to the page the switch was on
    assert_sections_visible(page)
    screenshot(page, "dashboard-light")

    with page.expect_navigation():
        page.get_by_role("link", name="Dark theme").click()
    assert page.locator("html").get_attribute("data-theme") == "dark"


def test_phone_viewport_has_no_horizontal_scroll(open_page):
    page = open_page(viewport=PHONE)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert_sections_visible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a {PHONE['width']}px screen"
    screenshot(page, "dashboard-phone")
