"""The read-only JSON API: what it says about the record, its filters, paging, conditional
requests, and (test_api_schema.py) conformance to its own OpenAPI schema."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils.http import http_date

from tracker.news.models import ProposalStatus, ProposedUpdate
from tracker.news.proposals import accept_proposal
from tracker.news.services import poll_sources_now
from tracker.record.models import Mission

pytestmark = pytest.mark.django_db

# The reference record's "now" for these tests: Rubio has landed, Crew-5 has landed.
NOW = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14, planned"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def get(client, path: str, **headers):
    response = client.get(path, headers=headers)
    if response.status_code != 304:
        assert response["Content-Type"].startswith("application/json")
    return response


def body(client, path: str) -> dict:
    response = get(client, path)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(page: dict) -> list[str]:
    return [item["slug"] for item in page["items"]]


def test_ms22_is_what_the_record_says(client):
    ms22 = body(client, "/api/missions/soyuz-ms-22")

    assert ms22["name"] == "Soyuz MS-22"
    assert ms22["url"] == "http://testserver/missions/soyuz-ms-22/"
    assert ms22["vehicle_family"] == {"slug": "soyuz-ms", "name": "Soyuz MS"}
    assert ms22["operator"]["slug"] == "roscosmos"
    assert ms22["status"] == "landed" and ms22["is_cross_flight"] is True and ms22["stale"] is False
    assert ms22["events"]["launch"] == {
        "at": "2022-09-21T00:00:00Z",
        "precision": "day",
        "certainty": "confirmed",
        "net": False,
        "overdue": False,
        "display": "2022-09-21",
    }
    ascent = {seat["person"]["name"]: seat for seat in ms22["seats"]["ascent"]}
    assert set(ascent) == {"Sergey Prokopyev", "Dmitry Petelin", "Francisco Rubio"}
    rubio = ascent["Francisco Rubio"]
    assert rubio["agency"]["slug"] == "nasa" and rubio["cross_flight"] is True
    # MS-22 came home empty after its coolant leak; its crew returned on MS-23.
    assert rubio["other_mission"] == {"slug": "soyuz-ms-23", "name": "Soyuz MS-23"}
    assert ms22["seats"]["descent"] == []
    assert not ascent["Sergey Prokopyev"]["cross_flight"]
    assert [doc["key"] for doc in ms22["agreement_documents"]] == ["original"]
    assert any("russianspacenews.com/soyuz-ms-22" in source["url"] for source in ms22["sources"])


def test_crew5_carries_kikina_as_the_cross_flight_seat(client):
    crew5 = body(client, "/api/missions/spacex-crew-5")

    assert crew5["vehicle_family"]["slug"] == "crew-dragon" and crew5["operator"]["slug"] == "nasa"
    assert crew5["events"]["launch"]["at"] == "2022-10-05T00:00:00Z"
    assert crew5["events"]["landing"]["at"] == "2023-03-12T00:00:00Z"
    ascent = {seat["person"]["name"]: seat["cross_flight"] for seat in crew5["seats"]["ascent"]}
    assert ascent == {"Nicole Mann": False, "Josh Cassada": False, "Koichi Wakata": False, "Anna Kikina": True}
    # Same crew down on the same craft: no other mission to point to.
    assert all(seat["other_mission"] is None for seat in crew5["seats"]["descent"])
    assert crew5["flight_days"] == 158


def test_a_person_has_days_in_space_and_flights(client):
    rubio = body(client, "/api/people/francisco-rubio")

    assert "Frank Rubio" in rubio["aliases"]
    assert rubio["days_in_space"] == 371
    assert rubio["flights"] == [
        {
            "launched_on": {"slug": "soyuz-ms-22", "name": "Soyuz MS-22"},
            "returned_on": {"slug": "soyuz-ms-23", "name": "Soyuz MS-23"},
            "launch_at": "2022-09-21T00:00:00Z",
            "launch_precision": "day",
            "launch_certainty": "confirmed",
            "launch_net": False,
            "launch_overdue": False,
            "return_landing_at": "2023-09-27T00:00:00Z",
            "return_landing_precision": "day",
            "return_landing_certainty": "confirmed",
            "return_landing_net": False,
            "return_landing_overdue": False,
            "days": 371,
            "cross_flight": True,
            "expeditions": [{"number": n, "expected": False} for n in (67, 68, 69)],
        }
    ]


# --- targets: announced times, not facts --------------------------------------------------------

TODAY = dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC)  # every target of the shipped record has passed
BEFORE_THE_TARGETS = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def test_a_launch_target_still_ahead_is_a_target_and_not_overdue(client):
    with time_machine.travel(BEFORE_THE_TARGETS, tick=False):
        launch = body(client, "/api/missions/soyuz-ms-29")["events"]["launch"]
    assert launch == {
        "at": "2026-07-14T00:00:00Z",
        "precision": "day",
        "certainty": "target",
        "net": False,
        "overdue": False,
        "display": "target 2026-07-14",
    }


def test_a_launch_target_that_passed_unconfirmed_is_overdue(client):
    with time_machine.travel(TODAY, tick=False):
        ms29 = body(client, "/api/missions/soyuz-ms-29")
    assert ms29["status"] == "planned" and ms29["stale"] is True
    assert ms29["events"]["launch"]["certainty"] == "target"
    assert ms29["events"]["launch"]["overdue"] is True
    assert ms29["events"]["launch"]["display"] == "target 2026-07-14, overdue"
    assert ms29["events"]["landing"] == {
        "at": None,
        "precision": None,
        "certainty": None,
        "net": False,
        "overdue": False,
        "display": "unknown",
    }


def test_a_no_earlier_than_month_is_net_in_the_list_and_in_cross_flights(client):
    with time_machine.travel(TODAY, tick=False):
        listed = {m["slug"]: m for m in body(client, "/api/missions?limit=200")["items"]}
        upcoming = {m["slug"]: m for m in body(client, "/api/crossflights?state=upcoming")["items"]}
    for crew13 in (listed["spacex-crew-13"], upcoming["spacex-crew-13"]):
        launch = crew13["events"]["launch"]
        assert (launch["at"], launch["precision"]) == ("2026-09-01T00:00:00Z", "month")
        assert (launch["certainty"], launch["net"], launch["overdue"]) == ("net", True, True)
        assert launch["display"] == "NET September 2026, overdue"


def test_a_flight_in_space_has_a_confirmed_launch_and_a_landing_target(client):
    with time_machine.travel(BEFORE_THE_TARGETS, tick=False):
        events = body(client, "/api/missions/soyuz-ms-28")["events"]
    assert events["launch"]["certainty"] == "confirmed"
    assert (events["landing"]["certainty"], events["landing"]["precision"]) == ("target", "month")
    assert events["landing"]["overdue"] is False


def test_a_persons_planned_flight_says_its_launch_is_a_target_and_counts_no_days(client):
    with time_machine.travel(TODAY, tick=False):
        kikina = body(client, "/api/people/anna-kikina")
    planned = next(f for f in kikina["flights"] if f["launched_on"]["slug"] == "soyuz-ms-29")
    assert planned["launch_at"] == "2026-07-14T00:00:00Z" and planned["launch_precision"] == "day"
    assert (planned["launch_certainty"], planned["launch_net"], planned["launch_overdue"]) == ("target", False, True)
    # A target that passed unconfirmed is no launch: no days up on it.
    assert planned["days"] is None
    assert kikina["days_in_space"] == 158  # Crew-5 only


def test_a_stay_in_space_says_its_return_landing_is_a_target(client):
    with time_machine.travel(BEFORE_THE_TARGETS, tick=False):
        ms28 = body(client, "/api/missions/soyuz-ms-28")
        name = ms28["seats"]["ascent"][0]["person"]["slug"]
        person = body(client, f"/api/people/{name}")
    stay = next(f for f in person["flights"] if f["launched_on"]["slug"] == "soyuz-ms-28")
    assert stay["launch_certainty"] == "confirmed" and stay["days"] is not None
    assert (stay["return_landing_precision"], stay["return_landing_certainty"]) == ("month", "target")
    assert stay["return_landing_overdue"] is False


def test_unknown_objects_are_404_with_a_json_detail(client):
    for path in ("/api/missions/nope", "/api/people/nope", "/api/vehicles/nope"):
        response = get(client, path)
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}


# --- filters and paging -----------------------------------------------------------------------


def test_mission_filters_combine(client):
    every = body(client, "/api/missions?limit=200")
    nasa_on_soyuz = body(client, "/api/missions?agency=nasa&family=soyuz-ms&limit=200")
    landed_2023 = body(client, "/api/missions?status=landed&launched_after=2023-01-01&launched_before=2023-12-31")

    assert every["count"] == Mission.objects.count()
    # NASA crew on a Roscosmos vehicle: the Soyuz cross-flights and nothing else.
    assert nasa_on_soyuz["count"] > 0
    assert all(m["vehicle_family"]["slug"] == "soyuz-ms" and m["is_cross_flight"] for m in nasa_on_soyuz["items"])
    assert slugs(landed_2023) == ["soyuz-ms-23", "spacex-crew-6", "spacex-crew-7", "soyuz-ms-24"]
    # Lists are comma-separated; order and repeats do not matter.
    assert slugs(body(client, "/api/missions?person=anna-kikina,francisco-rubio,anna-kikina")) == [
        "soyuz-ms-22",
        "spacex-crew-5",
        "soyuz-ms-23",
        "soyuz-ms-29",  # Kikina's second flight, planned
    ]


def test_cross_flights_by_state(client):
    flights = body(client, "/api/crossflights?limit=200")
    completed = body(client, "/api/crossflights?state=completed&limit=200")
    upcoming_or_up = body(client, "/api/crossflights?state=upcoming,in_flight&limit=200")

    assert {m["state"] for m in completed["items"]} == {"completed"}
    assert {m["state"] for m in upcoming_or_up["items"]} <= {"upcoming", "in_flight"}
    assert completed["count"] + upcoming_or_up["count"] <= flights["count"]
    assert {"soyuz-ms-22", "spacex-crew-5"} <= set(slugs(completed))
    assert all(m["is_cross_flight"] for m in flights["items"])


def test_people_filters(client):
    nasa_cross = body(client, "/api/people?agency=nasa&cross_flight=true&limit=200")
    on_ms22 = body(client, "/api/people?mission=soyuz-ms-22")

    assert "francisco-rubio" in slugs(nasa_cross) and "anna-kikina" not in slugs(nasa_cross)
    assert all(p["agency"]["slug"] == "nasa" for p in nasa_cross["items"])
    assert slugs(on_ms22) == ["dmitry-petelin", "francisco-rubio", "sergey-prokopyev"]


def test_a_filter_naming_nothing_in_the_record_is_a_404_naming_it(client):
    cases = {
        "/api/missions?agency=nasa,nasx": "agency: no agency 'nasx'.",
        "/api/people?mission=soyuz-ms-99": "mission: no mission 'soyuz-ms-99'.",
        "/api/articles?source=Nowhere": "source: no news source 'Nowhere'.",
    }
    for path, detail in cases.items():
        response = get(client, path)
        assert (response.status_code, response.json()) == (404, {"detail": detail}), path


def test_malformed_filters_are_a_400_naming_the_parameter(client):
    cases = {
        "/api/missions?status=flying": "status: String should match pattern",
        "/api/missions?agency=nasa,,roscosmos": "agency: String should match pattern",
        "/api/missions?agency=<script>": "agency: String should match pattern",
        "/api/crossflights?state=later": "state: String should match pattern",
        "/api/missions?launched_after=0": "launched_after: Value error, expected a date as YYYY-MM-DD",
        "/api/missions?limit=0": "limit: Input should be greater than or equal to 1",
        "/api/missions?limit=201": "limit: Input should be less than or equal to 200",
        "/api/missions?launched_after=yesterday": "launched_after:",
        "/api/articles?has_mission=maybe": "has_mission:",
    }
    for path, detail in cases.items():
        response = get(client, path)
        assert response.status_code == 400, path
        assert response.json()["detail"].startswith(detail), (path, response.json())


def test_pages_are_stable_and_link_to_each_other(client):
    every = slugs(body(client, "/api/missions?limit=200"))
    first = body(client, "/api/missions?limit=5")
    second = body(client, first["next"].removeprefix("http://testserver"))

    assert first["previous"] is None and first["count"] == len(every)
    assert slugs(first) + slugs(second) == every[:10]
    assert second["previous"] == "http://testserver/api/missions?limit=5&offset=0"
    last = body(client, f"/api/missions?limit=5&offset={len(every) - 1}")
    assert last["next"] is None and slugs(last) == every[-1:]
    # Undated missions come last, then by name: ties never reorder between requests.
    dated = [m for m in body(client, "/api/missions?limit=200")["items"] if m["events"]["launch"]["at"]]
    assert [m["slug"] for m in dated] == every[: len(dated)]


def test_list_query_count_does_not_grow_with_the_page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        small = body(client, "/api/missions?limit=2")
    with django_assert_max_num_queries(6):
        big = body(client, "/api/missions?limit=200&offset=0")
    with django_assert_max_num_queries(8):
        body(client, "/api/people?limit=200")
    assert len(big["items"]) > len(small["items"])


# --- news: articles, and the record's updates ------------------------------------------------


@pytest.fixture
def news(editor, ms29_launch_unannounced):
    """The sample source polled, and its MS-29 launch date accepted by an editor."""
    poll_sources_now(name="Sample news (offline)")
    accept_proposal(proposal=ProposedUpdate.objects.get(summary=MS29_LAUNCH), user=editor)


def test_articles_with_their_missions_and_filters(client, news):
    every = body(client, "/api/articles")
    linked = body(client, "/api/articles?has_mission=true")
    unlinked = body(client, "/api/articles?has_mission=false")
    ms29 = body(client, "/api/articles?mission=soyuz-ms-29")

    assert every["count"] == linked["count"] + unlinked["count"] and linked["count"] > 0
    assert all(article["missions"] for article in linked["items"])
    assert all(not article["missions"] for article in unlinked["items"])
    assert ms29["count"] >= 1
    assert all("soyuz-ms-29" in [m["slug"] for m in a["missions"]] for a in ms29["items"])
    assert all(a["source"] == "Sample news (offline)" for a in every["items"])
    dates = [a["published_at"] for a in every["items"] if a["published_at"]]
    assert dates == sorted(dates, reverse=True)


def test_accepted_updates_name_their_source_articles(client, news):
    updates = body(client, "/api/updates")

    assert updates["count"] == ProposedUpdate.objects.filter(status=ProposalStatus.ACCEPTED).count() == 1
    [update] = updates["items"]
    proposal = ProposedUpdate.objects.get(summary=MS29_LAUNCH)
    assert update["id"] == f"proposal/{proposal.pk}" and update["kind"] == "mission"
    assert update["summary"] == MS29_LAUNCH
    assert update["by"] == f"news proposal #{proposal.pk} accepted by edna" and update["editor"] == "edna"
    assert update["mission"] == {"slug": "soyuz-ms-29", "name": "Soyuz MS-29"}
    assert update["url"] == "http://testserver/missions/soyuz-ms-29/"
    assert {"field": "launch", "what": "Soyuz MS-29 launch", "old": "unknown", "new": "target 2026-07-14"} in update[
        "changes"
    ]
    assert update["proposal"]["kind"] == "launch"
    assert update["proposal"]["date"] == "2026-07-14" and update["proposal"]["precision"] == "day"
    assert update["proposal"]["time"] is None
    assert update["changed_at"] == "2024-06-01T12:00:00Z"
    assert update["sources"][0]["url"].startswith("https://sample.invalid/")
    assert "July 14, 2026" in update["sources"][0]["sentence"]
    assert body(client, "/api/updates?kind=seat")["count"] == 0
    assert body(client, "/api/updates?mission=soyuz-ms-29&kind=mission,seat")["count"] == 1
    assert body(client, "/api/updates?via=editor")["count"] == 0
    assert body(client, "/api/updates?changed_after=2024-06-01&changed_before=2024-06-01")["count"] == 1
    assert body(client, "/api/updates?changed_after=2024-06-02")["count"] == 0
    # The first API's filters still answer: proposals accepted in the range.
    assert body(client, "/api/updates?accepted_after=2024-06-01&accepted_before=2024-06-01")["count"] == 1
    assert body(client, "/api/updates?accepted_after=2024-06-02")["count"] == 0


def test_an_editors_change_is_an_update_with_who_when_and_old_to_new(client, news, editor, mission):
    ms28 = mission("Soyuz MS-28")
    ms28.landing_at, ms28.landing_precision = dt.datetime(2026, 7, 20, tzinfo=dt.UTC), "day"
    ms28._history_user, ms28._change_reason = editor, "Roscosmos landing schedule"
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        ms28.save()

    updates = body(client, "/api/updates")
    assert updates["count"] == 2
    # Asked as the first API asked (accepted proposals only), the editor's edit is not among them.
    assert body(client, "/api/updates?accepted_after=2024-01-01")["count"] == 1
    newest = updates["items"][0]
    latest = ms28.history.order_by("-history_id").first()
    assert newest["id"] == f"mission/{latest.history_id}" and newest["proposal"] is None
    assert newest["by"] == newest["editor"] == "edna" and newest["sources"] == []
    assert newest["summary"] == "Soyuz MS-28 landing: target July 2026 → target 2026-07-20"
    assert newest["changes"] == [
        {"field": "landing", "what": "Soyuz MS-28 landing", "old": "target July 2026", "new": "target 2026-07-20"}
    ]
    assert newest["reason"] == "Roscosmos landing schedule"
    assert newest["changed_at"] == "2024-06-01T13:00:00Z"
    assert body(client, "/api/updates?via=editor")["items"] == [newest]
    assert [item["id"] for item in body(client, "/api/updates?via=news")["items"]] == [updates["items"][1]["id"]]
    assert body(client, "/api/updates?mission=soyuz-ms-28")["items"] == [newest]


# --- conditional requests -----------------------------------------------------------------------


def test_etag_and_last_modified_give_304_until_the_record_changes(client, mission):
    first = get(client, "/api/missions/soyuz-ms-22")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    assert first.status_code == 200 and etag.startswith('"') and last_modified
    not_modified = get(client, "/api/missions/soyuz-ms-22", if_none_match=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert get(client, "/api/missions/soyuz-ms-22", if_modified_since=last_modified).status_code == 304
    assert get(client, "/api/missions/soyuz-ms-22", if_none_match='"other"').status_code == 200

    ms22 = mission("Soyuz MS-22")
    ms22.notes = "Coolant leak on 2022-12-14; returned uncrewed."
    ms22.save()
    changed = get(client, "/api/missions/soyuz-ms-22", if_none_match=etag, if_modified_since=last_modified)
    assert changed.status_code == 200
    assert changed["ETag"] != etag and json.loads(changed.content)["notes"].startswith("Coolant leak")
    # A later body is never older than the one it replaces, even within the same second.
    assert changed["Last-Modified"] > last_modified or changed["Last-Modified"] != last_modified
    assert get(client, "/api/missions/soyuz-ms-22", if_modified_since=last_modified).status_code == 200


def test_an_unchanged_body_keeps_its_last_modified_after_the_cache_expires(client, settings):
    first = get(client, "/api/vehicles")
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        later = get(client, "/api/vehicles", if_modified_since=first["Last-Modified"])
    assert later.status_code == 304
    with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
        assert get(client, "/api/vehicles", if_modified_since=http_date(NOW.timestamp() - 3600)).status_code == 200


def test_parameter_order_and_unknown_parameters_share_one_cache_entry(client, django_assert_num_queries):
    body(client, "/api/missions?status=landed&family=soyuz-ms")
    # A cached answer needs no query at all.
    with django_assert_num_queries(0):
        body(client, "/api/missions?family=soyuz-ms&status=landed&utm_source=x")


def test_the_openapi_schema_and_the_docs_are_served(client):
    schema = body(client, "/api/openapi.json")
    paths = set(schema["paths"])
    assert {
        "/api/",  # the index: every endpoint, with links to these docs and this schema
        "/api/missions",
        "/api/missions/{slug}",
        "/api/crossflights",
        "/api/people",
        "/api/people/{slug}",
        "/api/vehicles",
        "/api/vehicles/{slug}",
        "/api/agreement",
        "/api/ledger",
        "/api/aboard-now",
        "/api/expeditions",
        "/api/articles",
        "/api/updates",
    } == paths
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    # Swagger UI comes from our own static files, never a CDN.
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_aboard_now_lists_each_stay_in_progress(client):
    aboard = {row["person"]["slug"]: row for row in body(client, "/api/aboard-now")}

    # 1 June 2024: MS-24's long-duration pair, Crew-8, and Dyson up on MS-25.
    assert sorted(aboard) == [
        "alexander-grebenkin",
        "jeanette-epps",
        "matthew-dominick",
        "michael-barratt",
        "nikolai-chub",
        "oleg-kononenko",
        "tracy-caldwell-dyson",
    ]
    kononenko = aboard["oleg-kononenko"]
    assert kononenko["arrived_on"]["slug"] == "soyuz-ms-24" and kononenko["returns_on"]["slug"] == "soyuz-ms-25"
    assert kononenko["days_aboard"] == 260 and not kononenko["cross_flight"]
    assert aboard["alexander-grebenkin"]["cross_flight"] and aboard["tracy-caldwell-dyson"]["cross_flight"]
    assert aboard["tracy-caldwell-dyson"]["arrived_at"] == "2024-03-25T00:00:00Z"
    assert not any(row["mission_stale"] for row in aboard.values())


def test_the_agreement_with_its_documents_and_flights(client):
    agreement = body(client, "/api/agreement")

    assert agreement["parties"] == [{"slug": "nasa", "name": "NASA"}, {"slug": "roscosmos", "name": "Roscosmos"}]
    original = agreement["documents"][0]
    assert (original["key"], original["kind"], original["signed_on"]) == ("original", "original", "2022-07-14")
    assert [m["slug"] for m in original["missions"]][:2] == ["soyuz-ms-22", "spacex-crew-5"]
    assert original["flown"] == len(original["missions"]) == 7 and original["in_flight"] == 0
    # Addendum 3 covers Soyuz MS-28 and Crew-12, still up: launched, not landed.
    third = next(d for d in agreement["documents"] if "2026" in d["title"] and d["kind"] == "addendum")
    assert third["in_flight"] == 2 and third["flown"] >= 2
    assert {d["kind"] for d in agreement["documents"]} == {"original", "addendum", "statement"}
