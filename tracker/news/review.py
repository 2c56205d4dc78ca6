"""What an editor needs to decide a proposal: the record as it stands next to what the
proposal would make of it, and the warnings a careful reader would otherwise have to spot."""

import datetime as dt
from dataclasses import dataclass, field

from tracker.lib.fuzzy_dates import Precision, window_end, window_start
from tracker.record.models import AgreementDocument, Leg, Mission, MissionStatus
from tracker.record.models.missions import FLOWN_STATUSES

from .models import ProposalKind, ProposedUpdate
from .proposals import proposal_event, status_after


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


def _instant(day: dt.datetime | dt.date | None, precision: str, describe: str) -> str:
    if day is None:
        return "not in the record"
    return f"{describe} ({Precision(precision).label} precision)"


def _event_review(proposal: ProposedUpdate, mission: Mission, now: dt.datetime) -> Review:
    event = proposal_event(proposal)
    state = "happened" if proposal.happened else "planned"
    after = MissionStatus(status_after(proposal, mission.status))
    rows = [
        Row(
            event,
            _instant(getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision"), mission.describe(event)),
            f"{_instant(proposal.date, proposal.precision, proposal.date_display)}, {state}",
        ),
        Row("status", mission.get_status_display(), after.label),
    ]
    return Review(rows, _event_warnings(proposal, mission, after, now))


def _event_warnings(proposal: ProposedUpdate, mission: Mission, after: str, now: dt.datetime) -> list[str]:
    event = proposal_event(proposal)
    start = window_start(proposal.instant, proposal.precision)
    end = max(window_end(start, proposal.precision), start + dt.timedelta(days=1))
    warnings = []
    if not proposal.happened and end <= now:
        warnings.append(
            f"The proposed {event} date, {proposal.date_display}, has already passed, yet the proposal says "
            f"the {event} is still planned. Check whether it happened or slipped before accepting."
        )
    if proposal.happened and start > now:
        warnings.append(
            f"The proposal says the {event} happened, but its date, {proposal.date_display}, is still to come."
        )
    if mission.status in FLOWN_STATUSES and after not in FLOWN_STATUSES:
        warnings.append(
            f"The record says {mission} is {mission.get_status_display()}; accepting makes it "
            f"{MissionStatus(after).label} again."
        )
    elif mission.status == MissionStatus.LANDED and after == MissionStatus.IN_FLIGHT:
        warnings.append(f"The record says {mission} has landed; accepting puts it back in flight.")
    if mission.status == MissionStatus.CANCELLED and after != MissionStatus.CANCELLED:
        warnings.append(f"The record says {mission} was cancelled; accepting makes it {MissionStatus(after).label}.")
    return warnings


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
