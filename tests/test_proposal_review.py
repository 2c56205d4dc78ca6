"""What an editor sees before deciding a proposal (the record now next to the proposal,
warnings), that accepting gives the mission the state the proposal names, rejecting with
and without a reason, and the admin index's count of proposals waiting."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from tracker.lib.fuzzy_dates import Precision
from tracker.news.models import ProposalKind, ProposalStatus, ProposedUpdate
from tracker.news.parse import Entry
from tracker.news.proposals import accept_proposal, status_after
from tracker.news.review import Row, review_of
from tracker.news.services import ingest_entry, poll_sources_now
from tracker.record.models import Mission, MissionStatus, Person

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/proposedupdate/"
PENDING_LIST = f"{CHANGELIST}?status__exact=pending"
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14, planned"
BEFORE_MS29 = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
AFTER_MS29 = dt.datetime(2026, 7, 15, 0, 0, 1, tzinfo=dt.UTC)
AFTER_LAUNCH_REPORT = dt.datetime(2026, 7, 17, 9, tzinfo=dt.UTC)  # a report published the day after a July 16 launch

PLANNED, SCHEDULED, DELAYED = MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.DELAYED
IN_FLIGHT, LANDED, CANCELLED = MissionStatus.IN_FLIGHT, MissionStatus.LANDED, MissionStatus.CANCELLED


def reported(sentence: str, n: int = 0, *, published: dt.datetime = dt.datetime(2026, 4, 30, tzinfo=dt.UTC)):
    """The proposal one news article with this sentence makes (the pipeline's own path).
    Extraction proposes nothing for an event reported as done on a day after the article
    was published, so reports of a launch that happened are published after it."""
    entry = Entry(f"https://news{n}.example.org/a", "", f"Report {n}", published, sentence)
    [proposal] = ingest_entry(entry, source=None).proposals
    return ProposedUpdate.objects.select_related("mission", "person").get(pk=proposal.pk)


def proposal(kind: str, *, happened: bool, precision: str = Precision.DAY) -> ProposedUpdate:
    return ProposedUpdate(kind=kind, date=dt.date(2026, 7, 14), precision=precision, happened=happened)


# --- the status accepting gives --------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "happened", "precision", "before", "after"),
    [
        # A launch still to come: scheduled once its day is known, never "in flight".
        ("launch", False, Precision.DAY, PLANNED, SCHEDULED),
        ("launch", False, Precision.DAY, SCHEDULED, SCHEDULED),
        ("launch", False, Precision.DAY, DELAYED, DELAYED),
        ("launch", False, Precision.DAY, IN_FLIGHT, SCHEDULED),
        ("launch", False, Precision.DAY, LANDED, SCHEDULED),
        ("launch", False, Precision.DAY, CANCELLED, SCHEDULED),
        ("launch", False, Precision.MONTH, PLANNED, PLANNED),
        ("launch", False, Precision.MONTH, SCHEDULED, SCHEDULED),
        ("launch", False, Precision.MONTH, IN_FLIGHT, PLANNED),
        # A launch, docking or undocking that happened: the flight is up (or already home).
        ("launch", True, Precision.DAY, PLANNED, IN_FLIGHT),
        ("launch", True, Precision.DAY, DELAYED, IN_FLIGHT),
        ("launch", True, Precision.DAY, CANCELLED, IN_FLIGHT),
        ("launch", True, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
        ("launch", True, Precision.DAY, LANDED, LANDED),
        ("docking", True, Precision.DAY, SCHEDULED, IN_FLIGHT),
        ("undocking", True, Precision.DAY, LANDED, LANDED),
        # A docking or undocking still to come: not home yet.
        ("docking", False, Precision.DAY, PLANNED, PLANNED),
        ("docking", False, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
        ("undocking", False, Precision.DAY, LANDED, IN_FLIGHT),
        # A landing: landed only when it happened.
        ("landing", True, Precision.DAY, IN_FLIGHT, LANDED),
        ("landing", False, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
        ("landing", False, Precision.MONTH, LANDED, IN_FLIGHT),
        ("landing", False, Precision.DAY, PLANNED, PLANNED),
        # A delay is a launch still to come, later than thought.
        ("delay", False, Precision.MONTH, SCHEDULED, DELAYED),
        ("delay", False, Precision.DAY, IN_FLIGHT, DELAYED),
    ],
)
def test_accepting_gives_the_mission_the_state_the_proposal_names(kind, happened, precision, before, after):
    assert status_after(proposal(kind, happened=happened, precision=precision), before) == after


def test_a_launch_reported_as_happened_puts_a_cancelled_mission_in_flight():
    Mission.objects.filter(name="Soyuz MS-29").update(status=CANCELLED)
    launched = reported("Soyuz MS-29 launched on July 16, 2026 from Baikonur.", published=AFTER_LAUNCH_REPORT)

    assert accept_proposal(proposal=launched) == "Soyuz MS-29: launch set to 2026-07-16; status in flight."
    assert Mission.objects.get(name="Soyuz MS-29").status == IN_FLIGHT


def test_a_landing_reported_as_planned_takes_a_landed_mission_back_in_flight():
    """The record has Crew-11 home; a report that its landing is still to come, once an
    editor accepts it, must not leave the mission "landed" on a date that has not happened."""
    planned = reported("SpaceX Crew-11 will land on January 20, 2026.")
    assert (planned.kind, planned.happened) == (ProposalKind.LANDING, False)

    assert accept_proposal(proposal=planned) == "SpaceX Crew-11: landing set to 2026-01-20; status in flight."
    crew11 = Mission.objects.get(name="SpaceX Crew-11")
    assert (crew11.landing_at.date(), crew11.status) == (dt.date(2026, 1, 20), IN_FLIGHT)


# --- what the editor is shown ----------------------------------------------------------


def test_the_review_shows_the_record_now_next_to_the_proposed_launch():
    planned = reported("Soyuz MS-29 is scheduled to launch on July 14, 2026.")

    review = review_of(planned, now=BEFORE_MS29)

    assert review.rows == [
        Row("launch", "not in the record", "2026-07-14 (day precision), planned"),
        Row("status", "planned", "scheduled"),
    ]
    assert review.warnings == []


def test_the_review_shows_the_launch_the_record_has_when_a_report_moves_it():
    Mission.objects.filter(name="Soyuz MS-29").update(
        launch_at=dt.datetime(2026, 7, 14, tzinfo=dt.UTC), launch_precision=Precision.DAY, status=SCHEDULED
    )
    launched = reported("Soyuz MS-29 launched on July 16, 2026 from Baikonur.", published=AFTER_LAUNCH_REPORT)

    review = review_of(launched, now=dt.datetime(2026, 7, 17, tzinfo=dt.UTC))

    assert review.rows == [
        Row("launch", "2026-07-14 (day precision)", "2026-07-16 (day precision), happened"),
        Row("status", "scheduled", "in flight"),
    ]
    assert review.warnings == []


@pytest.mark.parametrize(
    ("now", "passed"),
    [
        (BEFORE_MS29, False),
        (dt.datetime(2026, 7, 14, 23, 59, tzinfo=dt.UTC), False),  # the launch day itself is not over
        (AFTER_MS29, True),
    ],
)
def test_the_review_warns_when_a_planned_date_has_already_passed(now, passed):
    planned = reported("Soyuz MS-29 is scheduled to launch on July 14, 2026.")

    warnings = review_of(planned, now=now).warnings

    expected = (
        "The proposed launch date, 2026-07-14, has already passed, yet the proposal says the launch is "
        "still planned. Check whether it happened or slipped before accepting."
    )
    assert warnings == ([expected] if passed else [])


def test_the_review_warns_that_a_month_is_past_only_once_the_month_is_over():
    planned = reported("Soyuz MS-28 is planned to land in August 2026.")
    assert review_of(planned, now=dt.datetime(2026, 8, 31, 12, tzinfo=dt.UTC)).warnings == []
    [warning] = review_of(planned, now=dt.datetime(2026, 9, 1, tzinfo=dt.UTC)).warnings
    assert warning.startswith("The proposed landing date, August 2026, has already passed")


def test_the_review_warns_when_a_reported_event_lies_in_the_future():
    launched = reported("Soyuz MS-29 launched on July 16, 2026 from Baikonur.", published=AFTER_LAUNCH_REPORT)
    assert review_of(launched, now=BEFORE_MS29).warnings == [
        "The proposal says the launch happened, but its date, 2026-07-16, is still to come."
    ]


def test_the_review_warns_when_accepting_takes_a_flown_mission_back_to_planned():
    planned = reported("SpaceX Crew-12 is scheduled to launch on March 3, 2027.")
    review = review_of(planned, now=BEFORE_MS29)
    assert review.rows[1] == Row("status", "in flight", "scheduled")
    assert review.warnings == ["The record says SpaceX Crew-12 is in flight; accepting makes it scheduled again."]


def test_the_review_of_a_crew_assignment_lists_the_crew_with_and_without_the_newcomer():
    polled()
    crew13 = Mission.objects.get(name="SpaceX Crew-13")
    assignment = ProposedUpdate.objects.create(
        kind=ProposalKind.CREW_ASSIGNMENT,
        mission=crew13,
        person=Person.objects.get(name="Anna Kikina"),
        summary="Anna Kikina: seat on SpaceX Crew-13",
        fact_key="crew_assignment|spacex-crew-13|anna-kikina|||planned",
        confidence=0.9,
    )
    crew = sorted(crew13.seats.filter(leg="ascent").values_list("person__name", flat=True))
    assert crew
    [row] = review_of(assignment, now=BEFORE_MS29).rows
    assert row == Row("crew of SpaceX Crew-13", ", ".join(crew), ", ".join(sorted([*crew, "Anna Kikina"])))


# --- the proposal's page ---------------------------------------------------------------


def polled() -> dict[str, ProposedUpdate]:
    """The sample news source polled: its three proposals, waiting, by summary."""
    [outcome] = poll_sources_now(name="Sample news (offline)")
    assert "3 proposals" in outcome
    return {p.summary: p for p in ProposedUpdate.objects.all()}


def change_page(client, proposal) -> str:
    response = client.get(f"{CHANGELIST}{proposal.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_waiting_proposals_page_compares_and_warns(editor_client):
    ms29 = polled()[MS29_LAUNCH]
    with time_machine.travel(AFTER_MS29, tick=False):
        html = change_page(editor_client, ms29)
    assert '<td class="record-now">not in the record</td>' in html
    assert '<td class="proposed">2026-07-14 (day precision), planned</td>' in html
    assert '<li class="warning">The proposed launch date, 2026-07-14, has already passed' in html
    with time_machine.travel(BEFORE_MS29, tick=False):
        assert 'class="warning"' not in change_page(editor_client, ms29)
    assert "<h1>Review proposed update</h1>" in html
    assert '<div class="readonly">2026-07-14 (day precision)</div>' in html
    assert '<div class="readonly">planned</div>' in html


def test_a_decided_proposals_page_has_no_comparison_and_no_buttons(editor_client):
    ms29 = polled()[MS29_LAUNCH]
    editor_client.post(f"{CHANGELIST}{ms29.pk}/reject/", {"reason": "Not confirmed."})
    html = change_page(editor_client, ms29)
    assert 'id="proposal-review"' not in html
    assert "Accept and apply" not in html and 'value="Reject"' not in html
    assert 'name="reason"' not in html
    assert "Not confirmed." in html  # the outcome
    assert "<h1>Proposed update, rejected</h1>" in html


def test_the_reject_button_sits_where_the_admin_puts_delete_in_its_colours(editor_client):
    html = change_page(editor_client, polled()[MS29_LAUNCH])
    row = html[html.index('<div class="submit-row">') :].split("</div>", 1)[0]
    assert '<input type="submit" class="default" value="Accept and apply"' in row
    assert '<input type="submit" class="reject-proposal" value="Reject"' in row
    assert row.index("Accept and apply") < row.index("Back to proposals") < row.index('value="Reject"')
    assert 'href="/static/news/admin-review.css"' in html


# --- rejecting -------------------------------------------------------------------------


def test_a_reason_is_tidied_and_kept_as_the_outcome(editor_client):
    ms29 = polled()[MS29_LAUNCH]
    response = editor_client.post(
        f"{CHANGELIST}{ms29.pk}/reject/", {"reason": "  Roscosmos\r\n has not   confirmed it. " + "x" * 600}
    )
    assert response.status_code == 302
    ms29.refresh_from_db()
    assert ms29.status == ProposalStatus.REJECTED
    assert ms29.outcome.startswith("Roscosmos has not confirmed it. xxx")
    assert len(ms29.outcome) == 500


def test_rejecting_without_a_reason_says_so(editor_client):
    ms29 = polled()[MS29_LAUNCH]
    response = editor_client.post(f"{CHANGELIST}{ms29.pk}/reject/", {"reason": "  "}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"“{MS29_LAUNCH}” rejected. No reason given."]
    ms29.refresh_from_db()
    assert (ms29.status, ms29.outcome) == (ProposalStatus.REJECTED, "Rejected; no reason given.")


def test_the_list_action_still_rejects_without_a_reason(editor_client):
    proposals = polled()
    editor_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [p.pk for p in proposals.values()]}
    )
    assert set(ProposedUpdate.objects.values_list("status", "outcome")) == {
        (ProposalStatus.REJECTED, "Rejected; no reason given.")
    }


# --- the admin index -------------------------------------------------------------------


def test_the_admin_index_says_how_many_proposals_wait_and_links_to_them(editor_client):
    polled()
    html = editor_client.get("/admin/").content.decode()
    assert f'<a href="{PENDING_LIST}">3 proposals waiting for review</a>' in html

    for n, pk in enumerate(ProposedUpdate.objects.order_by("pk").values_list("pk", flat=True)[:2]):
        editor_client.post(f"{CHANGELIST}{pk}/reject/")
        waiting = ["2 proposals", "1 proposal"][n]
        assert (
            f'<a href="{PENDING_LIST}">{waiting} waiting for review</a>'
            in editor_client.get("/admin/").content.decode()
        )
    ProposedUpdate.objects.update(status=ProposalStatus.ACCEPTED)
    html = editor_client.get("/admin/").content.decode()
    assert "No proposals waiting for review." in html and PENDING_LIST not in html


def test_the_pending_list_the_count_links_to_lists_only_waiting_proposals(editor_client):
    proposals = polled()
    editor_client.post(f"{CHANGELIST}{proposals[MS29_LAUNCH].pk}/reject/")
    html = editor_client.get(PENDING_LIST).content.decode()
    listed = {p.summary for p in proposals.values() if f'href="{CHANGELIST}{p.pk}/change/?' in html}
    assert listed == set(proposals) - {MS29_LAUNCH}


def test_an_editor_who_may_not_see_proposals_is_not_told_how_many_wait(client, editor):
    polled()
    Group.objects.get(name="editor").permissions.remove(
        *Permission.objects.filter(codename__in=["view_proposedupdate", "change_proposedupdate"])
    )
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert 'id="review-queue"' not in html
