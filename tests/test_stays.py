"""Legs, stays, days in space and who is aboard: derived in SQL, cross-checked in Python."""

import datetime as dt

import pytest
from django.db.models import Subquery

from tracker.record.models import Leg, Seat
from tracker.record.models.seats import launch_seat_for_descent
from tracker.record.validation import launch_seat_for, pair_stays

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_rubio_has_an_ascent_seat_on_ms_22_and_a_descent_seat_on_ms_23():
    seats = Seat.objects.filter(person__name="Francisco Rubio").values_list("mission__name", "leg")
    assert sorted(seats) == [("Soyuz MS-22", Leg.ASCENT), ("Soyuz MS-23", Leg.DESCENT)]


def test_rubio_stay_runs_from_the_ms_22_launch_to_the_ms_23_landing(mission):
    stay = Seat.objects.filter(person__name="Francisco Rubio").stays(at(2026, 1, 1)).get()
    assert stay.return_mission_id == mission("Soyuz MS-23").pk
    assert stay.stay_end == mission("Soyuz MS-23").landing_at
    assert stay.stay_duration == mission("Soyuz MS-23").landing_at - mission("Soyuz MS-22").launch_at


def test_rubio_spent_371_days_in_space(person):
    totals = Seat.objects.total_days_by_person(at(2026, 1, 1))
    assert totals[person("Francisco Rubio").pk] == dt.timedelta(days=371)


def test_days_in_space_add_up_over_several_flights(person):
    totals = Seat.objects.total_days_by_person(at(2026, 1, 1))
    # Fedyaev: Crew-6 (2023-03-02 → 2023-09-04, 186 days) and Crew-12 not yet launched on 2026-01-01.
    assert totals[person("Andrey Fedyaev").pk] == dt.timedelta(days=186)
    totals = Seat.objects.total_days_by_person(at(2026, 3, 1))
    # ... plus Crew-12 from its 2026-02-13 launch up to "now" (16 days).
    assert totals[person("Andrey Fedyaev").pk] == dt.timedelta(days=186 + 16)


def test_wilmore_came_home_on_crew_9_after_launching_on_starliner(person):
    stay = Seat.objects.filter(person__name="Barry Wilmore").stays().get()
    assert stay.mission.name == "Boeing Crew Flight Test"
    totals = Seat.objects.total_days_by_person()
    assert totals[person("Barry Wilmore").pk] == dt.timedelta(days=286)  # Crew-9 notes: 286 days


def aboard(instant: dt.datetime) -> set[str]:
    return set(Seat.objects.aboard_at(instant).values_list("person__name", flat=True))


def test_rubio_was_aboard_through_the_ms_22_leak_and_left_on_ms_23():
    assert "Francisco Rubio" in aboard(at(2023, 6, 1))
    assert "Francisco Rubio" not in aboard(at(2023, 10, 1))


def test_aboard_on_a_day_lists_both_crews():
    assert aboard(at(2023, 1, 1)) == {
        "Sergey Prokopyev",
        "Dmitry Petelin",
        "Francisco Rubio",
        "Nicole Mann",
        "Josh Cassada",
        "Koichi Wakata",
        "Anna Kikina",
    }


def test_a_crew_is_aboard_between_docking_and_undocking_only():
    # Crew-5 launched 2022-10-05 and docked 2022-10-06 (day precision).
    assert "Anna Kikina" not in aboard(at(2022, 10, 5, 12))
    assert "Anna Kikina" in aboard(at(2022, 10, 6, 12))


def test_crew_in_flight_with_no_landing_date_counts_as_aboard():
    assert {"Christopher Williams", "Andrey Fedyaev"} <= aboard(at(2026, 11, 25))


def test_planned_crews_are_not_aboard():
    assert "Anil Menon" not in aboard(at(2026, 11, 25))


def test_python_pairing_agrees_with_the_sql_pairing_for_every_person():
    sql = {seat.pk: seat.return_mission_id for seat in Seat.objects.stays()}
    seats = list(Seat.objects.select_related("mission", "person"))
    by_person: dict[int, list[Seat]] = {}
    for seat in seats:
        by_person.setdefault(seat.person_id, []).append(seat)
    checked = 0
    for person_seats in by_person.values():
        for stay in pair_stays(person_seats):
            assert sql[stay.ascent.pk] == (stay.descent.mission_id if stay.descent else None)
            checked += 1
    assert checked == len(sql) == Seat.objects.filter(leg=Leg.ASCENT).count()


def test_aboard_query_count_is_constant(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(Seat.objects.aboard_at(at(2024, 1, 1)).values_list("person__name", "mission__name"))


def test_python_launch_for_a_descent_agrees_with_the_sql_for_every_person():
    # The pairing rule is written twice on purpose: in SQL for the lists (SeatQuerySet) and in
    # Python for validating seats that are not saved yet (validation.py). This and the test
    # above hold the two to one rule, in both directions.
    sql = dict(
        Seat.objects.filter(leg=Leg.DESCENT)
        .annotate(began_on=Subquery(launch_seat_for_descent().values("pk")[:1]))
        .values_list("pk", "began_on")
    )
    seats = list(Seat.objects.select_related("mission", "person"))
    checked = 0
    for descent in (seat for seat in seats if seat.leg == Leg.DESCENT):
        ascent = launch_seat_for(descent, [seat for seat in seats if seat.person_id == descent.person_id])
        assert sql[descent.pk] == (ascent.pk if ascent else None), descent
        checked += 1
    assert checked == len(sql) > 50
