"""Every change to the record's facts reaches subscribers: an editor's edit in the admin
(through the admin's own change form, as posted by a browser) and a proposal accepted
from the news both appear in /feeds/updates.atom and /api/updates, once each, with who,
when, old → new and why. The reference record itself and saves that change nothing do not.
"""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.cache import cache

from tracker.news.models import ProposalEvidence, ProposedUpdate
from tracker.news.proposals import Candidate, accept_proposal, record_proposals
from tracker.record.models import Mission, Person, Seat

from .test_admin import MISSION_FORM, admin_url, errors_on, form_data, seat_rows

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
UPDATES = "/feeds/updates.atom"
# The shipped record has MS-28's landing as a July 2026 target; the editor sets the day.
MS28_LANDING = "Soyuz MS-28 landing: target July 2026 → target 2026-07-20"
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14, planned"


def feed_entries(client) -> list[ET.Element]:
    # No cache.clear(): an edit must show at once, the record version moving the cache on.
    response = client.get(UPDATES)
    assert response.status_code == 200
    return ET.fromstring(response.content).findall(f"{ATOM}entry")


def text(entry: ET.Element, name: str) -> str:
    return entry.findtext(f"{ATOM}{name}") or ""


def api_items(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/updates{query}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def edit_mission(editor_client, mission: Mission, **changes) -> None:
    """The mission's admin change form, as the editor's browser posts it with `changes`."""
    url = admin_url(Mission, "change", mission.pk)
    data = form_data(editor_client.get(url), MISSION_FORM)
    data.update(changes)
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors_on(response)


def mark_ms28_landing(editor_client, mission) -> None:
    edit_mission(
        editor_client,
        mission("Soyuz MS-28"),
        landing_at_0="2026-07-20",
        landing_at_1="",  # a blank time: the landing is known to the day
        landing_precision="day",
    )


def test_an_editors_edit_in_the_admin_reaches_the_feed_at_once(editor_client, editor, mission):
    assert feed_entries(editor_client) == []  # the reference record is the start, not a change
    mark_ms28_landing(editor_client, mission)

    (entry,) = feed_entries(editor_client)
    assert text(entry, "title") == MS28_LANDING
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "edna"
    latest = mission("Soyuz MS-28").history.order_by("-history_id").first()
    assert dt.datetime.fromisoformat(text(entry, "updated")) == latest.history_date
    assert text(entry, "id") == f"tag:iss-crew-tracker.invalid,2026:mission/{latest.history_id}"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/missions/soyuz-ms-28/"
    summary = text(entry, "summary")
    assert MS28_LANDING in summary and "by edna." in summary


def test_the_api_lists_the_same_edit_with_who_when_and_old_to_new(editor_client, mission):
    mark_ms28_landing(editor_client, mission)

    (item,) = api_items(editor_client)
    assert item["by"] == item["editor"] == "edna" and item["proposal"] is None
    assert item["kind"] == "mission" and item["mission"] == {"slug": "soyuz-ms-28", "name": "Soyuz MS-28"}
    assert item["summary"] == MS28_LANDING
    assert item["changes"] == [
        {"field": "landing", "what": "Soyuz MS-28 landing", "old": "target July 2026", "new": "target 2026-07-20"}
    ]
    changed_at = mission("Soyuz MS-28").history.latest().history_date
    assert abs(dt.datetime.fromisoformat(item["changed_at"]) - changed_at) < dt.timedelta(milliseconds=1)


def test_the_apis_etag_moves_on_when_an_editor_saves(editor_client, mission):
    first = editor_client.get("/api/updates")
    assert editor_client.get("/api/updates", headers={"if-none-match": first["ETag"]}).status_code == 304
    mark_ms28_landing(editor_client, mission)
    after = editor_client.get("/api/updates", headers={"if-none-match": first["ETag"]})
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert [item["summary"] for item in after.json()["items"]] == [MS28_LANDING]


def confirm_ms29_launch(mission) -> None:
    """MS-29 launched: its day target becomes the time it happened (what accepting a report
    of the launch does, by a script here so that only the fields matter)."""
    ms29 = mission("Soyuz MS-29")
    ms29.status = "in_flight"
    ms29.launch_at, ms29.launch_precision = dt.datetime(2026, 7, 14, 9, 27, tzinfo=dt.UTC), "exact"
    ms29.launch_certainty = "confirmed"
    ms29.save()


@time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False)
def test_a_target_that_happened_reads_target_then_fact_in_the_api_and_the_feed(client, mission):
    confirm_ms29_launch(mission)

    (item,) = api_items(client)
    assert {
        "field": "launch",
        "what": "Soyuz MS-29 launch",
        "old": "target 2026-07-14",
        "new": "2026-07-14 09:27 UTC",
    } in item["changes"]
    assert not any("certainty" in change["field"] for change in item["changes"])
    (entry,) = feed_entries(client)
    assert "Soyuz MS-29 launch: target 2026-07-14 → 2026-07-14 09:27 UTC" in text(entry, "summary")


