"""The crew-events calendar: dates from the record, precision and STATUS rules, stable
UIDs, filters, caching, and the subscribe links on the pages."""

import datetime as dt
import json
import re
from pathlib import Path

import icalendar
import pytest
import time_machine
from django.core.cache import cache

from tests.factories import make_cross_flights
from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import Certainty, Mission, MissionStatus
from tracker.record.reference_data import REFERENCE_DIR, load_reference_data

pytestmark = pytest.mark.django_db

UTC = dt.UTC
URL = "/feeds/crew-events.ics"
# Before MS-29's launch date used below, so "upcoming" means upcoming.
BEFORE_MS29 = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
# The record's today: every target of the shipped record has passed unconfirmed.
TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=UTC)
RUBIO = "francisco-rubio"


def flight(name: str) -> dict:
    """A flight as the sourced reference file has it: the truth the calendar must show."""
    flights = json.loads((Path(REFERENCE_DIR) / "flights.json").read_text(encoding="utf-8"))
    return next(entry for entry in flights if entry["mission"] == name)


def fetch(client, query: str = "") -> icalendar.Calendar:
    cache.clear()  # every call regenerates: the page cache would otherwise answer
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """Events by summary without the crew or a target's mark: 'Launch: Soyuz MS-22' for
    'Launch (target): Soyuz MS-22 (Rubio, …)'."""
    found = {}
    for event in calendar.walk("VEVENT"):
        head, _, rest = str(event["SUMMARY"]).partition(": ")
        key = f"{head.split(' (')[0]}: {rest.split(' (')[0]}"
        assert key not in found, f"two events {key}"
        found[key] = event
    return found


def uid_of(client, key: str, query: str = "") -> str:
    return str(events(fetch(client, query))[key]["UID"])


def set_event(name: str, event: str, at: dt.datetime | None, precision: str, **fields) -> Mission:
    """An editor's change to one event of a mission (a plain save, so it enters the history)."""
    mission = Mission.objects.get(name=name)
    setattr(mission, f"{event}_at", at)
    setattr(mission, f"{event}_precision", precision)
    for field, value in fields.items():
        setattr(mission, field, value)
    mission.save()
    return mission


# --- the calendar as a whole ---------------------------------------------------------------


def test_the_calendar_parses_and_says_what_it_is(client):
    calendar = fetch(client)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert "ISS crew rotation tracker" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "ISS cross-flights"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert len(calendar.walk("VEVENT")) > 40


def unfold(raw: bytes) -> list[str]:
    """The content lines of an iCalendar body, folded lines joined (RFC 5545 3.1)."""
    return raw.decode().replace("\r\n ", "").split("\r\n")


def test_the_calendar_description_escapes_its_commas_and_semicolons(client):
    raw = client.get(URL).content
    (line,) = [line for line in unfold(raw) if line.startswith("X-WR-CALDESC:")]
    text = line.removeprefix("X-WR-CALDESC:")
    # RFC 5545 3.3.11: in TEXT a comma or semicolon is written "\," or "\;".
    assert "Launches\\, dockings\\, undockings" in text and "is known\\; TENTATIVE" in text
    assert not re.search(r"(?<!\\)[,;]", text)
    unescaped = text.replace("\\,", ",").replace("\\;", ";")
    assert unescaped.startswith("Launches, dockings, undockings and landings") and "is known; TENTATIVE" in unescaped


