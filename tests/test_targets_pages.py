"""Targets shown as targets: the time tags ("Target 2026-07-14", "NET September 2026",
"overdue"), the next launch's countdown no finer than the record knows it, the warning
badges, and the pages of the shipped record on 2026-12-04 (every target passed
unconfirmed) and on 2026-06-01 (every target still ahead)."""

import datetime as dt
import re

import pytest
import time_machine

from tests.factories import planned_mission
from tests.pages import page_html, render_mission_tag, visible_text
from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Certainty, Mission, MissionStatus
from tracker.record.templatetags.record_tags import flight_days

UTC = dt.UTC
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=UTC)  # the record as of today: all four targets passed
BEFORE = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)  # before any of them
OVERDUE_TITLE = 'title="Announced target passed with no confirmation in the record"'


# --- the time tag -----------------------------------------------------------------------

MS29_TARGET = {"launch_at": dt.datetime(2026, 7, 14, tzinfo=UTC), "launch_precision": Precision.DAY}
CREW13_NET = {
    "launch_at": dt.datetime(2026, 9, 1, tzinfo=UTC),
    "launch_precision": Precision.MONTH,
    "launch_certainty": Certainty.NO_EARLIER_THAN,
}


def test_a_target_day_reads_target_with_its_machine_readable_date_unchanged():
    html = render_mission_tag(
        '{% event_time mission "launch" %}', planned_mission(**MS29_TARGET, launch_certainty="target"), BEFORE
    )
    assert (
        '<span class="target-label">Target</span> <time class="target" datetime="2026-07-14">2026-07-14</time>' in html
    )
    assert "overdue" not in html


def test_a_no_earlier_than_month_reads_net_september_2026():
    html = render_mission_tag('{% event_time mission "launch" %}', planned_mission(**CREW13_NET), BEFORE)
    assert visible_text(html) == "NET September 2026"
    assert '<time class="target" datetime="2026-09">September 2026</time>' in html


def test_a_target_known_to_the_quarter_says_net_once():
    mission = planned_mission(launch_at=dt.datetime(2027, 7, 1, tzinfo=UTC), launch_precision=Precision.QUARTER)
    mission.launch_certainty = Certainty.TARGET
    assert visible_text(render_mission_tag('{% event_time mission "launch" %}', mission, BEFORE)) == "NET Q3 2027"


def test_a_target_passed_unconfirmed_reads_overdue_and_says_why():
    html = render_mission_tag(
        '{% event_time mission "launch" %}', planned_mission(**MS29_TARGET, launch_certainty="target"), TODAY
    )
    assert visible_text(html) == "Target 2026-07-14 overdue"
    assert 'class="when target overdue"' in html and OVERDUE_TITLE in html
    assert '<span class="badge overdue">overdue</span>' in html


def test_a_confirmed_time_reads_as_a_plain_fact():
    landed = Mission(
        status=MissionStatus.LANDED,
        launch_at=dt.datetime(2022, 9, 21, tzinfo=UTC),
        launch_precision=Precision.DAY,
        launch_certainty=Certainty.CONFIRMED,
    )
    html = render_mission_tag('{% event_time mission "launch" %}', landed, TODAY)
    assert html.strip() == '<time datetime="2022-09-21">2022-09-21</time>'


def test_a_cancelled_flights_target_is_never_overdue():
    cancelled = planned_mission(**MS29_TARGET, launch_certainty="target")
    cancelled.status = MissionStatus.CANCELLED
    assert "overdue" not in render_mission_tag('{% event_time mission "launch" %}', cancelled, TODAY)


# --- the next launch's countdown -------------------------------------------------------


def countdown(mission: Mission, now: dt.datetime) -> str:
    return render_mission_tag("{% launch_countdown mission %}", mission, now)


def test_an_exact_launch_ahead_counts_down_in_days_and_hours_and_ticks():
    mission = planned_mission(launch_at=dt.datetime(2026, 6, 19, 9, tzinfo=UTC), launch_precision=Precision.EXACT)
    html = countdown(mission, BEFORE)
    assert "in 17 days, 21 h" in html
    assert 'data-countdown="2026-06-19T09:00:00+00:00" data-precision="exact"' in html


