"""From extracted events to proposed updates of the record, and applying them (what
applying one makes of the record is in outcomes.py).

An event becomes a proposal only when it would change the record. The same fact from
many articles is one proposal (keyed by `fact_key`) with one evidence row per article."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from tracker.lib.fuzzy_dates import Precision, format_instant, window_end, window_start
from tracker.record.models import (
    EVENTS,
    Agreement,
    AgreementDocument,
    Citation,
    DocumentKind,
    Leg,
    Mission,
    Person,
    Seat,
)

from .extraction import Event
from .models import Article, ProposalEvidence, ProposalKind, ProposalStatus, ProposedUpdate
from .outcomes import (
    FINENESS,
    certainty_after,
    event_happened,
    overwrites_fact,
    proposal_event,
    said_when,
    status_after,
    target_over_fact,
)


@dataclass(frozen=True)
class KnownFacts:
    """What the proposal step asks the record about every event — who already has a seat on
    which mission, which months an agreement document is dated — read once per batch of
    articles instead of one query per event."""

    seats: frozenset[tuple[int, int]]  # (mission id, person id)
    agreement_months: frozenset[tuple[int, int]]  # (year, month) signed or announced

    @classmethod
    def read(cls) -> "KnownFacts":
        dates = AgreementDocument.objects.values_list("signed_on", "announced_on")
        return cls(
            seats=frozenset(Seat.objects.values_list("mission_id", "person_id")),
            agreement_months=frozenset((day.year, day.month) for pair in dates for day in pair if day),
        )


@dataclass(frozen=True)
class Candidate:
    kind: str
    mission: Mission | None
    person: Person | None
    date: dt.date | None
    precision: str
    happened: bool
    time: dt.time | None = None  # UTC, when the report gives one (precision is then exact)
    no_earlier_than: bool = False  # a planned date given as a lower bound

    @property
    def fact_key(self) -> str:
        # A timed report keys on its day: it is the same fact as an untimed report of that
        # day, which it refines (record_proposals) rather than duplicates.
        parts = [
            self.kind,
            self.mission.slug if self.mission else "",
            self.person.slug if self.person else "",
            self.date.isoformat() if self.date else "",
            Precision.DAY if self.time else self.precision,
            "happened" if self.happened else "net" if self.no_earlier_than else "planned",
        ]
        return "|".join(parts)

    @property
    def summary(self) -> str:
        when = format_instant(self.instant, self.precision) if self.date else "date unknown"
        if self.no_earlier_than and not when.startswith("NET "):
            when = f"NET {when}"
        state = "happened" if self.happened else "planned"
        if self.kind == ProposalKind.CREW_ASSIGNMENT:
            return f"{self.person}: seat on {self.mission}"
        if self.kind == ProposalKind.AGREEMENT:
            return f"Agreement signed or extended: {when}"
        if self.kind == ProposalKind.DELAY:
            return f"{self.mission} launch moved to {when}"
        return f"{self.mission} {self.kind}: {when}, {state}"

    @property
    def instant(self) -> dt.datetime | None:
        return _as_datetime(self.date, self.time) if self.date else None


def _as_datetime(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    return dt.datetime.combine(day, time or dt.time(), dt.UTC)


def _record_agrees(mission: Mission, event: str, reported: dt.datetime, precision: str, happened: bool) -> bool:
    """Does the record already say this, at least as precisely? A report that the event
    happened never agrees with a target, however close: it is what turns it into a fact."""
    if happened and not event_happened(mission, event):
        return False
    current, current_precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
    if current is None:
        return False
    if FINENESS.index(current_precision) > FINENESS.index(precision):
        return False  # the report is more precise than the record
    if FINENESS.index(current_precision) < FINENESS.index(precision):
        # A coarser report ("launched last month", "in the first half of 2026") that holds
        # the record's date says nothing new; proposing it would blur the record.
        reported_start = window_start(reported, precision)
        return reported_start <= current < window_end(reported_start, precision)
    if precision == Precision.EXACT:
        # The news gives minutes, rounded either way: a minute apart is the same instant.
        return abs(current.replace(second=0, microsecond=0) - reported) <= dt.timedelta(minutes=1)
    start = window_start(current, current_precision)
    return start <= reported < max(window_end(start, current_precision), start + dt.timedelta(days=1))


def _event_time(event: Event) -> dt.time | None:
    """The event's UTC time of day, when it has one on a day-precise date."""
    if not event.time or event.precision != Precision.DAY:
        return None
    try:
        return dt.time.fromisoformat(event.time)
    except ValueError:
        return None


