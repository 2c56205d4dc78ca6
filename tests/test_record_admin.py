"""The mission form in the editors' admin, through Django's test client: a date with a blank
time, errors that stand at the field at fault, one way home per stay, the launch-year
filters and why a mission is (not) on the dashboard."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.test_admin import MISSION_FORM, admin_url, form_data, seat_errors, seat_rows
from tracker.lib.fuzzy_dates import Precision
from tracker.record.dashboard import launch_years
from tracker.record.models import AgreementDocument, Leg, Mission, MissionStatus, Seat, VehicleFamily

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def add_form(editor_client):
    """The add-mission form as an editor first sees it, filled with a name, vehicle and status."""

    def fill(name: str, **changes) -> dict:
        data = form_data(editor_client.get(admin_url(Mission, "add")), MISSION_FORM)
        data.update(
            name=name,
            slug=name.lower().replace(" ", "-"),
            family=str(VehicleFamily.objects.get(name="Soyuz MS").pk),
            status=MissionStatus.PLANNED,
        )
        return {**data, **changes}

    return fill


def change_form(client, flight: Mission) -> dict:
    return form_data(client.get(admin_url(Mission, "change", flight.pk)), MISSION_FORM)


def field_errors(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["adminform"].form.errors.items()}


# --- a date with a blank time -------------------------------------------------------------


def test_a_date_with_a_blank_time_is_saved_as_known_to_the_day(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2027-03-14", launch_at_1="", launch_precision="")
    response = editor_client.post(admin_url(Mission, "add"), data)
    assert response.status_code == 302, field_errors(response)
    saved = Mission.objects.get(name="Soyuz MS-40")
    assert (saved.launch_at, saved.launch_precision) == (dt.datetime(2027, 3, 14, tzinfo=UTC), Precision.DAY)
    assert saved.describe("launch") == "target 2027-03-14"  # a planned flight's launch is a target


def test_a_typed_time_makes_the_event_exact(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2027-03-14", launch_at_1="09:30", launch_precision="")
    assert editor_client.post(admin_url(Mission, "add"), data).status_code == 302
    saved = Mission.objects.get(name="Soyuz MS-40")
    assert (saved.launch_at, saved.launch_precision) == (dt.datetime(2027, 3, 14, 9, 30, tzinfo=UTC), "exact")


def test_a_typed_midnight_is_an_exact_midnight(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2027-03-14", launch_at_1="00:00", launch_precision="")
    assert editor_client.post(admin_url(Mission, "add"), data).status_code == 302
    assert Mission.objects.get(name="Soyuz MS-40").describe("launch") == "target 2027-03-14 00:00 UTC"


def test_a_date_known_to_the_day_shows_an_empty_time_box(editor_client, mission):
    page = editor_client.get(admin_url(Mission, "change", mission("Soyuz MS-22").pk)).content.decode()
    assert 'name="launch_at_0" value="2022-09-21"' in page
    assert 'name="launch_at_1"' in page and 'name="launch_at_1" value=' not in page


def test_saving_a_day_precision_mission_unchanged_keeps_it_to_the_day(editor_client, mission):
    ms22 = mission("Soyuz MS-22")
    assert (
        editor_client.post(admin_url(Mission, "change", ms22.pk), change_form(editor_client, ms22)).status_code == 302
    )
    ms22.refresh_from_db()
    assert (ms22.launch_precision, ms22.describe("launch")) == (Precision.DAY, "2022-09-21")


def test_a_typed_time_with_a_rougher_precision_is_refused_at_the_precision(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2027-03-01", launch_at_1="09:30", launch_precision="month")
    response = editor_client.post(admin_url(Mission, "add"), data)
    assert field_errors(response) == {
        "launch_precision": [
            "A time of day is typed, which makes the launch exact: choose “exact time”, "
            "or clear the time to keep “month”."
        ]
    }


def test_an_exact_time_without_a_time_is_refused_at_the_date(editor_client, add_form):
    data = add_form("Soyuz MS-40", launch_at_0="2027-03-01", launch_at_1="", launch_precision="exact")
    response = editor_client.post(admin_url(Mission, "add"), data)
    assert list(field_errors(response)) == ["launch_at"]
    assert "00:00 for midnight" in field_errors(response)["launch_at"][0]


# --- errors at the field at fault ---------------------------------------------------------------


@pytest.mark.parametrize("event", ["launch", "landing"])
def test_year_9999_is_refused_at_its_field_and_nothing_is_saved(editor_client, add_form, event):
    data = add_form("Soyuz MS-40", **{f"{event}_at_0": "9999-12-31", f"{event}_at_1": ""})
    response = editor_client.post(admin_url(Mission, "add"), data)
    assert response.status_code == 200
    assert field_errors(response) == {
        f"{event}_at": [
            "9999-12-31 is outside the record's range: enter a date from 1957-10-04 (Sputnik 1) to 2100-12-31 (UTC)."
        ]
    }
    assert not Mission.objects.filter(name="Soyuz MS-40").exists()


def test_an_overlap_stands_at_the_seat_and_says_who_which_flights_and_days(editor_client, add_form, person):
    data = seat_rows(
        add_form("Soyuz MS-40", launch_at_0="2022-11-01", launch_at_1=""), [(person("Anna Kikina"), Leg.ASCENT)]
    )
    response = editor_client.post(admin_url(Mission, "add"), data)
    assert response.status_code == 200
    assert seat_errors(response)[0] == {
        "person": [
            # With no descent of its own yet, the new stay ends where the record says she came home.
            "Anna Kikina cannot be on two flights at once: SpaceX Crew-5 (2022-10-05 – 2023-03-12) and "
            "Soyuz MS-40 → SpaceX Crew-5 (2022-11-01 – 2023-03-12) overlap from 2022-11-01 to 2023-03-12."
        ]
    }
    assert not Mission.objects.filter(name="Soyuz MS-40").exists()


def test_moving_a_launch_into_another_flight_of_its_crew_is_refused_at_the_launch(editor_client, mission):
    ms29 = mission("Soyuz MS-29")
    data = {**change_form(editor_client, ms29), "launch_at_0": "2022-11-01", "launch_at_1": ""}
    response = editor_client.post(admin_url(Mission, "change", ms29.pk), data)
    assert response.status_code == 200
    (message,) = field_errors(response)["launch_at"]
    assert message.startswith("Anna Kikina cannot be on two flights at once: SpaceX Crew-5")
    assert message.endswith("overlap from 2022-11-01 to 2023-03-12.")


def test_a_second_descent_seat_for_one_stay_is_refused_at_its_row(editor_client, mission, person):
    # Rubio went up on Soyuz MS-22 and came home on Soyuz MS-23, not on MS-22 itself.
    ms22 = mission("Soyuz MS-22")
    data = seat_rows(change_form(editor_client, ms22), [(person("Francisco Rubio"), Leg.DESCENT)])
    response = editor_client.post(admin_url(Mission, "change", ms22.pk), data)
    assert response.status_code == 200
    new_row = seat_errors(response)[-1]
    assert new_row == {
        "person": [
            "Francisco Rubio already comes home on Soyuz MS-23 (2023-09-27) from the stay that began on "
            "Soyuz MS-22 (2022-09-21): a second descent seat on Soyuz MS-22 would bring them home twice. "
            "Remove one of the two descent seats, or record the later flight up first."
        ]
    }
    assert not Seat.objects.filter(mission=ms22, person__name="Francisco Rubio", leg=Leg.DESCENT).exists()


def test_the_model_refuses_a_second_descent_on_every_write_path(mission, person):
    extra = Seat(mission=mission("Soyuz MS-22"), person=person("Francisco Rubio"), leg=Leg.DESCENT)
    with pytest.raises(ValidationError) as refused:
        extra.full_clean()
    assert "already comes home on Soyuz MS-23" in refused.value.message_dict["person"][0]


def test_a_descent_that_ends_a_new_stay_is_accepted(mission, person, seat):
    # Kikina came home on Crew-5; going up again on Soyuz MS-29, she may come home on it too.
    seat("Anna Kikina", "Soyuz MS-29", Leg.DESCENT).delete()
    Seat(mission=mission("Soyuz MS-29"), person=person("Anna Kikina"), leg=Leg.DESCENT).full_clean()


# --- launch years ----------------------------------------------------------------------------


def test_the_dashboard_offers_each_launch_year_once_newest_first():
    years = launch_years()
    assert years == sorted(set(years), reverse=True)
    assert years[:1] == [2026] and 2022 in years


def test_the_admin_launch_year_filter_offers_each_year_once(editor_client):
    response = editor_client.get(admin_url(Mission, "changelist"))
    (spec,) = [spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "year"]
    years = [value for value, _ in spec.lookup_choices]
    assert years == ["2026", "2025", "2024", "2023", "2022", "unknown"]


# --- on the dashboard? -------------------------------------------------------------------------


def dashboard_answer(client, flight: Mission) -> str:
    """The change form's read-only "On the dashboard?" line, as text."""
    import re

    page = client.get(admin_url(Mission, "change", flight.pk)).content.decode()
    found = re.search(r'field-on_the_dashboard.*?<div class="readonly">(.*?)</div>', page, re.S)
    assert found, "no On the dashboard? line on the change form"
    return found.group(1).strip()


