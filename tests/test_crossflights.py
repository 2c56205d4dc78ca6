"""Which seats are cross-flight seats, derived from seats, agencies, operators and the agreement."""

import datetime as dt
import json
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Leg, Mission, Seat
from tracker.record.reference_data import REFERENCE_DIR, split_nickname

pytestmark = pytest.mark.django_db

FLIGHTS = json.loads((REFERENCE_DIR / "flights.json").read_text())
# Every target of the shipped record has passed unconfirmed by today; on 1 June none had.
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)
BEFORE_THE_TARGETS = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def cross_flight(person_name: str, mission_name: str, leg: str) -> bool:
    return (
        Seat.objects.with_cross_flight()
        .get(person__name=person_name, mission__name=mission_name, leg=leg)
        .is_cross_flight
    )


def test_rubio_on_soyuz_ms_22_is_a_cross_flight_seat():
    assert cross_flight("Francisco Rubio", "Soyuz MS-22", Leg.ASCENT)


def test_kikina_on_crew_5_is_a_cross_flight_seat():
    assert cross_flight("Anna Kikina", "SpaceX Crew-5", Leg.ASCENT)
    assert cross_flight("Anna Kikina", "SpaceX Crew-5", Leg.DESCENT)


def test_wakata_on_crew_5_is_not_a_cross_flight_seat():
    assert not cross_flight("Koichi Wakata", "SpaceX Crew-5", Leg.ASCENT)


def test_a_roscosmos_cosmonaut_on_a_soyuz_is_not_a_cross_flight_seat():
    assert not cross_flight("Sergey Prokopyev", "Soyuz MS-22", Leg.ASCENT)
    assert not cross_flight("Anna Kikina", "Soyuz MS-29", Leg.ASCENT)


def test_rubio_coming_home_on_the_replacement_soyuz_is_a_cross_flight_seat():
    assert cross_flight("Francisco Rubio", "Soyuz MS-23", Leg.DESCENT)


def test_a_nasa_astronaut_on_a_soyuz_outside_the_agreement_is_not_a_cross_flight(mission):
    mission("Soyuz MS-22").agreement_documents.clear()
    assert not cross_flight("Francisco Rubio", "Soyuz MS-22", Leg.ASCENT)


def test_a_seat_stops_being_cross_flight_when_the_person_changes_agency(person):
    from tracker.record.models import Agency

    rubio = person("Francisco Rubio")
    rubio.agency = Agency.objects.get(slug="roscosmos")
    rubio.save()
    assert not cross_flight("Francisco Rubio", "Soyuz MS-22", Leg.ASCENT)


def test_every_seat_of_the_reference_file_has_the_cross_flight_flag_the_sources_give():
    derived = {
        (seat.person.name, seat.mission.name): seat.is_cross_flight
        for seat in Seat.objects.with_cross_flight().select_related("person", "mission")
    }
    checked = 0
    for flight in FLIGHTS:
        for entry in [*flight["crew"], *flight.get("return_crew_from_other_flights", [])]:
            name, _ = split_nickname(entry["name"])
            assert derived[(name, flight["mission"])] == entry["cross_flight"], (name, flight["mission"])
            checked += 1
    assert checked == 64


def test_crossflights_json_lists_every_flight_of_the_reference_file_with_its_seats_and_legs():
    out = StringIO()
    call_command("crossflights", "--json", stdout=out)
    listed = {entry["mission"]: entry for entry in json.loads(out.getvalue())}
    assert set(listed) == {flight["mission"] for flight in FLIGHTS}
    assert "Boeing Crew Flight Test" not in listed
    for flight in FLIGHTS:
        expected = set()
        for entry in flight["crew"]:
            name, _ = split_nickname(entry["name"])
            expected.add((name, "ascent", entry["cross_flight"]))
            if not entry.get("returned_on"):
                expected.add((name, "descent", entry["cross_flight"]))
        for entry in flight.get("return_crew_from_other_flights", []):
            expected.add((split_nickname(entry["name"])[0], "descent", entry["cross_flight"]))
        crew = {(seat["name"], seat["leg"], seat["cross_flight"]) for seat in listed[flight["mission"]]["crew"]}
        assert crew == expected, flight["mission"]