def candidate_for(
    event: Event, *, mission: Mission | None, person: Person | None, known: KnownFacts
) -> Candidate | None:
    """The change this event asks of the record, or None if it changes nothing or cannot be applied."""
    if event.type in EVENTS:
        if mission is None or event.date is None:
            return None
        time = _event_time(event)
        precision = Precision.EXACT if time else event.precision
        instant = _as_datetime(event.date, time)
        if overwrites_fact(mission, event.type, instant, precision, event.happened):
            return None  # an old story, read late
        if _record_agrees(mission, event.type, instant, precision, event.happened):
            return None
        net = event.no_earlier_than and not event.happened
        return Candidate(event.type, mission, None, event.date, precision, event.happened, time, net)
    if event.type == "delay":
        if mission is None or event.date is None or event_happened(mission, "launch"):
            return None
        if _record_agrees(mission, "launch", _as_datetime(event.date), event.precision, happened=False):
            return None
        return Candidate(
            ProposalKind.DELAY, mission, None, event.date, event.precision, False, None, event.no_earlier_than
        )
    if event.type == "crew_assignment":
        if mission is None or person is None or (mission.pk, person.pk) in known.seats:
            return None
        return Candidate(ProposalKind.CREW_ASSIGNMENT, mission, person, None, "", event.happened)
    if event.type == "agreement" and event.date is not None:
        if (event.date.year, event.date.month) in known.agreement_months:
            return None
        return Candidate(ProposalKind.AGREEMENT, None, None, event.date, event.precision, event.happened)
    return None


def _unsaved_proposal(candidate: Candidate, confidence: float) -> ProposedUpdate:
    return ProposedUpdate(
        fact_key=candidate.fact_key,
        kind=candidate.kind,
        mission=candidate.mission,
        person=candidate.person,
        date=candidate.date,
        time=candidate.time,
        precision=candidate.precision if candidate.date else "",
        happened=candidate.happened,
        no_earlier_than=candidate.no_earlier_than,
        summary=candidate.summary[:300],
        confidence=confidence,
    )


def record_proposals(supports: list[tuple[Candidate, Article, str, float]]) -> list[ProposedUpdate]:
    """Many articles' support for many facts in a handful of statements: the new facts in
    one INSERT (a fact another worker recorded meanwhile is skipped, not duplicated), all of
    them read back in one SELECT, the evidence in one INSERT. Returns each support's proposal."""
    if not supports:
        return []
    best: dict[str, float] = {}
    for candidate, _, _, confidence in supports:
        best[candidate.fact_key] = max(confidence, best.get(candidate.fact_key, 0.0))
    first = {candidate.fact_key: candidate for candidate, *_ in reversed(supports)}
    # A timed report of the fact refines an untimed one: the first timed report gives the time.
    first |= {candidate.fact_key: candidate for candidate, *_ in reversed(supports) if candidate.time}
    ProposedUpdate.objects.bulk_create(
        [_unsaved_proposal(first[key], confidence) for key, confidence in best.items()], ignore_conflicts=True
    )
    proposals = ProposedUpdate.objects.select_related("mission", "person").in_bulk(list(best), field_name="fact_key")
    for key, confidence in best.items():
        if confidence > proposals[key].confidence:  # a more confident report than any before
            ProposedUpdate.objects.filter(pk=proposals[key].pk, confidence__lt=confidence).update(confidence=confidence)
            proposals[key].confidence = confidence
        _refine_time(proposals[key], first[key])
    ProposalEvidence.objects.bulk_create(
        [
            ProposalEvidence(proposal=proposals[c.fact_key], article=a, sentence=s[:2000], confidence=conf)
            for c, a, s, conf in supports
        ],
        ignore_conflicts=True,  # the same article's evidence, stored by a concurrent worker
    )
    return [proposals[candidate.fact_key] for candidate, *_ in supports]


def _refine_time(proposal: ProposedUpdate, candidate: Candidate) -> None:
    """Give a pending untimed proposal the time a report of the same day gives. A decided
    one keeps what the editor decided on; the report is still its evidence."""
    if candidate.time is None or proposal.time is not None or proposal.status != ProposalStatus.PENDING:
        return
    changes = {"time": candidate.time, "precision": Precision.EXACT, "summary": candidate.summary[:300]}
    if ProposedUpdate.objects.filter(pk=proposal.pk, time__isnull=True, status=ProposalStatus.PENDING).update(
        **changes
    ):
        for name, value in changes.items():
            setattr(proposal, name, value)


class ProposalNotApplicable(Exception):
    """The proposal cannot be applied as it stands; the message says why."""


def _cite(mission: Mission | None, proposal: ProposedUpdate) -> list[str]:
    urls = [url for url in proposal.articles.values_list("url", flat=True) if url.startswith(("http://", "https://"))]
    if mission is not None:
        for url in urls:
            citation, _ = Citation.objects.get_or_create(url=url[:1000])
            mission.sources.add(citation)
    return urls


