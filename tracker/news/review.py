"""What an editor needs to decide a proposal: the record as it stands next to what the
proposal would make of it, and the warnings a careful reader would otherwise have to spot."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext, pgettext

from tracker.lib.fuzzy_dates import Precision, window_end, window_start
from tracker.record.models import AgreementDocument, Certainty, Leg, Mission, MissionStatus
from tracker.record.models.missions import format_event_time

from .models import ProposalKind, ProposedUpdate
from .outcomes import certainty_after, event_happened, event_name, proposal_event, status_after, target_over_fact

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
    instant = getattr(mission, f"{event}_at")
    if instant is None:
        return gettext("not in the record")
    precision = getattr(mission, f"{event}_precision")
    when = format_event_time(instant, precision, getattr(mission, f"{event}_certainty"))
    values = {"when": when, "precision": Precision(precision).label}
    if not mission.is_target(event):
        return gettext("happened %(when)s (%(precision)s precision)") % values
    if mission.is_overdue(event, now):
        return gettext("%(when)s (%(precision)s precision, overdue)") % values
    return gettext("%(when)s (%(precision)s precision)") % values


def _proposed(proposal: ProposedUpdate, mission: Mission) -> str:
    """What the record would hold: "happened 2026-07-14 08:27 UTC (exact time precision)",
    "target 2026-08-02 (day precision)", "NET September 2026 (month precision)"."""
    certainty = certainty_after(proposal, mission)
    values = {
        "when": format_event_time(proposal.instant, proposal.precision, certainty),
        "precision": Precision(proposal.precision).label,
    }
    if certainty == Certainty.CONFIRMED:
        return gettext("happened %(when)s (%(precision)s precision)") % values
    return gettext("%(when)s (%(precision)s precision)") % values


def _event_review(proposal: ProposedUpdate, mission: Mission, now: dt.datetime) -> Review:
    event = proposal_event(proposal)
    after = MissionStatus(status_after(proposal, mission.status))
    rows = [
        Row(event_name(event), _recorded(mission, event, now), _proposed(proposal, mission)),
        Row(pgettext("a mission's", "status"), mission.get_status_display(), after.label),
    ]
    return Review(rows, _event_warnings(proposal, mission, after, now))


def _event_warnings(proposal: ProposedUpdate, mission: Mission, after: str, now: dt.datetime) -> list[str]:
    if refusal := target_over_fact(proposal, mission):
        return [
            gettext("%(refusal)s Accepting is refused: reject it, or correct the mission if the record is wrong.")
            % {"refusal": refusal}
        ]
    event = proposal_event(proposal)
    if not proposal.happened and event_happened(mission, event):
        return [
            gettext(
                "The record says the %(event)s happened (%(when)s); the report gives the time it was planned for. "
                "Accepting sets that time and keeps the %(event)s a fact: check that it went to plan."
            )
            % {"event": event_name(event), "when": mission.describe(event, now)}
        ]
    start = window_start(proposal.instant, proposal.precision)
    end = max(window_end(start, proposal.precision), start + dt.timedelta(days=1))
    warnings = [warning] if (warning := _far_from_target(proposal, mission, start)) else []
    if not proposal.happened and end <= now:
        warnings.append(
            gettext(
                "The proposed %(event)s date, %(date)s, has already passed, yet the proposal says the %(event)s is "
                "still planned. Check whether it happened or slipped before accepting."
            )
            % {"event": event_name(event), "date": proposal.date_display}
        )
    if proposal.happened and start > now:
        warnings.append(
            gettext("The proposal says the %(event)s happened, but its date, %(date)s, is still to come.")
            % {"event": event_name(event), "date": proposal.date_display}
        )
    if mission.status == MissionStatus.CANCELLED and after != MissionStatus.CANCELLED:
        warnings.append(
            gettext("The record says %(mission)s was cancelled; accepting makes it %(status)s.")
            % {"mission": mission, "status": MissionStatus(after).label}
        )
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
        days = (target_start.date() - start.date()).days
        message = ngettext(
            "The proposal says the %(event)s happened on %(date)s, %(days)s day before the record's "
            "%(recorded)s. Check that the report is about this flight's %(event)s.",
            "The proposal says the %(event)s happened on %(date)s, %(days)s days before the record's "
            "%(recorded)s. Check that the report is about this flight's %(event)s.",
            days,
        )
    elif start >= target_end + FAR_FROM_TARGET and not no_earlier_than:
        days = (start.date() - target_end.date()).days + 1
        message = ngettext(
            "The proposal says the %(event)s happened on %(date)s, %(days)s day after the record's "
            "%(recorded)s. Check that the report is about this flight's %(event)s.",
            "The proposal says the %(event)s happened on %(date)s, %(days)s days after the record's "
            "%(recorded)s. Check that the report is about this flight's %(event)s.",
            days,
        )
    else:
        return ""
    return message % {
        "event": event_name(event),
        "date": proposal.date_display,
        "days": days,
        "recorded": mission.describe(event, target_start),
    }


def _crew_review(proposal: ProposedUpdate) -> Review:
    mission = proposal.mission
    crew = list(mission.seats.filter(leg=Leg.ASCENT).order_by("person__name").values_list("person__name", flat=True))
    now = ", ".join(crew) or gettext("nobody yet")
    already = gettext("%(person)s already has a seat on %(mission)s.") % {"person": proposal.person, "mission": mission}
    return Review(
        [
            Row(
                gettext("crew of %(mission)s") % {"mission": mission},
                now,
                ", ".join(sorted([*crew, proposal.person.name])),
            )
        ],
        [] if proposal.person.name not in crew else [already],
    )


def _agreement_review(proposal: ProposedUpdate) -> Review:
    latest = AgreementDocument.objects.order_by("-announced_on").filter(announced_on__isnull=False).first()
    if latest:
        now = gettext("latest document: %(title)s (announced %(date)s)") % {
            "title": latest.title,
            "date": latest.announced_display,
        }
    else:
        now = gettext("no documents")
    proposed = gettext("a new statement, announced %(date)s") % {"date": proposal.date_display}
    return Review([Row(pgettext("the seat-swap", "agreement"), now, proposed)])


def review_of(proposal: ProposedUpdate, *, now: dt.datetime) -> Review:
    """The record now next to the proposal, with warnings; `now` decides what has passed."""
    if proposal.kind == ProposalKind.CREW_ASSIGNMENT:
        return _crew_review(proposal)
    if proposal.kind == ProposalKind.AGREEMENT:
        return _agreement_review(proposal)
    return _event_review(proposal, Mission.objects.get(pk=proposal.mission_id), now)
