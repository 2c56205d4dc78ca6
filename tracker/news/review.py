"""What an editor needs to decide a proposal: the record as it stands next to what the
proposal would make of it, and the warnings a careful reader would otherwise have to spot."""

import datetime as dt
from dataclasses import dataclass, field

from tracker.lib.fuzzy_dates import Precision, window_end, window_start
from tracker.record.models import AgreementDocument, Certainty, Leg, Mission, MissionStatus

from .models import ProposalKind, ProposedUpdate
from .outcomes import certainty_after, event_happened, proposal_event, said_when, status_after, target_over_fact

# How far outside its target's window an event may happen before the review says so.
FAR_FROM_TARGET = dt.timedelta(days=7)


@dataclass(frozen=True)
class Row:
    label: str
    now: str
    proposed: str

    @property
    def changes(self) -> bool:
        return self.now != self.proposed


@dataclass(frozen=True)
class Review:
    rows: list[Row]
    warnings: list[str] = field(default_factory=list)


def _recorded(mission: Mission, event: str, now: dt.datetime) -> str:
    """The record's time of the event, a fact or a target said as such: "happened 2022-09-21
    (day precision)", "target 2026-07-14 (day precision, overdue)"."""
    if getattr(mission, f"{event}_at") is None:
        return "not in the record"
    precision = Precision(getattr(mission, f"{event}_precision")).label
    if not mission.is_target(event):
        return f"happened {mission.describe(event, now)} ({precision} precision)"
    overdue = ", overdue" if mission.is_overdue(event, now) else ""
    return f"{mission.describe(event, now).removesuffix(', overdue')} ({precision} precision{overdue})"


def _proposed(proposal: ProposedUpdate, mission: Mission) -> str:
    """What the record would hold: "happened 2026-07-14 08:27 UTC (exact time precision)",
    "target 2026-08-02 (day precision)", "NET September 2026 (month precision)"."""
    certainty = certainty_after(proposal, mission)
    said = said_when(proposal.date_display, certainty)
    said = f"happened {said}" if certainty == Certainty.CONFIRMED else said
    return f"{said} ({Precision(proposal.precision).label} precision)"


def _event_review(proposal: ProposedUpdate, mission: Mission, now: dt.datetime) -> Review:
    event = proposal_event(proposal)
    after = MissionStatus(status_after(proposal, mission.status))
    rows = [
        Row(event, _recorded(mission, event, now), _proposed(proposal, mission)),
        Row("status", mission.get_status_display(), after.label),
    ]
    return Review(rows, _event_warnings(proposal, mission, after, now))


def _event_warnings(proposal: ProposedUpdate, mission: Mission, after: str, now: dt.datetime) -> list[str]:
    if refusal := target_over_fact(proposal, mission):
        return [f"{refusal} Accepting is refused: reject it, or correct the mission if the record is wrong."]
    event = proposal_event(proposal)
    if not proposal.happened and event_happened(mission, event):
        return [
            f"The record says the {event} happened ({mission.describe(event, now)}); the report gives the time "
            f"it was planned for. Accepting sets that time and keeps the {event} a fact: check that it went to plan."
        ]
    start = window_start(proposal.instant, proposal.precision)
    end = max(window_end(start, proposal.precision), start + dt.timedelta(days=1))
    warnings = [warning] if (warning := _far_from_target(proposal, mission, start)) else []
    if not proposal.happened and end <= now:
        warnings.append(
            f"The proposed {event} date, {proposal.date_display}, has already passed, yet the proposal says "
            f"the {event} is still planned. Check whether it happened or slipped before accepting."
        )
    if proposal.happened and start > now:
        warnings.append(
            f"The proposal says the {event} happened, but its date, {proposal.date_display}, is still to come."
        )
    if mission.status == MissionStatus.CANCELLED and after != MissionStatus.CANCELLED:
        warnings.append(f"The record says {mission} was cancelled; accepting makes it {MissionStatus(after).label}.")
    return warnings


def _far_from_target(proposal: ProposedUpdate, mission: Mission, start: dt.datetime) -> str:
    """A report that the event happened well outside its target's window (more than a week
    either side, only before a NET target) may be about another flight, or an old story:
    worth a second look before the target is replaced. A slip of a few days (a scrub or
    two, the weather) is how launches go, and no reason to doubt the report."""
    event = proposal_event(proposal)
    target, precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
    if not proposal.happened or not mission.is_target(event) or target is None:
        return ""
    target_start = window_start(target, precision)
    target_end = max(window_end(target_start, precision), target_start + dt.timedelta(days=1))
    no_earlier_than = getattr(mission, f"{event}_certainty") == Certainty.NO_EARLIER_THAN
    if start < target_start - FAR_FROM_TARGET:
        days, side = (target_start.date() - start.date()).days, "before"
    elif start >= target_end + FAR_FROM_TARGET and not no_earlier_than:
        days, side = (start.date() - target_end.date()).days + 1, "after"
    else:
        return ""
    return (
        f"The proposal says the {event} happened on {proposal.date_display}, {days} days {side} the record's "
        f"{mission.describe(event, target_start)}. Check that the report is about this flight's {event}."
    )


def _crew_review(proposal: ProposedUpdate) -> Review:
    mission = proposal.mission
    crew = list(mission.seats.filter(leg=Leg.ASCENT).order_by("person__name").values_list("person__name", flat=True))
    now = ", ".join(crew) or "nobody yet"
    return Review(
        [Row(f"crew of {mission}", now, ", ".join(sorted([*crew, proposal.person.name])))],
        [] if proposal.person.name not in crew else [f"{proposal.person} already has a seat on {mission}."],
    )


def _agreement_review(proposal: ProposedUpdate) -> Review:
    latest = AgreementDocument.objects.order_by("-announced_on").filter(announced_on__isnull=False).first()
    now = f"latest document: {latest.title} (announced {latest.announced_display})" if latest else "no documents"
    return Review([Row("agreement", now, f"a new statement, announced {proposal.date_display}")])


def review_of(proposal: ProposedUpdate, *, now: dt.datetime) -> Review:
    """The record now next to the proposal, with warnings; `now` decides what has passed."""
    if proposal.kind == ProposalKind.CREW_ASSIGNMENT:
        return _crew_review(proposal)
    if proposal.kind == ProposalKind.AGREEMENT:
        return _agreement_review(proposal)
    return _event_review(proposal, Mission.objects.get(pk=proposal.mission_id), now)
