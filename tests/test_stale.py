"""Stale: an expected event whose date has passed with no confirmation in the record."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Mission, MissionStatus

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def stale_names() -> set[str]:
    return set(Mission.objects.with_stale().filter(is_stale=True).values_list("name", flat=True))


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=UTC), tick=False)
def test_in_flight_missions_and_passed_targets_are_stale_today():
    # MS-28 and Crew-12: landing targets passed; MS-29 and Crew-13: launch targets passed.
    assert stale_names() == {"Soyuz MS-28", "SpaceX Crew-12", "Soyuz MS-29", "SpaceX Crew-13"}


@time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False)
def test_nothing_is_stale_when_the_record_was_compiled():
    assert stale_names() == set()


@time_machine.travel(dt.datetime(2026, 3, 1, tzinfo=UTC), tick=False)
def test_a_planned_launch_known_to_the_month_is_stale_only_after_that_month(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.launch_at, ms29.launch_precision = dt.datetime(2026, 7, 1, tzinfo=UTC), Precision.MONTH
    ms29.save()
    assert "Soyuz MS-29" not in stale_names()
    with time_machine.travel(dt.datetime(2026, 7, 31, 23, tzinfo=UTC), tick=False):
        assert "Soyuz MS-29" not in stale_names()
    with time_machine.travel(dt.datetime(2026, 8, 2, 1, tzinfo=UTC), tick=False):
        assert "Soyuz MS-29" in stale_names()


@time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=UTC), tick=False)
def test_a_net_half_year_launch_is_not_stale_before_the_half_ends(mission):
    crew13 = mission("SpaceX Crew-13")
    crew13.launch_at, crew13.launch_precision = dt.datetime(2026, 7, 1, tzinfo=UTC), Precision.HALF
    crew13.save()
    assert "SpaceX Crew-13" not in stale_names()
    with time_machine.travel(dt.datetime(2027, 1, 3, tzinfo=UTC), tick=False):
        assert "SpaceX Crew-13" in stale_names()


@time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=UTC), tick=False)
def test_an_exact_launch_time_passed_by_more_than_a_day_is_stale(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.status = MissionStatus.SCHEDULED
    ms29.launch_at, ms29.launch_precision = timezone.now() - dt.timedelta(hours=20), Precision.EXACT
    ms29.save()
    assert "Soyuz MS-29" not in stale_names()
    ms29.launch_at = timezone.now() - dt.timedelta(hours=25)
    ms29.save()
    assert "Soyuz MS-29" in stale_names()


@time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=UTC), tick=False)
def test_confirming_the_landing_clears_the_stale_flag(mission):
    ms28 = mission("Soyuz MS-28")
    ms28.status = MissionStatus.LANDED
    ms28.landing_at, ms28.landing_precision = dt.datetime(2026, 7, 27, tzinfo=UTC), Precision.DAY
    ms28.save()
    assert "Soyuz MS-28" not in stale_names()


@time_machine.travel(dt.datetime(2026, 11, 25, tzinfo=UTC), tick=False)
def test_an_in_flight_mission_with_a_planned_landing_still_ahead_is_not_stale(mission):
    crew12 = mission("SpaceX Crew-12")
    crew12.landing_at, crew12.landing_precision = dt.datetime(2026, 12, 1, tzinfo=UTC), Precision.MONTH
    crew12.save()
    assert "SpaceX Crew-12" not in stale_names()


def test_landed_and_cancelled_missions_are_never_stale(mission):
    crew12 = mission("SpaceX Crew-12")
    crew12.status = MissionStatus.CANCELLED
    crew12.save()
    with time_machine.travel(dt.datetime(2030, 1, 1, tzinfo=UTC), tick=False):
        assert "SpaceX Crew-12" not in stale_names()
        assert "Soyuz MS-22" not in stale_names()
