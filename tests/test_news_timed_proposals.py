"""A report that gives the time of day proposes the exact instant (UTC): it keeps the
time, refines an untimed report of the same day rather than duplicating it, and
accepting it sets the mission's instant to the minute. An untimed report is unchanged."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tracker.lib.fuzzy_dates import Precision
from tracker.news.models import ProposalStatus, ProposedUpdate
from tracker.news.parse import Entry
from tracker.news.proposals import accept_proposal
from tracker.news.review import Row, review_of
from tracker.news.services import ingest_entry
from tracker.record.models import Mission

pytestmark = pytest.mark.django_db

PUBLISHED = dt.datetime(2026, 4, 30, tzinfo=dt.UTC)
# The record has MS-29's launch target on July 14: these reports move it to July 16.
TIMED = "Soyuz MS-29 is scheduled to launch on July 16, 2026 at 3:40 p.m. Moscow time."
UNTIMED = "Soyuz MS-29 is scheduled to launch on July 16, 2026."
ANOTHER_TIME = "Soyuz MS-29 is scheduled to launch on July 16, 2026 at 18:05 GMT."


def report(sentence: str, n: int = 0) -> list[ProposedUpdate]:
    entry = Entry(f"https://news{n}.example.org/a", "", f"Report {n}", PUBLISHED, sentence)
    ingest_entry(entry, source=None)
    return list(ProposedUpdate.objects.select_related("mission").order_by("pk"))


def test_a_timed_report_proposes_the_exact_utc_instant():
    [proposal] = report(TIMED)
    assert (proposal.date, proposal.time, proposal.precision) == (dt.date(2026, 7, 16), dt.time(12, 40), "exact")
    assert proposal.date_display == "2026-07-16 12:40 UTC"
    assert proposal.summary == "Soyuz MS-29 launch: 2026-07-16 12:40 UTC, planned"


def test_an_untimed_report_proposes_the_day_as_before():
    [proposal] = report(UNTIMED)
    assert (proposal.time, proposal.precision, proposal.date_display) == (None, "day", "2026-07-16")
    assert proposal.summary == "Soyuz MS-29 launch: 2026-07-16, planned"
    assert proposal.fact_key == "launch|soyuz-ms-29||2026-07-16|day|planned"


def test_a_timed_report_refines_an_untimed_report_of_the_same_day():
    report(UNTIMED, 0)
    [proposal] = report(TIMED, 1)
    assert (proposal.time, proposal.precision) == (dt.time(12, 40), "exact")
    assert proposal.summary == "Soyuz MS-29 launch: 2026-07-16 12:40 UTC, planned"
    assert proposal.evidence.count() == 2


def test_an_untimed_report_after_a_timed_one_only_adds_its_evidence():
    report(TIMED, 0)
    [proposal] = report(UNTIMED, 1)
    assert (proposal.time, proposal.precision) == (dt.time(12, 40), "exact")
    assert proposal.evidence.count() == 2


def test_the_first_time_reported_stands_and_a_second_time_is_only_evidence():
    report(TIMED, 0)
    [proposal] = report(ANOTHER_TIME, 1)
    assert proposal.time == dt.time(12, 40)
    assert proposal.evidence.count() == 2


def test_a_decided_proposal_keeps_what_the_editor_decided_on():
    [untimed] = report(UNTIMED, 0)
    ProposedUpdate.objects.filter(pk=untimed.pk).update(status=ProposalStatus.REJECTED)
    [proposal] = report(TIMED, 1)
    assert (proposal.time, proposal.precision, proposal.evidence.count()) == (None, "day", 2)


def test_accepting_a_timed_proposal_sets_the_exact_instant():
    [proposal] = report(TIMED)
    outcome = accept_proposal(proposal=proposal)
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_at, ms29.launch_precision) == (dt.datetime(2026, 7, 16, 12, 40, tzinfo=dt.UTC), "exact")
    assert outcome == "Soyuz MS-29: launch set to target 2026-07-16 12:40 UTC; status scheduled."


def test_accepting_an_untimed_proposal_sets_the_day_as_before():
    [proposal] = report(UNTIMED)
    accept_proposal(proposal=proposal)
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_at, ms29.launch_precision) == (dt.datetime(2026, 7, 16, tzinfo=dt.UTC), "day")


def test_a_timed_report_refines_a_record_that_knows_only_the_day():
    Mission.objects.filter(name="Soyuz MS-29").update(
        launch_at=dt.datetime(2026, 7, 16, tzinfo=dt.UTC), launch_precision=Precision.DAY
    )
    assert report(UNTIMED, 0) == []
    [proposal] = report(TIMED, 1)
    assert proposal.date_display == "2026-07-16 12:40 UTC"


def test_a_timed_report_within_a_minute_of_the_records_instant_proposes_nothing():
    """The news rounds to the minute, either way: 12:40 and the record's 12:41:10 agree."""
    Mission.objects.filter(name="Soyuz MS-29").update(
        launch_at=dt.datetime(2026, 7, 16, 12, 41, 10, tzinfo=dt.UTC), launch_precision=Precision.EXACT
    )
    assert report(TIMED, 0) == []
    assert report(UNTIMED, 1) == []
    [moved] = report(ANOTHER_TIME, 2)
    assert moved.date_display == "2026-07-16 18:05 UTC"


def test_the_review_shows_the_proposed_time():
    [proposal] = report(TIMED)
    review = review_of(proposal, now=PUBLISHED)
    assert review.rows[0] == Row(
        "launch", "target 2026-07-14 (day precision)", "target 2026-07-16 12:40 UTC (exact time precision)"
    )


def test_the_admin_review_page_shows_the_proposed_time(editor_client):
    [proposal] = report(TIMED)
    html = editor_client.get(f"/admin/news/proposedupdate/{proposal.pk}/change/").content.decode()
    assert '<td class="proposed">target 2026-07-16 12:40 UTC (exact time precision)</td>' in html
    assert '<div class="readonly">2026-07-16 12:40 UTC (exact time precision)</div>' in html


def test_the_api_gives_an_accepted_proposals_time(client):
    [proposal] = report(TIMED)
    accept_proposal(proposal=proposal)
    [update] = client.get("/api/updates").json()["items"]
    assert update["proposal"]["date"] == "2026-07-16" and update["proposal"]["time"] == "12:40:00Z"
    assert update["proposal"]["precision"] == "exact"


def test_the_database_refuses_a_time_without_exact_precision():
    [proposal] = report(UNTIMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposedUpdate.objects.filter(pk=proposal.pk).update(time=dt.time(12, 40))
