"""`load_reference_data` brings a database loaded from an older record up to date, and an
editor's change to any kind of row survives it, reported once per fact.

tests/data/reference-2026-02/ is the record as first shipped (compiled early 2026): Crew-13
with one crew member, no targets, five agreement documents. The shipped record is the one
checked again to 2026-04-29.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from tests.test_reference_data import load
from tracker.record.models import (
    Agency,
    Agreement,
    AgreementDocument,
    Certainty,
    Citation,
    Mission,
    MissionStatus,
    Person,
    PersonAlias,
    Seat,
    Spacecraft,
    VehicleFamily,
)

pytestmark = pytest.mark.django_db

FIRST_SHIPPED = Path(__file__).parent / "data" / "reference-2026-02"
MS29_NEW_SOURCE = "https://lenta.ru/news/2026/02/18/glava-nasa-iz-za-zheny-menona-zahotel-vstretitsya-s-bakanovym/"
# Children before parents, so each delete is allowed by the PROTECT foreign keys.
RECORD_MODELS = [Seat, PersonAlias, AgreementDocument, Agreement, Mission, Spacecraft, Person, VehicleFamily]


@pytest.fixture
def first_shipped_record():
    """An empty record with no history, then the record as first shipped: as if this
    database was set up before the targets existed."""
    for model in [*RECORD_MODELS, Agency, Citation]:
        model.objects.all().delete()
        model.history.all().delete()
    load(FIRST_SHIPPED)
    assert Mission.objects.get(name="SpaceX Crew-13").seats.filter(leg="ascent").count() == 1


@pytest.fixture
def editor():
    return User.objects.create_user("edna")


def edit(obj, editor, **changes):
    """Save `changes` as an editor does in the admin (the history row names the user)."""
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = editor
    obj.save()
    return obj


def test_an_old_database_is_brought_up_to_date(first_shipped_record):
    output = load()
    crew13 = Mission.objects.get(name="SpaceX Crew-13")
    ascent = set(crew13.seats.filter(leg="ascent").values_list("person__name", flat=True))
    assert ascent == {"Jessica Watkins", "Luke Delaney", "Joshua Kutryk", "Sergey Teteryatnikov"}
    assert crew13.status == MissionStatus.PLANNED
    assert (crew13.launch_at, crew13.launch_precision, crew13.launch_certainty) == (
        dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        "month",
        Certainty.NO_EARLIER_THAN,
    )
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_at, ms29.launch_precision, ms29.launch_certainty) == (
        dt.datetime(2026, 7, 14, tzinfo=dt.UTC),
        "day",
        Certainty.TARGET,
    )
    assert ms29.sources.filter(url=MS29_NEW_SOURCE).exists()
    assert AgreementDocument.objects.filter(key="addendum_4_negotiations", missions=None).exists()
    assert "kept editor's version" not in output
    assert load().strip() == "nothing to change: the record already matches the reference data"


# Each kind of row the loader writes: an editor's change to a fact the newer file also
# gives, and the label the command names it by.
EDITS = {
    "agency": (lambda: Agency.objects.get(slug="csa"), {"full_name": "Agence spatiale canadienne"}, "agency CSA"),
    "vehicle family": (
        lambda: VehicleFamily.objects.get(slug="soyuz-ms"),
        {"builder": "RKK Energia"},
        "vehicle family Soyuz MS",
    ),
    "person": (
        lambda: Person.objects.get(name="Sergey Teteryatnikov"),
        {"nationality": "Russian Federation"},
        "person Sergey Teteryatnikov",
    ),
    "person alias": (
        lambda: PersonAlias.objects.get(alias="Сергей Тетерятников"),
        {"person": lambda: Person.objects.get(name="Sergey Kud-Sverchkov")},
        "person alias Сергей Тетерятников",
    ),
    "mission": (
        lambda: Mission.objects.get(name="Soyuz MS-29"),
        {"notes": "Editor: launch moved, see the admin history."},
        "mission Soyuz MS-29",
    ),
    "seat": (
        lambda: Seat.objects.get(person__name="Sergey Teteryatnikov", mission__name="SpaceX Crew-13", leg="ascent"),
        {"role": "flight_engineer"},
        "seat Sergey Teteryatnikov on SpaceX Crew-13 (ascent)",
    ),
    "agreement": (
        lambda: Agreement.objects.get(),
        {"terms_summary": "Edited summary."},
        "agreement Integrated crew flights agreement",
    ),
    "agreement document": (
        lambda: AgreementDocument.objects.get(key="addendum_3"),
        {"notes": "Edited notes."},
        "agreement document addendum_3",
    ),
}


def apply_edit(kind: str, editor) -> tuple[object, dict]:
    find, changes, _label = EDITS[kind]
    changes = {name: value() if callable(value) else value for name, value in changes.items()}
    return edit(find(), editor, **changes), changes


@pytest.mark.parametrize("kind", EDITS)
def test_an_editors_change_to_each_kind_of_row_survives_a_reload(kind, editor):
    edited, changes = apply_edit(kind, editor)
    output = load()
    edited.refresh_from_db()
    assert {name: getattr(edited, name) for name in changes} == changes
    assert f"kept editor's version of {EDITS[kind][2]}" in output.splitlines()


def test_editors_changes_to_every_kind_of_row_survive_the_upgrade_and_are_each_reported(first_shipped_record, editor):
    edited = {kind: apply_edit(kind, editor) for kind in EDITS}
    output = load().splitlines()
    for kind, (row, changes) in edited.items():
        row.refresh_from_db()
        assert {name: getattr(row, name) for name in changes} == changes, kind
        assert output.count(f"kept editor's version of {EDITS[kind][2]}") == 1, kind
    # Everything the editors left alone is brought up to date.
    crew13 = Mission.objects.get(name="SpaceX Crew-13")
    assert crew13.seats.filter(leg="ascent").count() == 4
    assert AgreementDocument.objects.filter(key="addendum_4_negotiations").exists()


def test_an_editors_change_to_a_spacecraft_survives_the_upgrade(first_shipped_record, editor):
    craft = edit(Spacecraft.objects.get(name="Endurance"), editor, name="C210 Endurance")
    output = load()
    assert Spacecraft.objects.filter(pk=craft.pk, name="C210 Endurance").exists()
    assert not Spacecraft.objects.filter(name="Endurance").exists()
    assert "kept editor's version of spacecraft Endurance (renamed)" in output.splitlines()


def test_an_editors_citation_title_survives_the_upgrade(first_shipped_record, editor):
    url = "https://tass.com/science/2050219"  # new in the later record
    load()
    cited = edit(Citation.objects.get(url=url), editor, title="TASS: MS-28 to return in late July")
    load()
    cited.refresh_from_db()
    assert cited.title == "TASS: MS-28 to return in late July"


def test_a_mission_an_editor_changed_keeps_its_sources_and_targets_as_the_editor_left_them(
    first_shipped_record, editor
):
    """The loader only links new sources to rows it still owns: the editor's row is theirs."""
    edit(Mission.objects.get(name="Soyuz MS-29"), editor, launch_site="Baikonur Cosmodrome, Site 31")
    load()
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert ms29.launch_site == "Baikonur Cosmodrome, Site 31"
    assert ms29.launch_at is None  # the target would overwrite the editor's row: it is reported, not applied
    assert not ms29.sources.filter(url=MS29_NEW_SOURCE).exists()
