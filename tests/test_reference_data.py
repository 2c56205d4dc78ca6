"""Loading the shipped reference record: idempotent, keeps editors' work, all or nothing."""

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from tracker.record.models import (
    Agency,
    AgreementDocument,
    Citation,
    Mission,
    Person,
    PersonAlias,
    Seat,
    Spacecraft,
    VehicleFamily,
)
from tracker.record.reference_data import REFERENCE_DIR, load_reference_data, split_nickname

pytestmark = pytest.mark.django_db

MODELS = [Agency, Person, PersonAlias, VehicleFamily, Spacecraft, Mission, Seat, AgreementDocument, Citation]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        f"history {model.__name__}": model.history.count() for model in MODELS
    }


def load(directory: Path = REFERENCE_DIR) -> str:
    """`manage.py load_reference_data --directory <directory>`: what it printed."""
    out = StringIO()
    call_command("load_reference_data", directory=directory, stdout=out)
    return out.getvalue()


def test_the_record_holds_the_shipped_flights_people_and_seats():
    assert Mission.objects.count() == 18  # 17 agreement-era flights + Starliner's crew flight test
    assert Person.objects.count() == 55
    assert Seat.objects.count() == 114
    assert AgreementDocument.objects.count() == 6


def test_loading_twice_changes_nothing():
    before = counts()
    assert load().strip() == "nothing to change: the record already matches the reference data"
    assert counts() == before


def test_an_editors_change_survives_a_reload(mission):
    editor = User.objects.create_user("edna")
    ms22 = mission("Soyuz MS-22")
    ms22.launch_site = "Baikonur Cosmodrome, Site 31"
    ms22._history_user = editor
    ms22.save()
    output = load()
    assert mission("Soyuz MS-22").launch_site == "Baikonur Cosmodrome, Site 31"
    assert "kept editor's version of mission Soyuz MS-22" in output


def test_a_seat_an_editor_deleted_is_not_recreated(seat):
    seat("Koichi Wakata", "SpaceX Crew-5", "descent").delete()
    load()
    assert not Seat.objects.filter(person__name="Koichi Wakata", mission__name="SpaceX Crew-5", leg="descent").exists()


def test_a_mission_an_editor_renamed_is_not_duplicated(mission):
    crew5 = mission("SpaceX Crew-5")
    crew5.name, crew5.slug = "Crew-5", "crew-5"
    crew5.save()
    load()
    assert not Mission.objects.filter(name="SpaceX Crew-5").exists()
    assert Mission.objects.get(name="Crew-5").seats.count() == 8


def test_a_row_still_owned_by_the_loader_follows_a_corrected_file(tmp_path, mission):
    directory = copy_reference(tmp_path)
    flights = json.loads((directory / "flights.json").read_text())
    flights[0]["launch_site"] = "Baikonur Cosmodrome (corrected)"
    (directory / "flights.json").write_text(json.dumps(flights))
    assert "mission: 0 created, 1 updated" in load(directory)
    assert mission("Soyuz MS-22").launch_site == "Baikonur Cosmodrome (corrected)"


def copy_reference(tmp_path):
    directory = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, directory)
    return directory


def broken_copy(tmp_path, change) -> str:
    directory = copy_reference(tmp_path)
    flights = json.loads((directory / "flights.json").read_text())
    change(flights)
    (directory / "flights.json").write_text(json.dumps(flights))
    return directory


def test_a_landing_before_launch_in_the_file_is_a_clear_error_and_changes_nothing(tmp_path):
    def land_early(flights):
        flights[0]["landing_date"] = "2020-01-01"
        flights[0]["launch_site"] = "changed before the bad row is reached"

    before = counts()
    with pytest.raises(
        CommandError,
        match=r"nothing changed: mission Soyuz MS-22: The landing \(2020-01-01\) cannot be before the launch",
    ):
        load(broken_copy(tmp_path, land_early))
    assert counts() == before
    assert Mission.objects.get(name="Soyuz MS-22").launch_site.startswith("Baikonur")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f[2]["crew"][0].update(agency="Martian Space Agency"), "unknown agency 'Martian Space Agency'"),
        (lambda f: f[2].update(status="exploded"), "unknown status 'exploded'"),
        (lambda f: f[2].update(launch_date="22/09/2022"), "launch_date"),
        (lambda f: f[2]["crew"][0].update(role="captain"), "unknown role 'captain'"),
        (lambda f: f[0]["crew"][0].update(returned_on="Soyuz MS-99"), "unknown flight 'Soyuz MS-99'"),
        (lambda f: f[0].pop("mission"), "required field is missing"),
    ],
    ids=["agency", "status", "date", "role", "returned-on", "missing-field"],
)
def test_bad_reference_rows_are_named_in_the_error(tmp_path, change, message):
    before = counts()
    with pytest.raises(CommandError, match=message):
        load(broken_copy(tmp_path, change))
    assert counts() == before