def test_a_launch_known_to_the_day_counts_whole_days_with_no_hours():
    html = countdown(planned_mission(**MS29_TARGET), BEFORE)
    assert visible_text(html) == "in 43 days"
    assert "data-countdown" not in html


def test_a_launch_known_to_the_day_is_today_on_its_day():
    assert visible_text(countdown(planned_mission(**MS29_TARGET), dt.datetime(2026, 7, 14, 20, tzinfo=UTC))) == "today"


def test_a_launch_known_to_the_month_names_the_month_instead_of_counting():
    assert visible_text(countdown(planned_mission(**CREW13_NET), BEFORE)) == "no earlier than September 2026"
    target = planned_mission(launch_at=dt.datetime(2026, 9, 1, tzinfo=UTC), launch_precision=Precision.MONTH)
    assert visible_text(countdown(target, BEFORE)) == "in September 2026"


def test_a_target_just_passed_awaits_confirmation_instead_of_counting_up():
    mission = planned_mission(launch_at=dt.datetime(2026, 6, 1, 9, tzinfo=UTC), launch_precision=Precision.EXACT)
    html = countdown(mission, BEFORE)
    assert visible_text(html) == "Target passed: launch not confirmed yet"
    assert "ago" not in html and "data-countdown" not in html


def test_an_overdue_launch_says_so_instead_of_counting_up():
    html = countdown(planned_mission(**MS29_TARGET, launch_certainty="target"), TODAY)
    assert visible_text(html) == "Target 2026-07-14 passed: no launch in the record"
    assert "ago" not in html and "data-countdown" not in html
    assert (
        visible_text(countdown(planned_mission(**CREW13_NET), TODAY))
        == "NET September 2026 passed: no launch in the record"
    )


# --- badges and durations -----------------------------------------------------------------


def in_flight(**fields) -> Mission:
    return Mission(
        name="Soyuz MS-28",
        status=MissionStatus.IN_FLIGHT,
        launch_at=dt.datetime(2025, 11, 27, tzinfo=UTC),
        launch_precision=Precision.DAY,
        launch_certainty=Certainty.CONFIRMED,
        **fields,
    )


MS28_LANDING = {
    "landing_at": dt.datetime(2026, 7, 1, tzinfo=UTC),
    "landing_precision": Precision.MONTH,
    "landing_certainty": Certainty.TARGET,
}


def test_an_overdue_landing_is_flagged_in_words_not_as_stale():
    mission = in_flight(**MS28_LANDING)
    mission.is_stale = True
    html = render_mission_tag("{% record_flags mission %}", mission, TODAY)
    assert ">landing overdue</span>" in html and ">stale<" not in html
    assert 'title="Landing target July 2026 passed unconfirmed: announced target passed' in html
    long = render_mission_tag("{% record_flags mission long=True %}", mission, TODAY)
    assert "overdue Landing target July 2026 passed unconfirmed" in visible_text(long)


def test_a_flight_past_its_usual_stay_with_no_landing_target_is_still_stale():
    mission = in_flight()
    mission.is_stale = True
    html = render_mission_tag("{% record_flags mission %}", mission, TODAY)
    assert ">stale</span>" in html and "overdue" not in html


def test_a_landing_target_makes_no_flight_duration():
    assert flight_days(in_flight(**MS28_LANDING), TODAY) == "372 days so far"


# --- the shipped record's pages ----------------------------------------------------------

pytestmark_db = pytest.mark.django_db


def region(html: str, region_id: str) -> str:
    start = html.index(f'id="{region_id}"')
    return html[start : html.index("</section>", start)]


@pytestmark_db
@time_machine.travel(TODAY, tick=False)
def test_today_the_dashboard_says_every_target_passed_unconfirmed(client):
    html = page_html(client, "/")
    next_flight = visible_text(region(html, "next-crossflight"))
    assert "Soyuz MS-29 Launch: Target 2026-07-14 overdue" in next_flight
    assert "Target 2026-07-14 passed: no launch in the record" in next_flight
    assert "ago" not in next_flight and "data-countdown" not in region(html, "next-crossflight")
    aboard = region(html, "aboard-now")
    # The crews of MS-28 and Crew-12 are still up as far as the record knows.
    assert aboard.count('title="Landing target') == 7 and ">stale<" not in aboard
    assert "announced landing target has passed with no landing in the record" in visible_text(aboard)
    upcoming = visible_text(html[html.index('id="upcoming"') : html.index('id="completed"')])
    assert "NET September 2026 overdue" in upcoming and "Target 2026-07-14 overdue" in upcoming
    in_flight_ = visible_text(html[html.index('id="in-flight"') : html.index('id="upcoming"')])
    assert "Target July 2026 overdue" in in_flight_ and "Target October 2026 overdue" in in_flight_