def test_every_event_has_the_required_properties_and_a_unique_uid(client):
    calendar = fetch(client)
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in calendar.walk("VEVENT"):
        assert str(event["UID"]).endswith("@iss-crew-tracker.invalid")
        assert event["DTSTAMP"].dt.tzinfo is not None and event["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)
        assert str(event["STATUS"]) in ("CONFIRMED", "TENTATIVE", "CANCELLED")
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert str(event["URL"]).startswith("http://testserver/missions/")


def test_rubios_launch_on_ms22_and_landing_on_ms23_have_the_records_dates(client):
    found = events(fetch(client))
    ms22, ms23 = flight("Soyuz MS-22"), flight("Soyuz MS-23")
    assert (ms22["launch_date"], ms23["landing_date"]) == ("2022-09-21", "2023-09-27")

    launch = found["Launch: Soyuz MS-22"]
    assert str(launch["SUMMARY"]) == "Launch: Soyuz MS-22 (Rubio, Prokopyev, Petelin)"
    assert launch["DTSTART"].dt == dt.date(2022, 9, 21) and launch["DTEND"].dt == dt.date(2022, 9, 22)
    assert str(launch["STATUS"]) == "CONFIRMED"
    assert "Francisco Rubio (NASA), flight engineer, cross-flight seat" in str(launch["DESCRIPTION"])
    assert "http://testserver/missions/soyuz-ms-22/" in str(launch["DESCRIPTION"])
    assert str(launch["LOCATION"]).startswith("Baikonur Cosmodrome")

    landing = found["Landing: Soyuz MS-23"]
    assert str(landing["SUMMARY"]) == "Landing: Soyuz MS-23 (Rubio, Prokopyev, Petelin)"
    assert landing["DTSTART"].dt == dt.date(2023, 9, 27) and landing["DTEND"].dt == dt.date(2023, 9, 28)
    assert str(landing["URL"]) == "http://testserver/missions/soyuz-ms-23/"


def test_an_empty_leg_of_a_flown_mission_says_uncrewed(client):
    found = events(fetch(client))
    assert str(found["Launch: Soyuz MS-23"]["SUMMARY"]) == "Launch: Soyuz MS-23 (uncrewed)"
    assert str(found["Landing: Soyuz MS-22"]["SUMMARY"]) == "Landing: Soyuz MS-22 (uncrewed)"


def test_only_cross_flight_missions_are_in_the_calendar(client):
    missions = {key.split(": ", 1)[1] for key in events(fetch(client))}
    assert "Boeing Crew Flight Test" not in missions
    assert {"Soyuz MS-22", "Soyuz MS-23", "SpaceX Crew-5", "SpaceX Crew-12"} <= missions


# --- precision --------------------------------------------------------------------------


def test_a_day_precision_event_is_an_all_day_event(client):
    response = client.get(URL)
    text = response.content.decode()
    assert "DTSTART;VALUE=DATE:20220921\r\n" in text
    assert "DTEND;VALUE=DATE:20220922\r\n" in text


def test_an_exact_time_is_in_utc_with_z(client):
    set_event("SpaceX Crew-5", "launch", dt.datetime(2022, 10, 5, 16, 0, 57, tzinfo=UTC), Precision.EXACT)
    cache.clear()
    text = client.get(URL, {"mission": "spacex-crew-5"}).content.decode()
    assert "DTSTART:20221005T160057Z\r\n" in text
    launch = events(icalendar.Calendar.from_ical(text))["Launch: SpaceX Crew-5"]
    assert launch["DTSTART"].dt == dt.datetime(2022, 10, 5, 16, 0, 57, tzinfo=UTC)
    assert "DTEND" not in launch  # an instant: no invented duration


def test_no_time_is_local_or_floating(client):
    set_event("SpaceX Crew-5", "launch", dt.datetime(2022, 10, 5, 16, 0, 57, tzinfo=UTC), Precision.EXACT)
    text = fetch(client).to_ical().decode()
    assert "TZID" not in text and "VTIMEZONE" not in text
    for event in fetch(client).walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED"):
            value = event.get(name)
            if value is not None and isinstance(value.dt, dt.datetime):
                assert value.dt.utcoffset() == dt.timedelta(0), (event["SUMMARY"], name)


@time_machine.travel(BEFORE_MS29, tick=False)
@pytest.mark.parametrize("precision", [Precision.MONTH, Precision.QUARTER, Precision.HALF, Precision.YEAR])
def test_a_launch_known_only_roughly_is_left_out_not_invented_as_a_day(client, precision):
    set_event("Soyuz MS-29", "launch", dt.datetime(2026, 7, 1, tzinfo=UTC), precision)
    found = events(fetch(client))
    assert not any(key.endswith("Soyuz MS-29") for key in found)
    set_event("Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, tzinfo=UTC), Precision.DAY)
    assert events(fetch(client))["Launch: Soyuz MS-29"]["DTSTART"].dt == dt.date(2026, 7, 14)


# --- STATUS -----------------------------------------------------------------------------


@time_machine.travel(BEFORE_MS29, tick=False)
def test_a_planned_launch_to_the_day_is_tentative(client):
    set_event("Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, tzinfo=UTC), Precision.DAY)
    launch = events(fetch(client))["Launch: Soyuz MS-29"]
    assert str(launch["STATUS"]) == "TENTATIVE"
    assert str(launch["SUMMARY"]) == "Launch (target): Soyuz MS-29 (Menon, Dubrov, Kikina)"


@time_machine.travel(BEFORE_MS29, tick=False)
def test_a_scheduled_launch_is_confirmed_but_its_expected_docking_is_not(client):
    set_event("Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, 9, 15, tzinfo=UTC), Precision.EXACT)
    set_event(
        "Soyuz MS-29", "docking", dt.datetime(2026, 7, 16, tzinfo=UTC), Precision.DAY, status=MissionStatus.SCHEDULED
    )
    found = events(fetch(client))
    assert str(found["Launch: Soyuz MS-29"]["STATUS"]) == "CONFIRMED"
    assert str(found["Docking: Soyuz MS-29"]["STATUS"]) == "TENTATIVE"


def test_a_scheduled_launch_whose_date_passed_unconfirmed_is_tentative_and_overdue(client):
    set_event(
        "Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, tzinfo=UTC), Precision.DAY, status=MissionStatus.SCHEDULED
    )
    with time_machine.travel(dt.datetime(2026, 7, 20, tzinfo=UTC), tick=False):
        launch = events(fetch(client))["Launch: Soyuz MS-29"]
    assert str(launch["STATUS"]) == "TENTATIVE"
    assert "Overdue" in str(launch["DESCRIPTION"])


# --- targets: the certainty decides -------------------------------------------------------


@time_machine.travel(BEFORE_MS29, tick=False)
def test_the_shipped_launch_target_of_ms29_is_a_tentative_target(client):
    launch = events(fetch(client))["Launch: Soyuz MS-29"]
    assert str(launch["STATUS"]) == "TENTATIVE"
    assert str(launch["SUMMARY"]).startswith("Launch (target): Soyuz MS-29 (")
    assert launch["DTSTART"].dt == dt.date(2026, 7, 14)
    description = str(launch["DESCRIPTION"])
    assert description.startswith("Soyuz MS-29 launch: target 2026-07-14 (known to the day).\n")
    assert "Target: announced, not yet happened" in description


@time_machine.travel(TODAY, tick=False)
def test_a_target_that_passed_unconfirmed_says_so_in_its_title_and_description(client):
    launch = events(fetch(client))["Launch: Soyuz MS-29"]
    assert str(launch["STATUS"]) == "TENTATIVE"
    assert str(launch["SUMMARY"]).startswith("Launch (target passed unconfirmed): Soyuz MS-29 (")
    assert "target 2026-07-14 passed unconfirmed" in str(launch["DESCRIPTION"])
    assert "Overdue" in str(launch["DESCRIPTION"])


@time_machine.travel(TODAY, tick=False)
def test_an_event_that_happened_is_confirmed_with_a_plain_title(client):
    launch = events(fetch(client))["Launch: Soyuz MS-22"]
    assert str(launch["STATUS"]) == "CONFIRMED"
    assert str(launch["SUMMARY"]) == "Launch: Soyuz MS-22 (Rubio, Prokopyev, Petelin)"
    assert "Happened: confirmed by the record." in str(launch["DESCRIPTION"])


@time_machine.travel(TODAY, tick=False)
def test_crew13s_no_earlier_than_month_stays_out_of_the_calendar(client):
    assert not any(key.endswith("SpaceX Crew-13") for key in events(fetch(client)))


@time_machine.travel(BEFORE_MS29, tick=False)
def test_a_no_earlier_than_day_is_tentative_and_says_net_even_when_scheduled(client):
    set_event(
        "SpaceX Crew-13",
        "launch",
        dt.datetime(2026, 9, 14, tzinfo=UTC),
        Precision.DAY,
        launch_certainty=Certainty.NO_EARLIER_THAN,
        status=MissionStatus.SCHEDULED,
    )
    launch = events(fetch(client))["Launch: SpaceX Crew-13"]
    assert str(launch["STATUS"]) == "TENTATIVE"
    assert str(launch["SUMMARY"]).startswith("Launch (NET): SpaceX Crew-13 (")
    assert "SpaceX Crew-13 launch: NET 2026-09-14 (known to the day)." in str(launch["DESCRIPTION"])


@time_machine.travel(BEFORE_MS29, tick=False)
def test_a_scheduled_launch_target_is_confirmed_yet_still_called_a_target(client):
    set_event(
        "Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, tzinfo=UTC), Precision.DAY, status=MissionStatus.SCHEDULED
    )
    launch = events(fetch(client))["Launch: Soyuz MS-29"]
    assert str(launch["STATUS"]) == "CONFIRMED"
    assert str(launch["SUMMARY"]).startswith("Launch (target): Soyuz MS-29 (")
    assert "Scheduled: the announced target" in str(launch["DESCRIPTION"])


@time_machine.travel(BEFORE_MS29, tick=False)
def test_an_in_flight_undocking_in_the_past_is_tentative_until_the_record_confirms_it(client):
    # Not "in flight and past, so it happened": the record's certainty says.
    set_event("Soyuz MS-28", "undocking", dt.datetime(2026, 5, 30, tzinfo=UTC), Precision.DAY)
    assert str(events(fetch(client))["Undocking: Soyuz MS-28"]["STATUS"]) == "TENTATIVE"
    set_event(
        "Soyuz MS-28",
        "undocking",
        dt.datetime(2026, 5, 30, tzinfo=UTC),
        Precision.DAY,
        undocking_certainty=Certainty.CONFIRMED,
    )
    undocking = events(fetch(client))["Undocking: Soyuz MS-28"]
    assert str(undocking["STATUS"]) == "CONFIRMED"
    assert str(undocking["SUMMARY"]).startswith("Undocking: Soyuz MS-28 (")


@time_machine.travel(BEFORE_MS29, tick=False)
def test_an_in_flight_missions_past_events_are_confirmed_and_its_expected_landing_is_not(client):
    set_event("Soyuz MS-28", "landing", dt.datetime(2026, 7, 27, tzinfo=UTC), Precision.DAY)
    found = events(fetch(client))
    assert str(found["Launch: Soyuz MS-28"]["STATUS"]) == "CONFIRMED"
    assert str(found["Docking: Soyuz MS-28"]["STATUS"]) == "CONFIRMED"
    assert str(found["Landing: Soyuz MS-28"]["STATUS"]) == "TENTATIVE"


@time_machine.travel(BEFORE_MS29, tick=False)
def test_a_cancelled_missions_events_are_cancelled_not_dropped(client):
    set_event(
        "Soyuz MS-29", "launch", dt.datetime(2026, 7, 14, tzinfo=UTC), Precision.DAY, status=MissionStatus.CANCELLED
    )
    assert str(events(fetch(client))["Launch: Soyuz MS-29"]["STATUS"]) == "CANCELLED"


# --- stable UIDs ---------------------------------------------------------------------------


def test_a_moved_launch_keeps_its_uid_and_raises_its_sequence(client):
    before = events(fetch(client, "?mission=soyuz-ms-22"))["Launch: Soyuz MS-22"]
    set_event("Soyuz MS-22", "launch", dt.datetime(2022, 9, 19, tzinfo=UTC), Precision.DAY)
    after = events(fetch(client, "?mission=soyuz-ms-22"))["Launch: Soyuz MS-22"]
    assert str(after["UID"]) == str(before["UID"])
    assert after["DTSTART"].dt == dt.date(2022, 9, 19)
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt


def test_a_renamed_mission_keeps_its_uids(client):
    before = uid_of(client, "Landing: SpaceX Crew-5")
    Mission.objects.filter(name="SpaceX Crew-5").update(name="SpaceX Crew-5 Endurance", slug="crew-5")
    assert uid_of(client, "Landing: SpaceX Crew-5 Endurance") == before


def test_uids_survive_a_reference_data_reload_and_an_unchanged_calendar_is_byte_identical(client):
    cache.clear()
    first = client.get(URL).content
    load_reference_data()
    cache.clear()
    assert client.get(URL).content == first


def test_the_same_event_has_the_same_uid_in_every_filtered_calendar(client):
    uid = uid_of(client, "Landing: Soyuz MS-23")
    assert uid_of(client, "Landing: Soyuz MS-23", f"?person={RUBIO}") == uid
    assert uid_of(client, "Landing: Soyuz MS-23", "?mission=soyuz-ms-23") == uid
    assert uid_of(client, "Landing: Soyuz MS-23", "?agency=nasa") == uid


# --- filters ------------------------------------------------------------------------------


def test_the_person_filter_gives_the_legs_that_person_rode(client):
    calendar = fetch(client, f"?person={RUBIO}")
    assert set(events(calendar)) == {
        "Launch: Soyuz MS-22",
        "Docking: Soyuz MS-22",
        "Undocking: Soyuz MS-23",
        "Landing: Soyuz MS-23",
    }
    assert str(calendar["X-WR-CALNAME"]) == "ISS cross-flights · Francisco Rubio"


def test_the_mission_filter_gives_that_missions_events(client):
    found = events(fetch(client, "?mission=spacex-crew-5"))
    assert set(found) == {f"{event}: SpaceX Crew-5" for event in ("Launch", "Docking", "Undocking", "Landing")}
    assert found["Docking: SpaceX Crew-5"]["DTSTART"].dt == dt.date(2022, 10, 6)


def test_the_agency_filter_accepts_a_slug_or_a_name(client):
    by_slug = set(events(fetch(client, "?agency=jaxa")))
    assert "Launch: SpaceX Crew-5" in by_slug  # Koichi Wakata
    assert "Launch: Soyuz MS-22" not in by_slug
    assert set(events(fetch(client, "?agency=JAXA"))) == by_slug


def test_filters_combine(client):
    assert set(events(fetch(client, f"?person={RUBIO}&mission=soyuz-ms-23"))) == {
        "Undocking: Soyuz MS-23",
        "Landing: Soyuz MS-23",
    }
    assert set(events(fetch(client, f"?person={RUBIO}&agency=nasa"))) == set(events(fetch(client, f"?person={RUBIO}")))
    assert events(fetch(client, f"?person={RUBIO}&agency=jaxa")) == {}
    assert events(fetch(client, "?mission=soyuz-ms-22&agency=jaxa")) == {}


def test_an_empty_filter_is_no_filter(client):
    assert set(events(fetch(client, "?mission=&person=&agency="))) == set(events(fetch(client)))


@pytest.mark.parametrize(
    "query", ["?mission=soyuz-ms-99", "?person=frank-rubio", "?agency=esa-x", f"?person={RUBIO}&mission=nope"]
)
def test_an_unknown_filter_value_is_not_found(client, query):
    assert client.get(f"{URL}{query}").status_code == 404


def test_a_known_mission_that_is_no_cross_flight_gives_an_empty_calendar(client):
    assert events(fetch(client, "?mission=boeing-crew-flight-test")) == {}


# --- HTTP ------------------------------------------------------------------------------------


def test_an_unchanged_calendar_answers_304_to_its_etag(client):
    response = client.get(URL)
    assert response["ETag"]
    assert "max-age" in response["Cache-Control"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    set_event("Soyuz MS-22", "launch", dt.datetime(2022, 9, 20, tzinfo=UTC), Precision.DAY)
    changed = client.get(URL, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != response["ETag"]


def test_calendar_apps_may_ask_with_head(client):
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("extra", [3, 300])
def test_the_calendar_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries, extra):
    make_cross_flights(extra)
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.content.count(b"BEGIN:VEVENT") > 2 * extra


# --- subscribe links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "link"),
    [
        ("/", URL),
        ("/missions/soyuz-ms-22/", f"{URL}?mission=soyuz-ms-22"),
        (f"/people/{RUBIO}/", f"{URL}?person={RUBIO}"),
    ],
)
def test_the_pages_link_to_their_calendar_and_the_link_works(client, page, link):
    html = client.get(page).content.decode()
    assert f'<a class="subscribe" href="webcal://testserver{link}">Subscribe to calendar</a>' in html
    assert f'<a href="{link}" type="text/calendar" download>download .ics</a>' in html
    calendar = icalendar.Calendar.from_ical(client.get(link).content)
    assert calendar.walk("VEVENT")


def test_a_mission_that_is_no_cross_flight_offers_no_calendar(client):
    assert "Subscribe to calendar" not in client.get("/missions/boeing-crew-flight-test/").content.decode()
