"""News against a record that holds targets: a report that a planned event happened turns
its target into a fact in one step (one history row after the target's own); a report of a
new target moves the target and keeps it one, a lower bound ("no earlier than") as a NET
target; a report that restates the target proposes nothing; and a target never overwrites
what happened."""

import datetime as dt

import pytest

from tracker.news.extraction import extract
from tracker.news.linked_names import current_linked_names
from tracker.news.models import NewsSource, ProposedUpdate, SourceKind
from tracker.news.parse import Entry
from tracker.news.proposals import accept_proposal
from tracker.news.review import Row, review_of
from tracker.news.services import ingest_entry
from tracker.record.models import Certainty, Mission, MissionStatus

pytestmark = pytest.mark.django_db

MS29_LAUNCHED = "Soyuz MS-29 launched at 08:27 UTC on July 14, 2026 from Baikonur."
LAUNCH_DAY = dt.datetime(2026, 7, 14, 12, tzinfo=dt.UTC)
APRIL = dt.datetime(2026, 4, 30, tzinfo=dt.UTC)


def proposals_from(sentence: str, published: dt.datetime, *, source=None, n: int = 0) -> list[ProposedUpdate]:
    entry = Entry(f"https://news{n}.example.org/a", "", f"Report {n}", published, sentence)
    return ingest_entry(entry, source=source).proposals


def proposal_from(sentence: str, published: dt.datetime) -> ProposedUpdate:
    [proposal] = proposals_from(sentence, published)
    return ProposedUpdate.objects.select_related("mission").get(pk=proposal.pk)


def events_in(sentence: str, language: str = "en"):
    index = current_linked_names().known
    return extract(sentence, index=index, published=APRIL.date(), language=language).events


# --- a target that happened ------------------------------------------------------------


def test_accepting_a_report_that_ms29_launched_turns_its_target_into_a_fact_in_one_step():
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_certainty, ms29.describe("launch", APRIL)) == (Certainty.TARGET, "target 2026-07-14")
    rows_before = ms29.history.count()
    launched = proposal_from(MS29_LAUNCHED, LAUNCH_DAY)

    outcome = accept_proposal(proposal=launched)

    assert outcome == "Soyuz MS-29: launch set to 2026-07-14 08:27 UTC; status in flight."
    ms29.refresh_from_db()
    assert (ms29.launch_at, ms29.launch_precision) == (dt.datetime(2026, 7, 14, 8, 27, tzinfo=dt.UTC), "exact")
    assert (ms29.launch_certainty, ms29.status) == (Certainty.CONFIRMED, MissionStatus.IN_FLIGHT)
    # One save: one new history row, the fact, right after the target's.
    assert ms29.history.count() == rows_before + 1
    fact, target = ms29.history.order_by("-history_date", "-history_id")[:2]
    assert (fact.launch_certainty, fact.launch_precision, fact.status) == ("confirmed", "exact", "in_flight")
    assert fact.history_change_reason.startswith(f"accepted news proposal #{launched.pk}")
    assert (target.launch_certainty, target.launch_at.date(), target.status) == (
        "target",
        dt.date(2026, 7, 14),
        "planned",
    )


def test_a_report_that_ms29_launched_is_proposed_though_the_target_has_the_same_day():
    """The target and the fact can share a day: a report that it happened is never "what the record says"."""
    [launched] = proposals_from("Soyuz MS-29 launched on July 14, 2026.", LAUNCH_DAY)
    assert (launched.date, launched.precision, launched.happened) == (dt.date(2026, 7, 14), "day", True)


@pytest.mark.parametrize(
    ("event", "sentence"),
    [
        ("docking", "Soyuz MS-28 docked with the station on June 30, 2026."),
        ("undocking", "Soyuz MS-28 undocked from the station on June 30, 2026."),
    ],
)
def test_accepting_a_docking_or_undocking_that_happened_confirms_its_target(event, sentence):
    Mission.objects.filter(name="Soyuz MS-28").update(
        docking_at=None, docking_precision="", docking_certainty="", undocking_at=None, undocking_precision=""
    )
    ms28 = Mission.objects.get(name="Soyuz MS-28")
    setattr(ms28, f"{event}_at", dt.datetime(2026, 6, 30, tzinfo=dt.UTC))
    setattr(ms28, f"{event}_precision", "day")
    setattr(ms28, f"{event}_certainty", Certainty.TARGET)
    ms28.save()
    [report] = proposals_from(sentence, dt.datetime(2026, 7, 1, tzinfo=dt.UTC))

    accept_proposal(proposal=report)

    ms28.refresh_from_db()
    assert (getattr(ms28, f"{event}_certainty"), ms28.status) == (Certainty.CONFIRMED, MissionStatus.IN_FLIGHT)
    assert ms28.is_target("landing")  # the landing is still to come


def test_accepting_a_landing_that_happened_brings_the_flight_home_and_confirms_it():
    assert Mission.objects.get(name="Soyuz MS-28").is_target("landing")
    [landed] = proposals_from(
        "Soyuz MS-28 landed in Kazakhstan on July 20, 2026.", dt.datetime(2026, 7, 21, tzinfo=dt.UTC)
    )

    assert accept_proposal(proposal=landed) == "Soyuz MS-28: landing set to 2026-07-20; status landed."

    ms28 = Mission.objects.get(name="Soyuz MS-28")
    assert (ms28.landing_certainty, ms28.status) == (Certainty.CONFIRMED, MissionStatus.LANDED)


