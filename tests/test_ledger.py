"""The seat-swap ledger (tracker/record/ledger.py), its page and /api/ledger, with exact figures
from the shipped reference record on a fixed day."""

import datetime as dt
import re

import pytest
import time_machine

from tests.factories import make_cross_flights
from tests.pages import page_html
from tracker.lib.fuzzy_dates import Precision
from tracker.record.ledger import Tally, seat_swap_ledger
from tracker.record.models import Agreement, MissionStatus, Person, Seat
from tracker.record.stays import StayState

pytestmark = pytest.mark.django_db

# Soyuz MS-28 (Christopher Williams) and Crew-12 (Andrey Fedyaev) are up; MS-29 and Crew-13 are planned.
TODAY = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture
def ledger():
    return seat_swap_ledger(now=TODAY)


def side(account, party: str):
    return next(s for s in account.sides if s.party.name == party)


def seats_of(ledger, name: str):
    return [seat for seat in ledger.seats if seat.person.name == name]


def figures(account) -> dict:
    """{party: (seats given, person-days given, seats used, person-days used, to fly given, to fly used)}"""
    return {
        s.party.name: (
            s.given.seats,
            s.given.person_days,
            s.used.seats,
            s.used.person_days,
            s.given.to_fly,
            s.used.to_fly,
        )
        for s in account.sides
    }


# --- The computation ------------------------------------------------------------------------


def test_rubios_371_days_up_on_ms22_and_home_on_ms23_are_one_nasa_seat_on_a_roscosmos_vehicle(ledger):
    [rubio] = seats_of(ledger, "Francisco Rubio")
    assert rubio.person.agency.name == "NASA" and rubio.giver.name == "Roscosmos"
    assert (rubio.up_on.name, rubio.home_on.name) == ("Soyuz MS-22", "Soyuz MS-23")
    assert rubio.days == 371 and rubio.state == StayState.LANDED
    assert rubio.document.key == "original"


def test_the_totals_count_every_cross_flight_stay_once(ledger):
    nasa, roscosmos = side(ledger.total, "NASA"), side(ledger.total, "Roscosmos")
    # NASA vehicles: Crew-5 … Crew-11 landed (1264 days) and Crew-12 up 285 days; Crew-13 to fly.
    assert nasa.given == Tally(seats=8, in_flight=1, person_days=1264 + 285, to_fly=1)
    # Roscosmos vehicles: MS-22, MS-24 … MS-27 landed (1225 days) and MS-28 up 363 days; MS-29 to fly.
    assert roscosmos.given == Tally(seats=6, in_flight=1, person_days=1225 + 363, to_fly=1)
    # Between two parties one's seats given are the other's seats used.
    assert nasa.used == roscosmos.given and roscosmos.used == nasa.given
    assert (nasa.seat_balance, nasa.day_balance, nasa.seat_balance_after_to_fly) == (2, -39, 2)
    assert (roscosmos.seat_balance, roscosmos.day_balance) == (-2, 39)


def test_each_document_has_its_own_account(ledger):
    by_key = {account.document.key: figures(account) for account in ledger.documents}
    assert by_key == {
        "original": {"NASA": (3, 543, 3, 759, 0, 0), "Roscosmos": (3, 759, 3, 543, 0, 0)},
        "addendum_1_expansion": {"NASA": (1, 235, 1, 221, 0, 0), "Roscosmos": (1, 221, 1, 235, 0, 0)},
        "addendum_2": {"NASA": (2, 319, 1, 245, 0, 0), "Roscosmos": (1, 245, 2, 319, 0, 0)},
        "addendum_3": {"NASA": (2, 452, 1, 363, 1, 1), "Roscosmos": (1, 363, 2, 452, 1, 1)},
        "further_extension_talks": {"NASA": (0, 0, 0, 0, 0, 0), "Roscosmos": (0, 0, 0, 0, 0, 0)},
        "addendum_4_negotiations": {"NASA": (0, 0, 0, 0, 0, 0), "Roscosmos": (0, 0, 0, 0, 0, 0)},
    }