@pytest.fixture
def uncovered_flight(person):
    flight = Mission.objects.create(
        name="Soyuz MS-41", slug="soyuz-ms-41", family=VehicleFamily.objects.get(name="Soyuz MS")
    )
    Seat.objects.create(mission=flight, person=person("Francisco Rubio"), leg=Leg.ASCENT)
    return flight


def test_the_admin_says_a_cross_flight_is_on_the_dashboard(editor_client, mission):
    assert dashboard_answer(editor_client, mission("SpaceX Crew-5")).startswith("Yes:")


def test_the_admin_says_an_uncovered_flight_is_not_on_the_dashboard_and_why(editor_client, uncovered_flight):
    assert dashboard_answer(editor_client, uncovered_flight).startswith("No: not covered by any agreement document.")
    listed = editor_client.get(admin_url(Mission, "changelist"), {"dashboard": "uncovered"})
    assert "Soyuz MS-41" in [str(flight) for flight in listed.context["cl"].result_list]
    found = editor_client.get(admin_url(Mission, "changelist"), {"q": "MS-41"})
    assert [str(flight) for flight in found.context["cl"].result_list] == ["Soyuz MS-41"]


def test_the_admin_says_a_covered_flight_without_a_cross_flight_seat_is_not_on_the_dashboard(
    editor_client, uncovered_flight, person
):
    uncovered_flight.seats.update(person=person("Anna Kikina"))  # Roscosmos crew on a Roscosmos vehicle
    AgreementDocument.objects.get(key="original").missions.add(uncovered_flight)
    assert dashboard_answer(editor_client, uncovered_flight).startswith("No: no cross-flight seat.")
    listed = editor_client.get(admin_url(Mission, "changelist"), {"dashboard": "no-seat"})
    assert [str(flight) for flight in listed.context["cl"].result_list] == ["Soyuz MS-41"]


def test_the_dashboard_filter_yes_lists_the_cross_flights(editor_client):
    listed = editor_client.get(admin_url(Mission, "changelist"), {"dashboard": "yes"})
    assert {str(flight) for flight in listed.context["cl"].result_list} == set(
        Mission.objects.cross_flights().exclude(status="cancelled").values_list("name", flat=True)
    )