def test_a_source_trusted_to_auto_accept_turns_the_target_into_a_fact_too():
    source = NewsSource.objects.create(
        name="Trusted", url="https://example.org/feed", kind=SourceKind.FEED, auto_accept_confidence=0.5
    )
    proposals_from(MS29_LAUNCHED, LAUNCH_DAY, source=source)
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_certainty, ms29.status) == (Certainty.CONFIRMED, MissionStatus.IN_FLIGHT)


# --- a new target ------------------------------------------------------------------------


def test_a_report_that_restates_the_target_proposes_nothing():
    assert proposals_from("Soyuz MS-29 is scheduled to launch on July 14, 2026.", APRIL) == []


def test_a_planned_report_moves_the_target_and_keeps_it_a_target():
    slipped = proposal_from("Soyuz MS-29 is scheduled to launch on August 2, 2026.", APRIL)

    assert accept_proposal(proposal=slipped) == "Soyuz MS-29: launch set to target 2026-08-02; status scheduled."

    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_at.date(), ms29.launch_certainty, ms29.status) == (
        dt.date(2026, 8, 2),
        Certainty.TARGET,
        MissionStatus.SCHEDULED,
    )


def test_a_report_of_no_earlier_than_a_month_sets_a_net_target():
    later = proposal_from("SpaceX Crew-13 is now set to launch no earlier than October 2026.", APRIL)
    assert (later.no_earlier_than, later.summary) == (True, "SpaceX Crew-13 launch: NET October 2026, planned")

    assert accept_proposal(proposal=later) == "SpaceX Crew-13: launch set to NET October 2026; status planned."

    crew13 = Mission.objects.get(name="SpaceX Crew-13")
    assert (crew13.launch_certainty, crew13.describe("launch", APRIL)) == (
        Certainty.NO_EARLIER_THAN,
        "NET October 2026",
    )


def test_a_lower_bound_and_a_firm_target_of_the_same_day_are_two_proposals():
    net = proposal_from("Soyuz MS-29 will launch no earlier than August 2, 2026.", APRIL)
    [firm] = proposals_from("Soyuz MS-29 is scheduled to launch on August 2, 2026.", APRIL, n=1)
    assert net.pk != firm.pk
    assert (net.no_earlier_than, firm.no_earlier_than) == (True, False)


@pytest.mark.parametrize(
    ("sentence", "language", "no_earlier_than"),
    [
        ("SpaceX Crew-13 will launch no earlier than September 15.", "en", True),
        ("SpaceX Crew-13 is targeting NET September 2026 for launch.", "en", True),
        ("SpaceX Crew-13 is scheduled to launch on September 15.", "en", False),
        ("SpaceX Crew-13 will launch in September; the net effect is a later return.", "en", False),
        ("Запуск корабля «Союз МС-29» запланирован не ранее 2 августа.", "ru", True),
        ("«Союз МС-29» стартует не раньше августа 2026 года.", "ru", True),
        ("«Союз МС-29» стартует 2 августа.", "ru", False),
    ],
)
def test_extraction_tells_a_lower_bound_from_a_target(sentence, language, no_earlier_than):
    [launch] = [event for event in events_in(sentence, language) if event.type == "launch"]
    assert (launch.happened, launch.no_earlier_than) == (False, no_earlier_than)


def test_an_event_that_happened_is_never_a_lower_bound():
    [launch] = events_in("Soyuz MS-29 launched no earlier than expected, on April 2, 2026.")
    assert (launch.happened, launch.no_earlier_than) == (True, False)


# --- a target never overwrites a fact --------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Soyuz MS-28 is scheduled to launch on December 5, 2025.",
        "Soyuz MS-28 will launch no earlier than December 2025.",
        "Soyuz MS-28 is scheduled to dock with the station on December 5, 2025.",
    ],
)
def test_a_target_reported_for_an_event_that_happened_proposes_nothing(sentence):
    """MS-28 launched and docked on 2025-11-27: an older story read late changes nothing."""
    ms28 = Mission.objects.get(name="Soyuz MS-28")
    assert not ms28.is_target("launch") and not ms28.is_target("docking")
    ingested = ingest_entry(
        Entry("https://news.example.org/old", "", "Old", dt.datetime(2025, 11, 1, tzinfo=dt.UTC), sentence), source=None
    )
    assert [event.happened for event in ingested.extraction.events if event.mission == "Soyuz MS-28"] == [False]
    assert ingested.proposals == []


def test_a_planned_time_on_the_day_the_record_confirms_refines_the_fact_and_keeps_it_one():
    """Crew-12 docked on 2026-02-14 (to the day in the record); the launch-day story gave the
    planned time: the editor may take it, checking it went to plan, and the docking stays a fact."""
    [planned] = proposals_from(
        "SpaceX Crew-12 is scheduled to dock with the station on February 14 at 20:15 UTC.",
        dt.datetime(2026, 2, 13, 12, tzinfo=dt.UTC),
    )
    assert (planned.happened, planned.date_display) == (False, "2026-02-14 20:15 UTC")

    review = review_of(planned, now=APRIL)
    assert review.rows[0] == Row(
        "docking", "happened 2026-02-14 (day precision)", "happened 2026-02-14 20:15 UTC (exact time precision)"
    )
    assert review.warnings == [
        "The record says the docking happened (2026-02-14); the report gives the time it was planned for. "
        "Accepting sets that time and keeps the docking a fact: check that it went to plan."
    ]
    assert accept_proposal(proposal=planned) == "SpaceX Crew-12: docking set to 2026-02-14 20:15 UTC; status in flight."
    crew12 = Mission.objects.get(name="SpaceX Crew-12")
    assert (crew12.docking_precision, crew12.docking_certainty) == ("exact", Certainty.CONFIRMED)
