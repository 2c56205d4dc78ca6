"""Integrity held by the database itself: each constraint rejects a bad row written
straight through the ORM (no model validation), on SQLite and on PostgreSQL."""

import datetime as dt

import pytest

from tests.database import rejected
from tracker.record.models import (
    Agency,
    Agreement,
    AgreementDocument,
    Mission,
    PersonAlias,
    Seat,
    Spacecraft,
    VehicleFamily,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def ms22():
    return Mission.objects.filter(name="Soyuz MS-22")


@pytest.mark.parametrize(
    "changes",
    [
        {"landing_at": dt.datetime(2022, 9, 1, tzinfo=UTC)},  # landing before launch
        {"docking_at": dt.datetime(2022, 9, 20, tzinfo=UTC)},  # docking before launch
        {"undocking_at": dt.datetime(2022, 9, 1, tzinfo=UTC)},  # undocking before docking
        {"landing_at": dt.datetime(2023, 3, 27, tzinfo=UTC)},  # landing before undocking
    ],
    ids=["landing-before-launch", "docking-before-launch", "undocking-before-docking", "landing-before-undocking"],
)
def test_events_out_of_order_are_rejected(changes):
    rejected(lambda: ms22().update(**changes))


def test_a_time_without_a_precision_is_rejected():
    rejected(lambda: ms22().update(launch_precision=""))


def test_a_precision_without_a_time_is_rejected():
    rejected(lambda: Mission.objects.filter(name="Soyuz MS-29").update(docking_precision="day"))


def test_a_certainty_without_a_time_is_rejected():
    rejected(lambda: Mission.objects.filter(name="Soyuz MS-29").update(docking_certainty="target"))


def test_a_time_without_a_certainty_is_rejected():
    rejected(lambda: Mission.objects.filter(name="Soyuz MS-29").update(launch_certainty=""))


def test_a_flight_that_has_not_flown_cannot_have_an_event_that_happened():
    rejected(lambda: Mission.objects.filter(name="Soyuz MS-29").update(launch_certainty="confirmed"))


def test_a_flight_in_space_has_launched_its_launch_is_not_a_target():
    rejected(lambda: Mission.objects.filter(name="Soyuz MS-28").update(launch_certainty="target"))


def test_a_landed_flights_landing_is_not_a_target():
    rejected(lambda: ms22().update(landing_certainty="net"))


def test_an_unknown_precision_is_rejected():
    rejected(lambda: ms22().update(launch_precision="fortnight"))


def test_an_unknown_status_is_rejected():
    rejected(lambda: ms22().update(status="exploded"))


def test_a_landed_mission_without_a_launch_time_is_rejected():
    rejected(lambda: ms22().update(launch_at=None, launch_precision="", docking_at=None, docking_precision=""))


def test_mission_names_and_slugs_are_unique():
    family = VehicleFamily.objects.get(name="Soyuz MS")
    rejected(lambda: Mission.objects.create(name="Soyuz MS-22", slug="other", family=family))
    rejected(lambda: Mission.objects.create(name="Other", slug="soyuz-ms-22", family=family))


def test_one_seat_per_person_mission_and_leg():
    seat = Seat.objects.get(person__name="Francisco Rubio", mission__name="Soyuz MS-22")
    rejected(lambda: Seat.objects.create(mission=seat.mission, person=seat.person, leg="ascent"))


def test_an_unknown_leg_or_role_is_rejected():
    seats = Seat.objects.filter(person__name="Francisco Rubio", mission__name="Soyuz MS-22")
    rejected(lambda: seats.update(leg="sideways"))
    rejected(lambda: seats.update(role="tourist"))


def test_a_vehicle_family_needs_seats():
    rejected(lambda: VehicleFamily.objects.filter(name="Soyuz MS").update(seats=0))


def test_agency_names_are_unique():
    rejected(lambda: Agency.objects.create(name="NASA", slug="nasa-2"))


def test_an_alias_names_one_person():
    rusted = PersonAlias.objects.get(alias="Frank Rubio")
    kikina = Seat.objects.filter(person__name="Anna Kikina").first().person
    rejected(lambda: PersonAlias.objects.create(person=kikina, alias=rusted.alias))


def test_spacecraft_names_are_unique_within_a_family():
    family = VehicleFamily.objects.get(name="Crew Dragon")
    rejected(lambda: Spacecraft.objects.create(family=family, name="Endurance"))


def test_agreement_document_keys_are_unique_within_an_agreement():
    agreement = Agreement.objects.get()
    rejected(
        lambda: AgreementDocument.objects.create(agreement=agreement, key="original", title="Again", kind="original")
    )


def test_an_agreement_document_date_needs_its_precision():
    rejected(lambda: AgreementDocument.objects.filter(key="original").update(signed_precision=""))
    rejected(lambda: AgreementDocument.objects.filter(key="addendum_3").update(signed_precision="day"))


def test_an_unknown_document_kind_is_rejected():
    rejected(lambda: AgreementDocument.objects.filter(key="original").update(kind="rumour"))