def test_a_flight_named_by_two_documents_counts_once_under_the_earliest(ledger):
    [teteryatnikov] = seats_of(ledger, "Sergey Teteryatnikov")
    assert teteryatnikov.document.key == "addendum_3"
    talks = next(a for a in ledger.documents if a.document.key == "further_extension_talks")
    assert [m.name for m in talks.counted_elsewhere] == ["SpaceX Crew-13"] and talks.is_empty
    for party in ("NASA", "Roscosmos"):
        assert sum(side(a, party).given.seats for a in ledger.documents) == side(ledger.total, party).given.seats
        assert sum(side(a, party).given.to_fly for a in ledger.documents) == side(ledger.total, party).given.to_fly


def test_flights_still_to_fly_count_apart_and_never_in_the_flown_figures(ledger):
    planned = {seat.person.name: seat for seat in ledger.seats if seat.state == StayState.PLANNED}
    assert set(planned) == {"Anil Menon", "Sergey Teteryatnikov"}
    assert planned["Anil Menon"].giver.name == "Roscosmos" and planned["Anil Menon"].days is None
    flown = [seat for seat in ledger.seats if seat.state != StayState.PLANNED]
    assert sum(side(ledger.total, p).given.seats for p in ("NASA", "Roscosmos")) == len(flown) == 14


def test_a_stay_in_progress_counts_its_days_to_now():
    [williams] = seats_of(seat_swap_ledger(now=TODAY), "Christopher Williams")
    assert williams.state == StayState.IN_FLIGHT and williams.days == 363
    [williams] = seats_of(seat_swap_ledger(now=TODAY + dt.timedelta(days=10)), "Christopher Williams")
    assert williams.days == 373


def test_a_cross_flight_only_on_the_way_home_counts_for_the_vehicle_that_brought_them_home(mission):
    # A NASA astronaut up on Crew-11 (NASA's own vehicle) and home on Soyuz MS-27 (Roscosmos's).
    nasa = Person.objects.get(name="Jonathan Kim").agency
    astronaut = Person.objects.create(name="Test Astronaut", slug="test-astronaut", agency=nasa)
    Seat.objects.create(mission=mission("SpaceX Crew-11"), person=astronaut, leg="ascent")
    Seat.objects.create(mission=mission("Soyuz MS-27"), person=astronaut, leg="descent")
    [seat] = seats_of(seat_swap_ledger(now=TODAY), "Test Astronaut")
    assert seat.giver.name == "Roscosmos" and seat.document.key == "addendum_2"
    assert (seat.up_on.name, seat.home_on.name) == ("SpaceX Crew-11", "Soyuz MS-27")
    assert seat.days == (dt.date(2025, 12, 9) - dt.date(2025, 8, 1)).days == 130


