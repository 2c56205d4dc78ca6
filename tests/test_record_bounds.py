"""Every instant of the record lies between 1957-10-04 and 2100-12-31: the database refuses
anything else, model validation says why at the field, and a row that somehow holds such a
value (written before the bounds, or by hand in SQL) no longer takes pages down."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.database import rejected
from tracker.lib.fuzzy_dates import Precision, window_end
from tracker.lib.instants import shifted
from tracker.record.models import EVENTS, AgreementDocument, Mission, VehicleFamily

pytestmark = pytest.mark.django_db

UTC = dt.UTC
YEAR_9999 = dt.datetime(9999, 12, 31, tzinfo=UTC)


def undated():
    """Soyuz MS-29: planned, no dates yet, so any one event can be set alone."""
    return Mission.objects.filter(name="Soyuz MS-29")


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize(
    "instant", [YEAR_9999, dt.datetime(2101, 1, 1, tzinfo=UTC), dt.datetime(1957, 10, 3, 23, 59, tzinfo=UTC)]
)
def test_the_database_refuses_an_event_outside_the_record_range(event, instant):
    rejected(lambda: undated().update(**{f"{event}_at": instant, f"{event}_precision": Precision.DAY}))


@pytest.mark.parametrize(
    "instant", [dt.datetime(1957, 10, 4, tzinfo=UTC), dt.datetime(2100, 12, 31, 23, 59, tzinfo=UTC)]
)
def test_the_database_accepts_the_first_and_last_day_of_the_range(instant):
    assert undated().update(launch_at=instant, launch_precision=Precision.EXACT) == 1


@pytest.mark.parametrize("field", ["signed_on", "announced_on"])
def test_the_database_refuses_an_agreement_date_outside_the_range(field):
    documents = AgreementDocument.objects.filter(key="original")
    rejected(lambda: documents.update(**{field: dt.date(9999, 12, 31)}))
    rejected(lambda: documents.update(**{field: dt.date(1950, 1, 1)}))
    assert documents.update(**{field: dt.date(2100, 12, 31)}) == 1


@pytest.mark.parametrize("days", [0, 10 * 365])
def test_the_database_refuses_a_usual_stay_that_is_not_a_stay(days):
    rejected(lambda: VehicleFamily.objects.filter(name="Soyuz MS").update(typical_stay=dt.timedelta(days=days)))


def test_model_validation_refuses_year_9999_at_the_field_with_the_range():
    flight = undated().get()
    flight.launch_at, flight.launch_precision = YEAR_9999, Precision.DAY
    with pytest.raises(ValidationError) as refused:
        flight.full_clean()
    assert refused.value.message_dict["launch_at"] == [
        "9999-12-31 is outside the record's range: enter a date from 1957-10-04 (Sputnik 1) to 2100-12-31 (UTC)."
    ]


def test_model_validation_refuses_an_agreement_date_in_year_9999():
    document = AgreementDocument.objects.get(key="original")
    document.signed_on = dt.date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "outside the record's range" in refused.value.message_dict["signed_on"][0]


# --- arithmetic that cannot overflow -----------------------------------------------------


def test_shifting_past_the_end_of_time_clamps_instead_of_raising():
    assert shifted(YEAR_9999, dt.timedelta(days=180)) == dt.datetime.max.replace(tzinfo=UTC)
    assert shifted(dt.date(9999, 12, 31), dt.timedelta(days=1)) == dt.date.max
    assert shifted(dt.datetime(1, 1, 1, tzinfo=UTC), -dt.timedelta(days=1)) == dt.datetime.min.replace(tzinfo=UTC)
    assert shifted(dt.date(2026, 1, 1), dt.timedelta(days=1)) == dt.date(2026, 1, 2)


@pytest.mark.parametrize("precision", Precision.values)
def test_a_window_in_year_9999_ends_without_overflow(precision):
    assert window_end(YEAR_9999, precision) >= YEAR_9999


def test_a_family_without_a_usual_stay_is_not_stale_rather_than_unknown():
    VehicleFamily.objects.filter(name="Soyuz MS").update(typical_stay=None)
    assert set(Mission.objects.with_stale().values_list("is_stale", flat=True)) <= {True, False}


@pytest.fixture
def checks_off():
    """Lets this test write a row the CHECKs refuse, as an older version (or SQL typed by
    hand) could have: SQLite skips CHECKs for the connection, PostgreSQL drops the
    constraint inside the test's transaction (rolled back with it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA ignore_check_constraints = ON")
        else:
            for event in EVENTS:
                cursor.execute(f"ALTER TABLE record_mission DROP CONSTRAINT mission_{event}_in_record_range")
    yield
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


