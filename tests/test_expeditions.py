"""ISS expeditions, derived from the record's Soyuz departures and the one sourced anchor
(tracker/record/expeditions.py): the numbers of each stay, the expected ones, and where
they show: the person, mission and expeditions pages, the API and search."""

import datetime as dt
import re

import pytest
from django.db.models import F

from tests.pages import page_html
from tracker.lib.fuzzy_dates import Precision
from tracker.record import expeditions
from tracker.record.expeditions import ANCHOR_START, expeditions_of, membership
from tracker.record.models import Agency, Leg, Mission, MissionStatus, Person, Seat, VehicleFamily
from tracker.record.validation import pair_stays

pytestmark = pytest.mark.django_db


def stay_of(name: str, mission: str) -> Seat:
    return Seat.objects.stays().get(person__name=name, mission__name=mission)


def numbered(number: int) -> expeditions.Expedition:
    return next(e for e in expeditions.expeditions() if e.number == number)


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def make_flights(count: int) -> None:
    """`count` more Crew Dragon flights in 2023, each with two crew: more stays for every
    expedition of that year, for the query-count tests."""
    dragon, nasa = VehicleFamily.objects.get(name="Crew Dragon"), Agency.objects.get(slug="nasa")
    flights = Mission.objects.bulk_create(
        Mission(
            name=f"Extra {n}",
            slug=f"extra-{n}",
            family=dragon,
            status=MissionStatus.LANDED,
            launch_at=day("2023-01-01") + dt.timedelta(days=n),
            launch_precision=Precision.DAY,
            launch_certainty="confirmed",
            landing_at=day("2023-08-01") + dt.timedelta(days=n),
            landing_precision=Precision.DAY,
            landing_certainty="confirmed",
        )
        for n in range(count)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Extra {n}", slug=f"extra-person-{n}", agency=nasa) for n in range(2 * count)
    )
    Seat.objects.bulk_create(
        Seat(mission=flight, person=person, leg=leg)
        for index, flight in enumerate(flights)
        for person in people[2 * index : 2 * index + 2]
        for leg in (Leg.ASCENT, Leg.DESCENT)
    )


# --- the numbers -----------------------------------------------------------------------------


def test_expedition_68_begins_at_the_sourced_anchor_when_soyuz_ms_21_undocked():
    anchor = numbered(68)
    assert anchor.start == dt.datetime(2022, 9, 29, 7, 34, tzinfo=dt.UTC) == ANCHOR_START
    assert anchor.start_precision == Precision.EXACT and not anchor.expected
    assert anchor.began_with == "Soyuz MS-21" and anchor.began_with_slug is None  # not in the record
    assert anchor.source.startswith("https://blogs.nasa.gov/")
    assert anchor.end == day("2023-03-28")  # the uncrewed departure of Soyuz MS-22


def test_each_later_expedition_begins_with_the_next_soyuz_undocking():
    starts = {e.number: (e.began_with, e.start.date().isoformat()) for e in expeditions.expeditions() if e.start}
    assert starts[69] == ("Soyuz MS-22", "2023-03-28")
    assert starts[70] == ("Soyuz MS-23", "2023-09-27")
    assert starts[71] == ("Soyuz MS-24", "2024-04-06")
    assert starts[74] == ("Soyuz MS-27", "2025-12-09")
    assert [e.number for e in expeditions.expeditions()] == list(range(67, 76))


def test_rubio_up_on_ms_22_and_home_on_ms_23_was_in_expeditions_67_to_69():
    # He docked on 2022-09-21, eight days before Expedition 67 ended (NASA: "joined
    # Expedition 67 Commander Oleg Artemyev"), and left with the undocking that began 70.
    rubio = stay_of("Francisco Rubio", "Soyuz MS-22")
    assert expeditions_of(rubio) == (67, 68, 69)
    assert membership(rubio).label == "Expeditions 67–69"


