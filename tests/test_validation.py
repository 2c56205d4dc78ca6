"""Rules across rows that model validation enforces on every write path."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Leg, Mission, Seat, Spacecraft, VehicleFamily

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def new_mission(name: str, family: str = "Soyuz MS", launch: dt.datetime | None = None) -> Mission:
    mission = Mission(
        name=name,
        slug=name.lower().replace(" ", "-"),
        family=VehicleFamily.objects.get(name=family),
        launch_at=launch,
        launch_precision=Precision.DAY if launch else "",
    )
    mission.full_clean()
    mission.save()
    return mission


def test_a_person_cannot_be_on_two_overlapping_flights(person):
    overlapping = new_mission("Soyuz MS-99", launch=dt.datetime(2022, 11, 1, tzinfo=UTC))
    seat = Seat(mission=overlapping, person=person("Anna Kikina"), leg=Leg.ASCENT)
    with pytest.raises(ValidationError, match="Anna Kikina cannot be on two flights at once"):
        seat.full_clean()


def test_a_person_may_fly_again_after_landing(person):
    # Wakata came home on Crew-5 in March 2023 and has no later flight in the record.
    later = new_mission("Soyuz MS-99", launch=dt.datetime(2023, 6, 1, tzinfo=UTC))
    Seat(mission=later, person=person("Koichi Wakata"), leg=Leg.ASCENT).full_clean()


def test_a_vehicle_cannot_carry_more_people_than_it_has_seats(person):
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    extra = Seat(mission=ms29, person=person("Koichi Wakata"), leg=Leg.ASCENT)
    with pytest.raises(ValidationError, match="has 3 seats"):
        extra.full_clean()


def test_moving_a_launch_date_into_another_flight_of_its_crew_is_rejected(mission):
    ms22 = mission("Soyuz MS-22")
    ms22.launch_at = ms22.docking_at = dt.datetime(2022, 9, 1, tzinfo=UTC)
    ms22.full_clean()  # still fine: nobody aboard flew earlier
    ms29 = mission("Soyuz MS-29")
    ms29.launch_at, ms29.launch_precision = dt.datetime(2022, 11, 1, tzinfo=UTC), Precision.DAY
    with pytest.raises(ValidationError, match="Anna Kikina cannot be on two flights at once"):
        ms29.full_clean()


def test_shrinking_a_vehicle_below_its_crew_is_rejected(mission):
    crew5 = mission("SpaceX Crew-5")
    crew5.family = VehicleFamily.objects.get(name="Soyuz MS")
    crew5.spacecraft = None
    with pytest.raises(ValidationError, match="3 seats but 4 people"):
        crew5.full_clean()


def test_a_spacecraft_must_belong_to_the_mission_family(mission):
    ms22 = mission("Soyuz MS-22")
    ms22.spacecraft = Spacecraft.objects.get(name="Endurance")
    with pytest.raises(ValidationError, match="not a Soyuz MS"):
        ms22.full_clean()


def test_landing_before_launch_gets_a_clear_message(mission):
    ms22 = mission("Soyuz MS-22")
    ms22.landing_at = dt.datetime(2022, 1, 1, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        ms22.full_clean()
    assert refused.value.message_dict["landing_at"] == [
        "The landing (2022-01-01) cannot be before the launch (2022-09-21)."
    ]


def test_a_cancelled_flight_does_not_block_a_person_schedule(mission, person):
    cancelled = new_mission("Soyuz MS-98", launch=dt.datetime(2022, 11, 1, tzinfo=UTC))
    cancelled.status = "cancelled"
    cancelled.save()
    Seat(mission=cancelled, person=person("Anna Kikina"), leg=Leg.ASCENT).full_clean()