def _mark_history(obj, proposal: ProposedUpdate) -> None:
    """What the history row of a record save made by accepting `proposal` says: by whom,
    why, and *when*, which is the proposal's `decided_at` to the microsecond. That instant
    is how the record's changes (tracker/news/changes.py) tell the rows of an acceptance
    from an editor's own edits: one entry per proposal, never also one per row it wrote."""
    # The admin history's column holds 100 characters: a whole sentence, never half an
    # address (the articles are on the proposal and in the record's sources).
    reason = f"accepted news proposal #{proposal.pk}: {proposal.summary}"
    obj._change_reason = reason if len(reason) <= 100 else reason[:99].rsplit(" ", 1)[0] + "…"
    obj._history_user, obj._history_date = proposal.decided_by, proposal.decided_at


def _apply_event(proposal: ProposedUpdate, mission: Mission) -> str:
    """The event's time, precision and certainty, and the status, in one save: turning a
    target into a fact is one history row, after the target's own."""
    if refusal := target_over_fact(proposal, mission):
        raise ProposalNotApplicable(refusal)
    event = proposal_event(proposal)
    certainty = certainty_after(proposal, mission)
    setattr(mission, f"{event}_at", proposal.instant)
    setattr(mission, f"{event}_precision", proposal.precision)
    setattr(mission, f"{event}_certainty", certainty)
    mission.status = status_after(proposal, mission.status)
    mission.full_clean()
    mission.save()
    # Kept as the proposal's outcome: in the record's language, whatever the editor reads.
    with translation.override(settings.LANGUAGE_CODE):
        when = said_when(proposal.date_display, certainty)
        return f"{mission}: {event} set to {when}; status {mission.get_status_display()}."


def _apply_crew(proposal: ProposedUpdate) -> str:
    for leg in (Leg.ASCENT, Leg.DESCENT):
        seat = Seat(mission=proposal.mission, person=proposal.person, leg=leg)
        _mark_history(seat, proposal)
        seat.full_clean()
        seat.save()
    return f"{proposal.person} given ascent and descent seats on {proposal.mission}."


def _apply_agreement(proposal: ProposedUpdate, sentence: str) -> str:
    agreement = Agreement.objects.first()
    if agreement is None:
        raise ProposalNotApplicable("There is no agreement in the record to extend.")
    with translation.override(settings.LANGUAGE_CODE):  # the record's language, not the editor's
        title = f"Reported {proposal.date_display}"
    document = AgreementDocument(
        agreement=agreement,
        key=f"reported-{proposal.date:%Y-%m}-{proposal.pk}",
        title=title,
        kind=DocumentKind.STATEMENT,
        announced_on=proposal.date,
        announced_precision=proposal.precision,
        covers=sentence[:2000],
    )
    _mark_history(document, proposal)
    document.full_clean()
    document.save()
    return f"Agreement document “{document.title}” added."


def accept_proposal(*, proposal: ProposedUpdate, user=None) -> str:
    """Apply the proposal to the record in one transaction, citing its articles."""
    with transaction.atomic():
        # of=("self",): mission and person are nullable, so they are outer-joined, and
        # PostgreSQL cannot lock the nullable side of an outer join.
        proposal = (
            ProposedUpdate.objects.select_for_update(of=("self",))
            .select_related("mission", "person")
            .get(pk=proposal.pk)
        )
        if proposal.status != ProposalStatus.PENDING:
            raise ProposalNotApplicable(f"It was already {proposal.get_status_display()}.")
        mission = proposal.mission
        # Set before applying: the history rows the change writes carry them.
        proposal.decided_at, proposal.decided_by = timezone.now(), user
        if mission is not None:
            _mark_history(mission, proposal)
        try:
            if proposal.kind == ProposalKind.CREW_ASSIGNMENT:
                outcome = _apply_crew(proposal)
            elif proposal.kind == ProposalKind.AGREEMENT:
                outcome = _apply_agreement(proposal, proposal.evidence.values_list("sentence", flat=True).first() or "")
            else:
                outcome = _apply_event(proposal, mission)
        except ValidationError as error:
            raise ProposalNotApplicable(" ".join(error.messages)) from None
        _cite(mission, proposal)
        proposal.status = ProposalStatus.ACCEPTED
        proposal.outcome = outcome
        proposal.save(update_fields=["status", "decided_at", "decided_by", "outcome"])
    return outcome


def reject_proposal(*, proposal: ProposedUpdate, user=None, reason: str = "") -> None:
    """Reject it, keeping the editor's reason (if any) as its outcome."""
    updated = ProposedUpdate.objects.filter(pk=proposal.pk, status=ProposalStatus.PENDING).update(
        status=ProposalStatus.REJECTED,
        decided_at=timezone.now(),
        decided_by=user,
        outcome=reason.strip() or "Rejected; no reason given.",
    )
    if not updated:
        raise ProposalNotApplicable("Only a proposal waiting for review can be rejected.")