def test_malformed_json_is_a_clear_error(tmp_path):
    directory = copy_reference(tmp_path)
    (directory / "agreement.json").write_text("{not json")
    with pytest.raises(CommandError, match="agreement.json is not valid JSON"):
        load(directory)


def test_unknown_values_stay_unknown(mission):
    ms29 = mission("Soyuz MS-29")
    assert ms29.docking_at is None and ms29.docking_precision == "" and ms29.docking_certainty == ""
    assert ms29.describe("docking") == "unknown"
    assert ms29.launch_vehicle == ""
    assert mission("SpaceX Crew-13").launch_site == ""
    assert Seat.objects.get(person__name="Pyotr Dubrov", leg="ascent").role == ""


def test_every_fact_keeps_its_sources(mission):
    assert mission("Soyuz MS-22").sources.filter(url="https://tass.com/science/1594171").exists()
    assert AgreementDocument.objects.get(key="original").sources.count() == 7


def test_the_agreement_covers_its_flights_and_the_replacement_return_vehicle():
    original = AgreementDocument.objects.get(key="original")
    assert set(original.missions.values_list("name", flat=True)) == {
        "Soyuz MS-22",
        "Soyuz MS-23",
        "SpaceX Crew-5",
        "SpaceX Crew-6",
        "Soyuz MS-24",
        "SpaceX Crew-7",
        "Soyuz MS-25",
    }
    addendum_2 = AgreementDocument.objects.get(key="addendum_2")
    assert (addendum_2.signed_display, addendum_2.announced_display) == ("December 2023", "2023-12-28")


def test_aliases_cover_nicknames_and_cyrillic_spellings():
    assert PersonAlias.objects.get(alias="Frank Rubio").person.name == "Francisco Rubio"
    assert PersonAlias.objects.get(alias="Кикина").person.name == "Anna Kikina"
    assert PersonAlias.objects.get(alias="Aleksandr Grebenkin").person.name == "Alexander Grebenkin"
    assert PersonAlias.objects.get(alias="Sergei Prokopyev").person.name == "Sergey Prokopyev"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Francisco (Frank) Rubio", ("Francisco Rubio", ["Frank Rubio"])),
        ("Warren 'Woody' Hoburg", ("Warren Hoburg", ["Woody Hoburg"])),
        ("Tracy Caldwell Dyson", ("Tracy Caldwell Dyson", [])),
    ],
)
def test_nicknames_in_the_file_become_aliases(raw, expected):
    assert split_nickname(raw) == expected


def test_the_loader_function_reports_what_it_created():
    Seat.objects.all().delete()
    Seat.history.all().delete()
    report = load_reference_data()
    assert report.created["seat"] == 114


def test_planned_targets_load_as_targets_not_facts(mission):
    ms29, crew13, ms28 = mission("Soyuz MS-29"), mission("SpaceX Crew-13"), mission("Soyuz MS-28")
    assert (ms29.launch_at.date(), ms29.launch_precision, ms29.launch_certainty) == (
        dt.date(2026, 7, 14),
        "day",
        "target",
    )
    assert (crew13.launch_at.date(), crew13.launch_precision, crew13.launch_certainty) == (
        dt.date(2026, 9, 1),
        "month",
        "net",
    )
    assert (ms28.status, ms28.landing_precision, ms28.landing_certainty) == ("in_flight", "month", "target")
    assert ms28.launch_certainty == "confirmed"
    assert ms29.describe("launch", dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == "target 2026-07-14"
    assert crew13.describe("launch", dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == "NET September 2026"
    assert ms29.describe("launch", dt.datetime(2026, 12, 4, tzinfo=dt.UTC)) == "target 2026-07-14, overdue"


@pytest.mark.parametrize(
    ("planned", "message"),
    [
        ({"launch": "2026-07-14", "launch_precision": "month"}, "is a date to the day, but launch_precision says"),
        ({"launch": "July 2026"}, "is not a date of the form"),
        ({"landing": "2022-09-21"}, r"Soyuz MS-22: the landing happened \(landing_date\) and has a planned target too"),
    ],
)
def test_a_bad_planned_target_is_named_in_the_error(tmp_path, planned, message):
    def add_target(flights):
        # MS-22 has happened in full; MS-29 has no dates, only its launch target.
        name = "Soyuz MS-22" if "landing" in planned else "Soyuz MS-29"
        next(flight for flight in flights if flight["mission"] == name)["planned"] = planned

    with pytest.raises(CommandError, match=message):
        load(broken_copy(tmp_path, add_target))