def test_a_target_that_becomes_no_earlier_than_is_a_change_of_the_same_time(client, mission):
    crew13 = mission("SpaceX Crew-13")
    assert crew13.launch_certainty == "net"
    crew13.launch_certainty = "target"
    crew13.save()

    (item,) = api_items(client)
    assert item["summary"] == "SpaceX Crew-13 launch: NET September 2026 → target September 2026"


def test_a_save_that_changes_nothing_is_not_an_update(editor_client, mission):
    edit_mission(editor_client, mission("Soyuz MS-28"))  # "Save" with nothing edited
    assert mission("Soyuz MS-28").history.filter(history_user__username="edna").exists()
    assert feed_entries(editor_client) == [] and api_items(editor_client) == []


def test_a_seat_added_and_then_removed_in_the_admin_are_two_updates(editor_client, mission, person):
    cft = mission("Boeing Crew Flight Test")  # two of its four seats are free
    url = admin_url(Mission, "change", cft.pk)
    data = seat_rows(form_data(editor_client.get(url), MISSION_FORM), [(person("Francisco Rubio"), "ascent")])
    assert editor_client.post(url, data).status_code == 302
    seat = Seat.objects.get(mission=cft, person__name="Francisco Rubio")
    data = form_data(editor_client.get(url), MISSION_FORM)
    row = next(key for key, value in data.items() if key.endswith("-id") and value == str(seat.pk))
    data[row.replace("-id", "-DELETE")] = "on"
    assert editor_client.post(url, data).status_code == 302

    removed, added = api_items(editor_client, "?kind=seat")
    assert added["summary"] == "Francisco Rubio's ascent seat on Boeing Crew Flight Test added"
    assert removed["summary"] == "Francisco Rubio's ascent seat on Boeing Crew Flight Test removed"
    assert {
        "field": "person",
        "what": "Francisco Rubio's ascent seat person",
        "old": "none",
        "new": "Francisco Rubio",
    } in (added["changes"])
    assert (
        added["person"]["slug"] == "francisco-rubio"
        and added["url"] == "http://testserver/missions/boeing-crew-flight-test/"
    )
    titles = [text(entry, "title") for entry in feed_entries(editor_client)]
    assert titles == [removed["summary"], added["summary"]]
    assert [item["id"] for item in api_items(editor_client, "?mission=boeing-crew-flight-test")] == [
        removed["id"],
        added["id"],
    ]


def test_filters_that_leave_nothing_to_union_give_an_empty_page(editor_client, mission):
    mark_ms28_landing(editor_client, mission)
    response = editor_client.get("/api/updates?mission=soyuz-ms-28&kind=person&via=editor")
    assert response.status_code == 200 and response.json()["count"] == 0
    assert [item["summary"] for item in api_items(editor_client, "?mission=soyuz-ms-28&via=editor")] == [MS28_LANDING]


def test_a_persons_name_fixed_says_old_and_new_name(editor_client, person):
    kikina = person("Anna Kikina")
    url = admin_url(Person, "change", kikina.pk)
    data = form_data(editor_client.get(url), "person_form")
    data["name"] = "Anna Kikina-Test"
    assert editor_client.post(url, data).status_code == 302

    (item,) = api_items(editor_client)
    assert item["summary"] == "Anna Kikina-Test name: Anna Kikina → Anna Kikina-Test"
    assert item["kind"] == "person" and item["url"] == f"http://testserver/people/{kikina.slug}/"


# --- news proposals: once each, with their sources ------------------------------------------


def test_an_accepted_proposal_is_one_update_not_also_an_editors_edit(editor_client, editor, sample_proposals, mission):
    accept_proposal(proposal=sample_proposals[MS29_LAUNCH], user=editor)
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)):
        mark_ms28_landing(editor_client, mission)

    edit, accepted = api_items(editor_client)
    assert edit["summary"] == MS28_LANDING and edit["by"] == "edna"
    proposal = sample_proposals[MS29_LAUNCH]
    assert accepted["id"] == f"proposal/{proposal.pk}" and accepted["summary"] == MS29_LAUNCH
    assert accepted["by"] == f"news proposal #{proposal.pk} accepted by edna"
    assert {"field": "launch", "what": "Soyuz MS-29 launch", "old": "unknown", "new": "target 2026-07-14"} in accepted[
        "changes"
    ]
    assert [source["title"] for source in accepted["sources"]] == ["Soyuz MS-29 crew targets July launch"]
    entries = feed_entries(editor_client)
    assert [text(entry, "title") for entry in entries] == [MS28_LANDING, MS29_LAUNCH]
    assert entries[1].findtext(f"{ATOM}author/{ATOM}name") == f"news proposal #{proposal.pk} accepted by edna"