def test_a_stay_is_in_every_expedition_it_overlaps_and_no_other():
    assert expeditions_of(stay_of("Anna Kikina", "SpaceX Crew-5")) == (68,)
    assert expeditions_of(stay_of("Loral O'Hara", "Soyuz MS-24")) == (69, 70)
    assert expeditions_of(stay_of("Oleg Kononenko", "Soyuz MS-24")) == (69, 70, 71)  # home on MS-25
    assert expeditions_of(stay_of("Marina Vasilevskaya", "Soyuz MS-25")) == (70,)  # a visit, home on MS-24


def test_the_crew_that_leaves_with_a_soyuz_is_not_in_the_expedition_its_undocking_begins():
    assert 70 not in expeditions_of(stay_of("Francisco Rubio", "Soyuz MS-22"))
    assert expeditions_of(stay_of("Sergey Kud-Sverchkov", "Soyuz MS-28")) == (73, 74)


def test_expedition_75_is_expected_because_ms_28s_departure_is_only_a_target():
    expected = numbered(75)
    assert expected.expected and expected.start_is_target
    assert (expected.start, expected.start_precision) == (day("2026-07-01"), Precision.MONTH)  # MS-28's landing
    assert expected.began_with == "Soyuz MS-28" and expected.end is None


def test_ms_29s_crew_would_join_expedition_75_as_expected():
    menon = membership(stay_of("Anil Menon", "Soyuz MS-29"))
    assert menon.numbers == (75,) and menon.expected == {75}
    assert menon.label == "Expedition 75 (expected)"


def test_a_stay_still_in_space_runs_through_the_current_and_the_expected_expedition():
    meir = membership(stay_of("Jessica Meir", "SpaceX Crew-12"))
    assert meir.numbers == (74, 75) and meir.expected == {75}
    assert meir.label == "Expeditions 74–75 (75 expected)"


def test_a_confirmed_undocking_turns_the_expected_expedition_into_a_fact(mission):
    ms28 = mission("Soyuz MS-28")
    ms28.status, ms28.landing_at, ms28.landing_precision = MissionStatus.LANDED, day("2026-07-27"), Precision.DAY
    ms28.save()
    assert not numbered(75).expected and numbered(75).start == day("2026-07-27")
    # MS-29's crew (target 2026-07-14) would now hand over from MS-28's in 74, and has not
    # launched: its place in both is expected.
    menon = membership(stay_of("Anil Menon", "Soyuz MS-29"))
    assert menon.numbers == (74, 75) and menon.expected == {74, 75}