def test_crossflights_json_gives_dates_precisions_status_and_roles():
    out = StringIO()
    call_command("crossflights", "--json", stdout=out)
    ms22 = next(entry for entry in json.loads(out.getvalue()) if entry["mission"] == "Soyuz MS-22")
    assert ms22["vehicle_family"] == "Soyuz MS"
    assert ms22["status"] == "landed"
    assert ms22["launch"] == "2022-09-21T00:00:00Z"
    assert ms22["launch_precision"] == "day"
    assert ms22["launch_certainty"] == "confirmed"
    assert ms22["launch_net"] is False and ms22["launch_overdue"] is False
    assert ms22["landing"] == "2023-03-28T00:00:00Z"
    assert ms22["stale"] is False
    rubio = next(seat for seat in ms22["crew"] if seat["name"] == "Francisco Rubio")
    assert rubio == {
        "name": "Francisco Rubio",
        "agency": "NASA",
        "role": "flight engineer",
        "leg": "ascent",
        "cross_flight": True,
    }
    ms29 = next(entry for entry in json.loads(out.getvalue()) if entry["mission"] == "Soyuz MS-29")
    assert ms29["landing"] is None and ms29["landing_precision"] is None and ms29["landing_certainty"] is None
    assert {seat["role"] for seat in ms29["crew"] if seat["name"] == "Pyotr Dubrov"} == {None}


def crossflights_json() -> dict[str, dict]:
    out = StringIO()
    call_command("crossflights", "--json", stdout=out)
    return {entry["mission"]: entry for entry in json.loads(out.getvalue())}


@time_machine.travel(TODAY, tick=False)
def test_crossflights_json_gives_ms29s_launch_target_as_announced_to_the_day_and_overdue_today():
    ms29 = crossflights_json()["Soyuz MS-29"]
    assert ms29["status"] == "planned"
    assert ms29["launch"] == "2026-07-14"
    assert ms29["launch_precision"] == "day"
    assert ms29["launch_certainty"] == "target"
    assert ms29["launch_net"] is False
    assert ms29["launch_overdue"] is True
    assert ms29["stale"] is True


@time_machine.travel(TODAY, tick=False)
def test_crossflights_json_gives_crew13s_launch_as_a_month_no_earlier_than():
    crew13 = crossflights_json()["SpaceX Crew-13"]
    assert crew13["status"] == "planned"
    assert (crew13["launch"], crew13["launch_precision"]) == ("2026-09", "month")
    assert crew13["launch_certainty"] == "net" and crew13["launch_net"] is True
    assert crew13["launch_overdue"] is True
    assert len(crew13["crew"]) == 8  # four up, four down


@time_machine.travel(BEFORE_THE_TARGETS, tick=False)
def test_a_target_still_ahead_is_not_overdue():
    listed = crossflights_json()
    assert listed["Soyuz MS-29"]["launch_overdue"] is False
    assert listed["SpaceX Crew-13"]["launch_overdue"] is False
    assert listed["Soyuz MS-29"]["stale"] is False


@time_machine.travel(TODAY, tick=False)
def test_a_landing_target_of_a_flight_in_space_is_served_as_announced(mission):
    ms28 = crossflights_json()["Soyuz MS-28"]
    assert ms28["status"] == "in_flight"
    assert ms28["launch_certainty"] == "confirmed" and ms28["launch"].endswith("Z")
    assert (ms28["landing"], ms28["landing_precision"], ms28["landing_certainty"]) == ("2026-07", "month", "target")
    assert ms28["landing_overdue"] is True


@time_machine.travel(TODAY, tick=False)
def test_an_exact_target_keeps_its_time_of_day(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.launch_at, ms29.launch_precision = dt.datetime(2026, 12, 20, 9, 27, tzinfo=dt.UTC), Precision.EXACT
    ms29.save()
    listed = crossflights_json()["Soyuz MS-29"]
    assert (listed["launch"], listed["launch_certainty"], listed["launch_overdue"]) == (
        "2026-12-20T09:27:00Z",
        "target",
        False,
    )


@time_machine.travel(TODAY, tick=False)
def test_the_table_marks_targets_and_overdue_ones():
    out = StringIO()
    call_command("crossflights", stdout=out)
    ms29 = next(line for line in out.getvalue().splitlines() if line.startswith("Soyuz MS-29"))
    crew13 = next(line for line in out.getvalue().splitlines() if line.startswith("SpaceX Crew-13"))
    assert "up ~2026-07-14?" in ms29
    assert "up NET 2026-09?" in crew13


def test_crossflights_table_marks_cross_flight_seats_and_counts_missions():
    out = StringIO()
    call_command("crossflights", stdout=out)
    text = out.getvalue()
    assert "* ascent   Francisco Rubio" in text
    assert "  ascent   Koichi Wakata" in text
    assert "17 cross-flight missions; * marks a cross-flight seat, ! a stale record" in text


def test_cross_flight_missions_query_count_does_not_grow_with_missions(django_assert_num_queries):
    from tracker.record.crossflights import crossflight_missions, mission_as_dict

    with django_assert_num_queries(2):
        assert len([mission_as_dict(m) for m in crossflight_missions()]) == 17


def test_missions_are_counted_once_each():
    assert Mission.objects.cross_flights().count() == 17