def test_a_crew_assignment_writing_two_seats_is_one_update(editor_client, editor, sample_proposals, mission, person):
    article = ProposalEvidence.objects.first().article
    candidate = Candidate(
        "crew_assignment", mission("Boeing Crew Flight Test"), person("Koichi Wakata"), None, "", False
    )
    (proposal,) = record_proposals([(candidate, article, "Wakata joins the test flight's crew.", 0.9)])
    accept_proposal(proposal=proposal, user=None)  # as a source's auto-accept does

    (item,) = api_items(editor_client)
    assert item["id"] == f"proposal/{proposal.pk}" and item["kind"] == "seat"
    assert item["by"] == f"news proposal #{proposal.pk} accepted" and item["editor"] is None
    assert [change["new"] for change in item["changes"] if change["field"] == "leg"] == [
        "ascent (up)",
        "descent (down)",
    ]
    assert item["sources"][0]["sentence"] == "Wakata joins the test flight's crew."
    assert len(feed_entries(editor_client)) == 1


def test_the_history_reason_of_an_acceptance_is_never_cut_mid_address(editor, sample_proposals, mission):
    proposal = sample_proposals[MS29_LAUNCH]
    ProposedUpdate.objects.filter(pk=proposal.pk).update(summary=MS29_LAUNCH + " " + "and more words " * 10)
    accept_proposal(proposal=proposal, user=editor)
    reason = mission("Soyuz MS-29").history.order_by("-history_id").first().history_change_reason
    assert reason.startswith(f"accepted news proposal #{proposal.pk}: {MS29_LAUNCH} and more")
    whole = f"accepted news proposal #{proposal.pk}: {MS29_LAUNCH} " + "and more words " * 10
    assert len(reason) <= 100 and reason.endswith("…") and "http" not in reason
    assert whole.startswith(reason[:-1]) and whole[len(reason) - 1] == " "  # cut between two words


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("edits", [2, 40])
def test_query_counts_do_not_grow_with_the_history(
    editor_client, editor, sample_proposals, mission, person, edits, django_assert_max_num_queries
):
    accept_proposal(proposal=sample_proposals[MS29_LAUNCH], user=editor)
    ms28, kikina = mission("Soyuz MS-28"), person("Anna Kikina")
    for n in range(edits):
        ms28.notes, kikina.nationality = f"Edit {n}", f"Russia {n}"
        for row in (ms28, kikina):
            row._history_user = editor
            row.save()
        seat = Seat(mission=ms28, person=kikina, leg="descent", role="")
        seat._history_user = editor
        seat.save()
        seat.delete()
    # The union; per kind of row on the page (mission, person, seat) the rows and the rows
    # before them; the names they point to; the proposal and its articles. The API counts too.
    with django_assert_max_num_queries(13):
        assert len(feed_entries(editor_client)) == min(4 * edits + 1, 50)
    with django_assert_max_num_queries(14):
        assert len(api_items(editor_client, "?limit=200")) == min(4 * edits + 1, 200)


def test_a_proposal_accepted_before_the_upgrade_is_still_listed_once(editor_client, editor, sample_proposals, mission):
    """As accept_proposal wrote it until now: its mission row a moment before decided_at."""
    import importlib

    from django.apps import apps

    proposal = sample_proposals[MS29_LAUNCH]
    accept_proposal(proposal=proposal, user=editor)
    row = mission("Soyuz MS-29").history.order_by("-history_id").first()
    type(row).objects.filter(pk=row.pk).update(history_date=row.history_date - dt.timedelta(milliseconds=3))
    assert len(api_items(editor_client)) == 2  # the proposal, and the same change again as edna's

    migration = importlib.import_module("tracker.news.migrations.0004_proposal_history_at_decision")
    migration.write_rows_at_decision(apps, None)
    cache.clear()  # a migration runs before the site serves: nothing cached then
    (item,) = api_items(editor_client)
    assert item["id"] == f"proposal/{proposal.pk}" and item["changes"]