def test_a_cancelled_flight_is_not_in_the_ledger(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.status = MissionStatus.CANCELLED
    ms29.save()
    ledger = seat_swap_ledger(now=TODAY)
    assert seats_of(ledger, "Anil Menon") == []
    assert side(ledger.total, "Roscosmos").given.to_fly == 0


def test_a_launch_recorded_for_tomorrow_has_not_flown_yet(mission):
    ms29 = mission("Soyuz MS-29")
    ms29.status, ms29.launch_at, ms29.launch_precision = (
        MissionStatus.IN_FLIGHT,
        TODAY + dt.timedelta(days=1),
        Precision.DAY,
    )
    ms29.save()
    [menon] = seats_of(seat_swap_ledger(now=TODAY), "Anil Menon")
    assert menon.state == StayState.PLANNED and menon.days is None


def test_no_agreement_no_ledger():
    Agreement.objects.all().delete()
    assert seat_swap_ledger(now=TODAY) is None


@pytest.mark.parametrize("extra", [3, 300])
def test_the_ledger_takes_a_fixed_number_of_queries(django_assert_num_queries, extra):
    make_cross_flights(extra)
    with django_assert_num_queries(7):
        ledger = seat_swap_ledger(now=TODAY)
    # The synthetic flights launch in 2030: after TODAY, so still to fly.
    assert side(ledger.total, "Roscosmos").given.to_fly == 1 + extra


# --- /api/ledger -----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_api_gives_the_same_figures(client):
    response = client.get("/api/ledger")
    assert response.status_code == 200 and response["ETag"]
    data = response.json()
    assert data["url"] == "http://testserver/agreement/ledger/"
    assert data["parties"] == [{"slug": "nasa", "name": "NASA"}, {"slug": "roscosmos", "name": "Roscosmos"}]
    roscosmos = next(s for s in data["total"]["sides"] if s["party"]["slug"] == "roscosmos")
    assert roscosmos["given"] == {"seats": 6, "in_flight": 1, "person_days": 1588, "to_fly": 1}
    assert roscosmos["balance"] == {"seats": -2, "person_days": 39, "seats_after_to_fly": -2}
    assert data["total"]["document"] is None
    assert [a["document"]["key"] for a in data["documents"]][0] == "original"
    talks = next(a for a in data["documents"] if a["document"]["key"] == "further_extension_talks")
    assert talks["counted_elsewhere"] == [{"slug": "spacex-crew-13", "name": "SpaceX Crew-13"}]
    rubio = next(s for s in data["seats"] if s["person"]["name"] == "Francisco Rubio")
    assert rubio == {
        "person": {"slug": "francisco-rubio", "name": "Francisco Rubio"},
        "agency": {"slug": "nasa", "name": "NASA"},
        "vehicle_operator": {"slug": "roscosmos", "name": "Roscosmos"},
        "launched_on": {"slug": "soyuz-ms-22", "name": "Soyuz MS-22"},
        "returned_on": {"slug": "soyuz-ms-23", "name": "Soyuz MS-23"},
        "document": {"key": "original", "title": "Original agreement (July 2022)"},
        "state": "landed",
        "days": 371,
    }
    menon = next(s for s in data["seats"] if s["person"]["name"] == "Anil Menon")
    assert (menon["state"], menon["days"]) == ("planned", None)


def test_the_api_says_404_without_an_agreement(client):
    Agreement.objects.all().delete()
    response = client.get("/api/ledger")
    assert response.status_code == 404 and response.json() == {"detail": "No agreement is recorded yet."}


# --- The page ------------------------------------------------------------------------------


def cells(html: str, tbody_id: str) -> list[list[str]]:
    """The text of each party row of one account's <tbody>."""
    body = re.search(rf'<tbody [^>]*id="{tbody_id}">(.*?)</tbody>', html, re.S).group(1)
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        for r in rows
    ]


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_each_document_and_the_total(client):
    html = page_html(client, "/agreement/ledger/")
    assert "<h1>The seat-swap ledger</h1>" in html
    assert cells(html, "account-original") == [
        ["NASA", "3", "543", "3", "759", "0", "−216", "0 · 0"],
        ["Roscosmos", "3", "759", "3", "543", "0", "+216", "0 · 0"],
    ]
    assert cells(html, "account-total") == [
        ["NASA", "8 (1 still up)", "1549", "6 (1 still up)", "1588", "+2", "−39", "1 · 1"],
        ["Roscosmos", "6 (1 still up)", "1588", "8 (1 still up)", "1549", "−2", "+39", "1 · 1"],
    ]
    assert "SpaceX Crew-13: counted under an earlier document." in html


@time_machine.travel(TODAY, tick=False)
def test_the_pages_chart_has_a_segment_per_flown_seat_that_links_to_its_row(client):
    html = page_html(client, "/agreement/ledger/")
    chart = re.search(r'<svg [^>]*class="ledger-chart".*?</svg>', html, re.S).group(0)
    total_block = chart.split('<g class="block">')[1]
    assert total_block.count('class="seat') == 14 and total_block.count('class="to-fly"') == 2
    for seat_id in set(re.findall(r'href="#seat-(\d+)"', chart)):
        assert f'id="seat-{seat_id}"' in html
    # The site's Content-Security-Policy forbids inline styles: the chart uses none.
    assert "style=" not in html


def test_the_agreement_page_and_the_dashboard_link_to_the_ledger(client):
    for url in ("/agreement/", "/"):
        assert '<a href="/agreement/ledger/">The seat-swap ledger</a>' in page_html(client, url)


def test_the_ledger_page_is_404_without_an_agreement(client):
    Agreement.objects.all().delete()
    assert client.get("/agreement/ledger/").status_code == 404


@pytest.mark.parametrize("extra", [3, 300])
def test_the_page_query_count_does_not_grow_with_the_record(client, django_assert_max_num_queries, extra):
    make_cross_flights(extra)
    with django_assert_max_num_queries(8):
        assert client.get("/agreement/ledger/").status_code == 200
