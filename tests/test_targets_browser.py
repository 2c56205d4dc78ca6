"""Targets as targets in a real browser (Debian's Chromium under Playwright), in the dark and
light themes: the dashboard, Soyuz MS-29's and MS-28's pages and the timeline show planned,
overdue and confirmed times apart, styled in both themes, and the next launch's countdown
never counts up past a target. The shipped record is as of today, 2026-12-04, when every
target has passed unconfirmed; one test looks at 2026-06-01, before them.

Screenshots go to the test's tmp dir (and test-artifacts/) for a person to look at."""

import datetime as dt
import os

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
import time_machine  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.browser import screenshot  # noqa: E402
from tracker.record.models import Mission, MissionStatus  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THEMES = ["dark", "light"]
BEFORE_THE_TARGETS = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def shoot(tab, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{path} looks empty"
    screenshot(tab, name)  # and in test-artifacts/, beside the other suites' shots


def colour(locator) -> str:
    return locator.evaluate("el => getComputedStyle(el).color")


def words(locator) -> str:
    return " ".join(locator.inner_text().split())


@pytest.mark.parametrize("theme", THEMES)
def test_the_dashboard_says_overdue_targets_in_words(open_page, tmp_path, theme):
    tab = open_page(theme=theme)
    tab.goto("/")
    tab.wait_for_load_state("networkidle")
    next_flight = tab.locator("#next-crossflight")
    assert "LAUNCH: TARGET 2026-07-14 OVERDUE" in words(next_flight).upper()
    assert "Target 2026-07-14 passed: no launch in the record" in words(next_flight)
    assert next_flight.locator("[data-countdown]").count() == 0
    overdue = next_flight.locator(".when.overdue")
    assert overdue.get_attribute("title") == "Announced target passed with no confirmation in the record"
    assert overdue.locator(".badge.overdue").is_visible()

    aboard = tab.locator("#aboard-now")
    assert aboard.locator("tbody .badge.overdue").count() == 7
    assert aboard.locator(".badge.stale").count() == 0
    # A target reads in the warning colour, not like the confirmed launches beside it.
    in_flight = tab.locator("#in-flight tbody tr", has_text="Soyuz MS-28")
    fact, target = in_flight.locator("td.date > time"), in_flight.locator("td.date time.target")
    assert fact.inner_text() == "2025-11-27" and target.inner_text() == "July 2026"
    assert colour(fact) != colour(target)
    shoot(tab, tmp_path, f"targets-dashboard-{theme}")


@pytest.mark.parametrize("theme", THEMES)
def test_the_mission_pages_show_planned_overdue_and_confirmed_events(open_page, tmp_path, theme):
    tab = open_page(theme=theme)
    tab.goto("/missions/soyuz-ms-29/")
    flag = tab.locator(".detail-head .flag.overdue")
    assert "Launch target 2026-07-14 passed unconfirmed" in words(flag)
    launch = tab.locator("ol.events li", has_text="Launch")
    assert words(launch).upper() == "LAUNCH TARGET 2026-07-14 OVERDUE"
    assert launch.locator("time.target").get_attribute("datetime") == "2026-07-14"
    shoot(tab, tmp_path, f"targets-mission-ms-29-{theme}")

    tab.goto("/missions/soyuz-ms-28/")
    events = tab.locator("ol.events")
    assert events.locator("li", has_text="Launch").locator("time.target").count() == 0  # it happened
    landing = events.locator("li", has_text="Landing")
    assert landing.locator("time.target.overdue").inner_text() == "July 2026"
    shoot(tab, tmp_path, f"targets-mission-ms-28-{theme}")


@pytest.mark.parametrize("theme", THEMES)
def test_the_timeline_hatches_planned_stays_and_marks_overdue_targets(open_page, tmp_path, theme):
    tab = open_page(theme=theme)
    tab.goto("/timeline/")
    plot = tab.locator("main svg.timeline")
    planned = plot.locator("rect.plan")
    assert planned.count() == 7
    assert "url(" in planned.first.evaluate("el => getComputedStyle(el).fill")
    assert plot.locator("rect.bar").count() == 50
    assert plot.locator(".overdue-mark").count() == 14
    legend = tab.locator(".timeline-legend")
    assert "planned: up to an announced target" in words(legend) and legend.is_visible()
    shoot(tab, tmp_path, f"targets-timeline-{theme}")


def test_a_countdown_to_an_exact_target_stops_when_it_passes(open_page):
    crew13 = Mission.objects.get(slug="spacex-crew-13")
    crew13.launch_at = dt.datetime(2028, 1, 1, tzinfo=dt.UTC)
    crew13.save()
    ms29 = Mission.objects.get(slug="soyuz-ms-29")
    ms29.status = MissionStatus.SCHEDULED
    ms29.launch_at, ms29.launch_precision = (timezone.now() + dt.timedelta(seconds=20)).replace(microsecond=0), "exact"
    ms29.save()

    tab = open_page()
    tab.goto("/")
    tab.wait_for_function("() => document.querySelector('[data-countdown]').dataset.ticking === 'true'")
    assert tab.locator("#next-crossflight [data-countdown]").inner_text().startswith("T− ")
    tab.wait_for_function("() => !document.querySelector('#next-crossflight [data-countdown]')", timeout=30_000)
    passed = tab.locator("#next-crossflight .countdown-passed")
    assert passed.inner_text() == "Target passed: launch not confirmed yet"
    tab.wait_for_timeout(1_200)
    assert passed.inner_text() == "Target passed: launch not confirmed yet"  # no "T+" counting up


def test_before_the_targets_the_dashboard_counts_whole_days_to_ms_29(open_page, tmp_path):
    with time_machine.travel(BEFORE_THE_TARGETS, tick=True):
        tab = open_page(theme="light")
        tab.goto("/")
        next_flight = tab.locator("#next-crossflight")
        assert next_flight.locator(".countdown").inner_text() == "in 43 days"
        assert next_flight.locator(".badge.overdue").count() == 0
        assert tab.locator(".badge.overdue, .badge.stale").count() == 0
        shoot(tab, tmp_path, "targets-dashboard-2026-06-01-light")