@pytestmark_db
@time_machine.travel(TODAY, tick=False)
def test_today_the_mission_page_says_which_target_passed(client):
    ms29 = visible_text(page_html(client, "/missions/soyuz-ms-29/"))
    assert "overdue Launch target 2026-07-14 passed unconfirmed" in ms29
    assert "Launch Target 2026-07-14 overdue" in ms29
    ms28 = page_html(client, "/missions/soyuz-ms-28/")
    assert "Landing Target July 2026 overdue" in visible_text(ms28)
    assert "Launch 2025-11-27" in visible_text(ms28)  # what happened reads as a fact
    assert "<dt>Time in flight</dt><dd>372 days so far</dd>" in ms28


@pytestmark_db
@time_machine.travel(TODAY, tick=False)
def test_today_a_person_in_flight_is_still_up_past_an_overdue_landing_target(client):
    williams = visible_text(page_html(client, "/people/christopher-williams/"))
    assert "still up, due Target July 2026 overdue 372 so far" in williams


@pytestmark_db
@time_machine.travel(TODAY, tick=False)
def test_today_the_timeline_hatches_planned_stays_and_marks_the_overdue_targets(client):
    html = page_html(client, "/timeline/")
    plot = re.search(r'<svg [^>]*class="timeline".*?</svg>', html, re.S).group(0)
    assert plot.count('<rect class="plan') == 7  # MS-29's three and Crew-13's four
    # Each of MS-29's and Crew-13's crew: a launch target passed; MS-28's and Crew-12's: a landing.
    assert plot.count('class="overdue-mark"') == 3 + 4 + 3 + 4
    assert "<title>Landing target July 2026 passed unconfirmed</title>" in plot
    legend = visible_text(html[html.index('class="legend timeline-legend"') : html.index('id="timeline-scroll-note"')])
    assert "planned: up to an announced target" in legend and "target passed with no confirmation" in legend
    assert "planned up on SpaceX Crew-13, launch: NET September 2026 overdue" in visible_text(html)


@pytestmark_db
@time_machine.travel(TODAY, tick=False)
def test_the_downloadable_timeline_has_its_own_legend(client):
    svg = page_html(client, "/timeline.svg")
    assert '<g class="legend"' in svg and "planned (to a target)" in svg and "target passed unconfirmed" in svg


@pytestmark_db
def test_the_fourth_addendum_talks_show_no_flights_yet(client):
    html = page_html(client, "/agreement/")
    talks = html[html.index('id="document-addendum_4_negotiations"') :].split("</section>", 1)[0]
    assert "<dt>Flights flown</dt><dd>no flights yet</dd>" in talks
    assert "No flights yet" in talks and "<ul" not in talks


@pytestmark_db
@time_machine.travel(BEFORE, tick=False)
def test_before_the_targets_the_dashboard_counts_days_to_ms_29_and_nothing_is_overdue(client):
    html = page_html(client, "/")
    next_flight = region(html, "next-crossflight")
    assert "Soyuz MS-29" in next_flight and "Target 2026-07-14" in visible_text(next_flight)
    assert '<p class="countdown">in 43 days</p>' in next_flight
    assert " h" not in visible_text(next_flight.split('class="countdown"', 1)[1].split("</p>", 1)[0])
    assert "overdue" not in html and ">stale<" not in html
    assert "NET September 2026" in visible_text(html)


@pytestmark_db
@time_machine.travel(BEFORE, tick=False)
def test_before_the_targets_the_timeline_draws_the_planned_rest_of_each_stay(client):
    html = page_html(client, "/timeline/")
    plot = re.search(r'<svg [^>]*class="timeline".*?</svg>', html, re.S).group(0)
    # The planned crews (7) and the rest of MS-28's (3) and Crew-12's (4) stays to their targets.
    assert plot.count('<rect class="plan') == 7 + 3 + 4
    assert "overdue-mark" not in plot