@pytest.fixture(params=["Soyuz MS-29", "Soyuz MS-28"], ids=["planned", "in-flight"])
def launch_in_9999(request, checks_off):
    """A planned mission, or one in flight with no landing target (whose expected landing
    is then launch + usual stay), saved with a launch on 9999-12-31."""
    flight = Mission.objects.get(name=request.param)
    unknown = {f"{part}": value for part, value in (("at", None), ("precision", ""), ("certainty", ""))}
    Mission.objects.filter(pk=flight.pk).update(
        launch_at=YEAR_9999,
        launch_precision=Precision.DAY,
        **{f"docking_{part}": value for part, value in unknown.items()},
        **{f"landing_{part}": value for part, value in unknown.items()},
    )
    return flight


PAGES = [
    "/admin/record/mission/",
    "/admin/record/mission/?year=9999",
    "/admin/record/mission/?launch_at__year=9999",
    "CHANGE",
    "PUBLIC",
    "/vehicles/soyuz-ms/",
    "/api/missions",
    "/api/people",
    "/",
    "/people/anna-kikina/",
    "/timeline/",
    "/timeline.svg",
    "/agreement/",
    "/feeds/crew-events.ics",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_row_already_in_year_9999_does_not_take_pages_down(editor_client, launch_in_9999, url):
    url = {
        "CHANGE": f"/admin/record/mission/{launch_in_9999.pk}/change/",
        "PUBLIC": launch_in_9999.get_absolute_url(),
    }.get(url, url)
    assert editor_client.get(url, follow=True).status_code == 200


def test_the_editor_can_open_and_repair_a_mission_in_year_9999(editor_client, launch_in_9999):
    from tests.test_admin import MISSION_FORM, form_data

    url = f"/admin/record/mission/{launch_in_9999.pk}/change/"
    page = editor_client.get(url)
    assert 'value="9999-12-31"' in page.content.decode()
    data = form_data(page, MISSION_FORM)
    # Saved unchanged, the value is refused at its field...
    refused = editor_client.post(url, data)
    assert refused.status_code == 200
    assert "9999-12-31 is outside the record's range" in refused.context["adminform"].form.errors["launch_at"][0]
    # ...and once corrected it saves.
    data.update(launch_at_0="2027-01-15", launch_at_1="", launch_precision="")
    assert editor_client.post(url, data).status_code == 302
    repaired = Mission.objects.get(pk=launch_in_9999.pk)
    assert (repaired.launch_at, repaired.launch_precision) == (dt.datetime(2027, 1, 15, tzinfo=UTC), Precision.DAY)


def test_the_migration_moves_an_old_out_of_range_row_to_the_bound_and_says_so(launch_in_9999):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("tracker.record.migrations.0003_instants_in_sane_range")
    migration.clamp_out_of_range_instants(apps, None)
    moved = Mission.objects.get(pk=launch_in_9999.pk)
    assert moved.launch_at == dt.datetime(2100, 12, 31, tzinfo=UTC)
    assert moved.notes.endswith("please check: launch 9999-12-31 -> 2100-12-31.")
    assert Mission.objects.filter(launch_at__year=2100).count() == 1  # nothing else moved