def test_a_cancelled_flight_has_no_expedition(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.status = MissionStatus.CANCELLED
    ms29.save()
    assert expeditions_of(stay_of("Anil Menon", "Soyuz MS-29")) == ()


def test_a_soyuz_with_no_departure_in_the_record_ends_the_chain_rather_than_misnumber(mission):
    ms26 = mission("Soyuz MS-26")
    Mission.objects.filter(pk=ms26.pk).update(undocking_at=None, undocking_precision="", undocking_certainty="")
    Mission.objects.filter(pk=ms26.pk).update(landing_at=None, landing_precision="", landing_certainty="")
    mission("Soyuz MS-26").save()  # moves the record version on, as every editor's save does
    assert [e.number for e in expeditions.expeditions()] == list(range(67, 73))
    assert numbered(72).end is None


def test_the_landing_stands_for_an_unrecorded_undocking(mission):
    ms23 = mission("Soyuz MS-23")
    ms23.undocking_at, ms23.undocking_precision = None, ""
    ms23.save()
    assert numbered(70).start == ms23.landing_at


def test_a_short_visit_hands_nothing_over(mission):
    soyuz = VehicleFamily.objects.get(name="Soyuz MS")
    Mission.objects.create(
        name="Soyuz MS-visit",
        slug="soyuz-ms-visit",
        family=soyuz,
        status=MissionStatus.LANDED,
        **{f"{event}_at": day(date) for event, date in [("launch", "2024-06-01"), ("landing", "2024-06-12")]},
        launch_precision=Precision.DAY,
        landing_precision=Precision.DAY,
    )
    assert numbered(72).began_with == "Soyuz MS-25"


def test_a_stay_that_ended_before_the_anchor_gets_none_and_one_aboard_at_it_gets_67(mission):
    dragon, nasa = VehicleFamily.objects.get(name="Crew Dragon"), Agency.objects.get(slug="nasa")
    rows = {"crew-3": ("2021-11-11", "2022-05-06"), "crew-4": ("2022-04-27", "2022-10-14")}
    people = {}
    for slug, (launch, landing) in rows.items():
        flight = Mission.objects.create(
            name=slug,
            slug=slug,
            family=dragon,
            status=MissionStatus.LANDED,
            launch_at=day(launch),
            launch_precision=Precision.DAY,
            landing_at=day(landing),
            landing_precision=Precision.DAY,
        )
        person = Person.objects.create(name=f"Astronaut of {slug}", slug=f"astronaut-{slug}", agency=nasa)
        Seat.objects.create(mission=flight, person=person, leg=Leg.ASCENT)
        Seat.objects.create(mission=flight, person=person, leg=Leg.DESCENT)
        people[slug] = person
    assert expeditions_of(stay_of("Astronaut of crew-3", "crew-3")) == ()
    assert expeditions_of(stay_of("Astronaut of crew-4", "crew-4")) == (67, 68)


def test_every_kind_of_stay_gives_the_same_answer(seat):
    descent = seat("Francisco Rubio", "Soyuz MS-23", Leg.DESCENT)
    ascent = seat("Francisco Rubio", "Soyuz MS-22", Leg.ASCENT)
    paired = pair_stays(Seat.objects.filter(person=ascent.person).select_related("mission"))
    assert expeditions_of(descent) == expeditions_of(ascent) == expeditions_of(paired[0]) == (67, 68, 69)


def test_the_crew_of_each_expedition_is_everyone_whose_stay_overlaps_it():
    crew = {member.name for member in numbered(70).crew}
    assert {"Oleg Kononenko", "Loral O'Hara", "Jasmin Moghbeli", "Tracy Caldwell Dyson"} <= crew
    assert "Francisco Rubio" not in crew and len(crew) == 14


def test_expeditions_are_computed_once_per_record_version_in_two_queries(django_assert_num_queries, mission):
    with django_assert_num_queries(2):  # the missions, the stays
        expeditions.expeditions()
    stays = list(Seat.objects.stays())
    with django_assert_num_queries(0):
        expeditions.expeditions()
        assert all(membership(stay) is not None for stay in stays)
    mission("Soyuz MS-23").save()
    with django_assert_num_queries(2):
        expeditions.expeditions()


@pytest.mark.parametrize("extra", [0, 30])
def test_the_expeditions_build_does_not_grow_with_the_record(django_assert_num_queries, extra):
    make_flights(extra)
    with django_assert_num_queries(2):
        expeditions.expeditions()


# --- pages ---------------------------------------------------------------------------------------


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def panel(html: str) -> str:
    start = html.index('<section aria-labelledby="expeditions-heading"')
    return html[start : html.index("</section>", start)]


def test_the_person_page_shows_each_stays_expeditions(client):
    section = panel(page_html(client, "/people/anna-kikina/"))
    assert "SpaceX Crew-5: Expedition 68" in text(section)
    assert "Soyuz MS-29: Expedition 75 expected" in text(section)
    assert 'href="/expeditions/#expedition-68"' in section
    assert "In all: Expeditions 68, 75 75 expected." in text(section)


def test_the_person_page_names_a_range_for_a_long_stay(client):
    section = panel(page_html(client, "/people/francisco-rubio/"))
    assert "Soyuz MS-22 → Soyuz MS-23: Expeditions 67–69" in text(section)


def test_the_mission_page_shows_the_expeditions_its_crew_joined(client):
    section = text(panel(page_html(client, "/missions/spacex-crew-12/")))
    assert "Its crew joined Expeditions 74–75 75 expected." in section
    assert "Jessica Meir: Expeditions 74–75 75 expected" in section


def test_the_mission_page_of_a_planned_flight_says_expected(client):
    section = text(panel(page_html(client, "/missions/soyuz-ms-29/")))
    assert "Its crew joined Expedition 75 expected." in section


def test_the_expeditions_page_lists_each_expedition_with_its_start_and_crew(client):
    html = page_html(client, "/expeditions/")
    seventy = html[html.index('id="expedition-70"') : html.index('id="expedition-69"')]
    assert "2023-09-27" in seventy and 'href="/missions/soyuz-ms-23/"' in seventy
    assert 'href="/people/loral-ohara/"' in seventy or "Loral O" in seventy
    assert html.index('id="expedition-75"') < html.index('id="expedition-67"')  # newest first
    expected = html[html.index('id="expedition-75"') : html.index('id="expedition-74"')]
    assert "expected" in expected and "target July 2026" in expected
    assert "blogs.nasa.gov" in html


@pytest.mark.parametrize("extra", [0, 30])
def test_the_expeditions_page_query_count_does_not_grow_with_the_record(client, django_assert_num_queries, extra):
    make_flights(extra)
    with django_assert_num_queries(2):
        html = page_html(client, "/expeditions/")
    assert html.count("/people/extra-person-") == 2 * extra * 2  # each in Expeditions 68 and 69


# --- the API -------------------------------------------------------------------------------------


def test_the_api_gives_each_flight_of_a_person_its_expeditions(client):
    flights = client.get("/api/people/francisco-rubio").json()["flights"]
    assert flights[0]["expeditions"] == [{"number": n, "expected": False} for n in (67, 68, 69)]


def test_the_api_gives_each_crew_seat_its_expeditions(client):
    seats = client.get("/api/missions/soyuz-ms-29").json()["seats"]["ascent"]
    assert {seat["person"]["name"]: seat["expeditions"] for seat in seats}["Anil Menon"] == [
        {"number": 75, "expected": True}
    ]


def test_the_api_lists_every_expedition_with_its_crew(client):
    rows = client.get("/api/expeditions").json()
    assert [row["number"] for row in rows] == list(range(67, 76))
    first, anchor, last = rows[0], rows[1], rows[-1]
    assert first["start"] is None and first["end"] == "2022-09-29T07:34:00Z"
    assert anchor["source"].startswith("https://blogs.nasa.gov/") and anchor["began_with_mission"] is None
    assert last["expected"] and last["start_precision"] == "month" and last["end"] is None
    assert last["began_with_mission"] == {"slug": "soyuz-ms-28", "name": "Soyuz MS-28"}
    assert {
        "person": {"slug": "anil-menon", "name": "Anil Menon"},
        "launched_on": {"slug": "soyuz-ms-29", "name": "Soyuz MS-29"},
        "expected": True,
    } in last["crew"]  # noqa: E501


# --- search --------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["Expedition 70", "expedition 70", "Exp 70", "exp. 70", "экспедиция 70", "МКС-70"])
def test_search_finds_an_expedition_its_crew_and_their_missions_by_any_name(q):
    from tests.test_search import results_for

    found = results_for(q)
    assert found["expeditions"][0] == "Expedition 70"
    assert {"Loral O'Hara", "Oleg Kononenko", "Tracy Caldwell Dyson"} <= set(found["people"])
    assert "Francisco Rubio" not in found["people"]
    assert {"Soyuz MS-24", "SpaceX Crew-7", "Soyuz MS-23"} <= set(found["missions"])


def test_the_search_page_says_how_a_person_was_found_for_an_expedition(client):
    html = page_html(client, "/search/?q=Expedition+70")
    people = html[html.index('id="results-people"') :]
    assert "Crew of" in people
    expedition = html[html.index('id="results-expeditions"') :]
    assert 'href="/expeditions/#expedition-70"' in expedition
    assert "Began 2023-09-27, when Soyuz MS-23 undocked" in expedition


def test_search_says_an_expected_expedition_is_expected():
    from tracker.search import searchable_record

    entry = next(e for e in searchable_record.current_searchable_record().expeditions if e.title == "Expedition 75")
    assert entry.detail.startswith("Begins when Soyuz MS-28 undocks, target July 2026")


def test_stays_in_launch_order_on_the_person_page_match_the_api(client):
    stays = Seat.objects.filter(person__slug="andrey-fedyaev").stays().order_by(F("mission__launch_at"))
    api = client.get("/api/people/andrey-fedyaev").json()["flights"]
    assert [[e["number"] for e in flight["expeditions"]] for flight in api] == [
        list(expeditions_of(stay)) for stay in stays
    ]
