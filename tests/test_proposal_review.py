"""What an editor sees before deciding a proposal (the record now next to the proposal,
warnings), that accepting gives the mission the state the proposal names, rejecting with
and without a reason, and the admin index's count of proposals waiting."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission

from tracker.lib.fuzzy_dates import Precision
from tracker.news.models import ProposalKind, ProposalStatus, ProposedUpdate
from tracker.news.outcomes import status_after
from tracker.news.parse import Entry
from tracker.news.proposals import ProposalNotApplicable, accept_proposal
from tracker.news.review import Row, review_of
from tracker.news.services import ingest_entry, poll_sources_now
from tracker.record.models import Mission, MissionStatus, Person

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/news/proposedupdate/"
PENDING_LIST = f"{CHANGELIST}?status__exact=pending"
# The record has MS-29's launch target on 2026-07-14: a report of August 2 moves it.
MS29_SLIPS = "Soyuz MS-29 is scheduled to launch on August 2, 2026."
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-08-02, planned"
BEFORE_MS29 = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
AFTER_MS29 = dt.datetime(2026, 8, 3, 0, 0, 1, tzinfo=dt.UTC)
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
        ("launch", False, Precision.DAY, CANCELLED, SCHEDULED),
        ("launch", False, Precision.MONTH, PLANNED, PLANNED),
        ("launch", False, Precision.MONTH, SCHEDULED, SCHEDULED),
        # A target never takes back a flight that has flown (accepting one is refused).
        ("launch", False, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
        ("launch", False, Precision.DAY, LANDED, LANDED),
        ("launch", False, Precision.MONTH, IN_FLIGHT, IN_FLIGHT),
        ("undocking", False, Precision.DAY, LANDED, LANDED),
        ("landing", False, Precision.MONTH, LANDED, LANDED),
        ("delay", False, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
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
        # A landing: landed only when it happened.
        ("landing", True, Precision.DAY, IN_FLIGHT, LANDED),
        ("landing", False, Precision.DAY, IN_FLIGHT, IN_FLIGHT),
        ("landing", False, Precision.DAY, PLANNED, PLANNED),
        # A delay is a launch still to come, later than thought.
        ("delay", False, Precision.MONTH, SCHEDULED, DELAYED),
    ],
)
def test_accepting_gives_the_mission_the_state_the_proposal_names(kind, happened, precision, before, after):
    assert status_after(proposal(kind, happened=happened, precision=precision), before) == after


def test_a_launch_reported_as_happened_puts_a_cancelled_mission_in_flight():
    Mission.objects.filter(name="Soyuz MS-29").update(status=CANCELLED)
    launched = reported("Soyuz MS-29 launched on July 16, 2026 from Baikonur.", published=AFTER_LAUNCH_REPORT)

    assert accept_proposal(proposal=launched) == "Soyuz MS-29: launch set to 2026-07-16; status in flight."
    assert Mission.objects.get(name="Soyuz MS-29").status == IN_FLIGHT


def test_a_landing_reported_as_planned_for_a_landed_mission_proposes_nothing():
    """The record has Crew-11 home: a story that its landing is still to come is an old one,
    read late, and a target never overwrites what happened."""
    story = Entry("https://news.example.org/a", "", "Report", BEFORE_MS29, "SpaceX Crew-11 will land on May 20, 2026.")

    ingested = ingest_entry(story, source=None)

    assert [(e.type, e.happened) for e in ingested.extraction.events] == [("landing", False)]
    assert ingested.proposals == []


# --- what the editor is shown ----------------------------------------------------------


def test_the_review_shows_the_record_now_next_to_the_proposed_launch():
    planned = reported(MS29_SLIPS)

    review = review_of(planned, now=BEFORE_MS29)

    assert review.rows == [
        Row("launch", "target 2026-07-14 (day precision)", "target 2026-08-02 (day precision)"),
        Row("status", "planned", "scheduled"),
    ]
    assert review.warnings == []


def test_the_review_shows_the_target_the_record_has_when_a_report_says_it_happened():
    Mission.objects.filter(name="Soyuz MS-29").update(status=SCHEDULED)
    launched = reported("Soyuz MS-29 launched on July 16, 2026 from Baikonur.", published=AFTER_LAUNCH_REPORT)

    review = review_of(launched, now=dt.datetime(2026, 7, 17, tzinfo=dt.UTC))

    assert review.rows == [
        Row("launch", "target 2026-07-14 (day precision, overdue)", "happened 2026-07-16 (day precision)"),
        Row("status", "scheduled", "in flight"),
    ]
    assert review.warnings == []  # two days late is how launches go


def test_the_review_warns_when_a_reported_launch_is_far_from_the_target():
    launched = reported(
        "Soyuz MS-29 launched on September 20, 2026.", published=dt.datetime(2026, 9, 21, tzinfo=dt.UTC)
    )

    assert review_of(launched, now=dt.datetime(2026, 9, 21, tzinfo=dt.UTC)).warnings == [
        "The proposal says the launch happened on 2026-09-20, 68 days after the record's target 2026-07-14. "
        "Check that the report is about this flight's launch."
    ]


@pytest.mark.parametrize(
    ("now", "passed"),
    [
        (BEFORE_MS29, False),
        (dt.datetime(2026, 8, 2, 23, 59, tzinfo=dt.UTC), False),  # the launch day itself is not over
        (AFTER_MS29, True),
    ],
)
def test_the_review_warns_when_a_planned_date_has_already_passed(now, passed):
    planned = reported(MS29_SLIPS)

    warnings = review_of(planned, now=now).warnings

    expected = (
        "The proposed launch date, 2026-08-02, has already passed, yet the proposal says the launch is "
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


def test_a_launch_target_for_a_flight_that_has_flown_is_not_proposed_and_one_waiting_is_refused():
    assert (
        ingest_entry(
            Entry(
                "https://news.example.org/a",
                "",
                "Report",
                BEFORE_MS29,
                "SpaceX Crew-12 is scheduled to launch on March 3, 2027.",
            ),
            source=None,
        ).proposals
        == []
    )
    # One proposed before the launch was in the record, still waiting.
    waiting = ProposedUpdate.objects.create(
        kind=ProposalKind.LAUNCH,
        mission=Mission.objects.get(name="SpaceX Crew-12"),
        date=dt.date(2027, 3, 3),
        precision=Precision.DAY,
        summary="SpaceX Crew-12 launch: 2027-03-03, planned",
        fact_key="launch|spacex-crew-12||2027-03-03|day|planned",
        confidence=0.9,
    )

    review = review_of(waiting, now=BEFORE_MS29)

    assert review.rows[1] == Row("status", "in flight", "in flight")
    refusal = (
        "The record says the launch of SpaceX Crew-12 happened (2026-02-13); a planned launch does not overwrite it."
    )
    assert review.warnings == [
        f"{refusal} Accepting is refused: reject it, or correct the mission if the record is wrong."
    ]
    with pytest.raises(ProposalNotApplicable, match=re.escape(refusal)):
        accept_proposal(proposal=waiting)
    assert Mission.objects.get(name="SpaceX Crew-12").launch_at.date() == dt.date(2026, 2, 13)


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
    """The sample news source polled, and a report that MS-29 slips: four proposals, waiting, by summary."""
    [outcome] = poll_sources_now(name="Sample news (offline)")
    assert "3 proposals" in outcome
    reported(MS29_SLIPS)
    return {p.summary: p for p in ProposedUpdate.objects.all()}


def change_page(client, proposal) -> str:
    response = client.get(f"{CHANGELIST}{proposal.pk}/change/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_waiting_proposals_page_compares_and_warns(editor_client):
    ms29 = polled()[MS29_LAUNCH]
    with time_machine.travel(AFTER_MS29, tick=False):
        html = change_page(editor_client, ms29)
    assert '<td class="record-now">target 2026-07-14 (day precision, overdue)</td>' in html
    assert '<td class="proposed">target 2026-08-02 (day precision)</td>' in html
    assert '<li class="warning">The proposed launch date, 2026-08-02, has already passed' in html
    with time_machine.travel(BEFORE_MS29, tick=False):
        assert 'class="warning"' not in change_page(editor_client, ms29)
    assert "<h1>Review proposed update</h1>" in html
    assert '<div class="readonly">2026-08-02 (day precision)</div>' in html
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
    assert f'<a href="{PENDING_LIST}">4 proposals waiting for review</a>' in html

    for n, pk in enumerate(ProposedUpdate.objects.order_by("pk").values_list("pk", flat=True)[:3]):
        editor_client.post(f"{CHANGELIST}{pk}/reject/")
        waiting = ["3 proposals", "2 proposals", "1 proposal"][n]
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
