"""What accepting a proposal makes of the record, in one place for the step that proposes,
the review an editor reads and the step that applies: the status, the certainty of the
event's time (a report that it happened confirms a target; a planned one sets a target),
and the rule that a target never overwrites what happened."""

import datetime as dt

from django.utils.translation import gettext

from tracker.lib.fuzzy_dates import Precision, window_end, window_start
from tracker.record.models import Certainty, Mission, MissionStatus
from tracker.record.models.missions import EVENT_NAMES, FLOWN_STATUSES, UPCOMING_STATUSES

from .models import ProposalKind, ProposedUpdate

# Precisions from finest to coarsest: a report may refine the record, never blur it.
FINENESS = [Precision.EXACT, Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.HALF, Precision.YEAR]


def event_name(event: str) -> str:
    return str(EVENT_NAMES[event])


def event_happened(mission: Mission, event: str) -> bool:
    """Does the record say the event happened? Its time is confirmed, or the status says so
    even without a time: a flight in space has launched, a landed one has done everything."""
    if getattr(mission, f"{event}_certainty") == Certainty.CONFIRMED:
        return True
    return mission.status == MissionStatus.LANDED or (event == "launch" and mission.status in FLOWN_STATUSES)


def overwrites_fact(mission: Mission, event: str, reported: dt.datetime, precision: str, happened: bool) -> bool:
    """Would this report put a target over what the record says happened? Every planned
    report of an event that happened would, but one that gives the fact's own time more
    precisely ("docking is set for 20:15 UTC" on the day the record says it docked): that one
    may refine the fact, which stays a fact (the review asks the editor to check it went to plan)."""
    if happened or not event_happened(mission, event):
        return False
    current, current_precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
    if current is None or FINENESS.index(precision) >= FINENESS.index(current_precision):
        return True
    start = window_start(current, current_precision)
    return not start <= reported < max(window_end(start, current_precision), start + dt.timedelta(days=1))


def proposal_event(proposal: ProposedUpdate) -> str:
    """The mission's event a dated proposal sets: a delay moves the launch."""
    return "launch" if proposal.kind == ProposalKind.DELAY else proposal.kind


def status_after(proposal: ProposedUpdate, status: str) -> str:
    """The mission's status once the proposal is applied. An event that happened puts the
    flight up (a landing brings it home), whatever the record said before. A planned one
    never takes back a flight that has flown (a target does not overwrite a fact: accepting
    one for an event that happened is refused); before the flight, a launch target with a
    day makes it scheduled, a delay makes it delayed."""
    event, firm = proposal_event(proposal), proposal.precision in (Precision.DAY, Precision.EXACT)
    if proposal.happened:
        if event == "landing":
            return MissionStatus.LANDED
        return status if status in FLOWN_STATUSES else MissionStatus.IN_FLIGHT
    if status in FLOWN_STATUSES:
        return status
    if proposal.kind == ProposalKind.DELAY:
        return MissionStatus.DELAYED
    if event == "launch":
        if status in UPCOMING_STATUSES and not (firm and status == MissionStatus.PLANNED):
            return status
        return MissionStatus.SCHEDULED if firm else MissionStatus.PLANNED
    return status  # a docking, undocking or landing still to come, before the flight


def target_over_fact(proposal: ProposedUpdate, mission: Mission) -> str:
    """Why a planned proposal cannot be applied to this mission, or "": the record says the
    event happened, and a target never overwrites a fact (an editor who finds the record
    wrong corrects the mission itself)."""
    event = proposal_event(proposal)
    if not overwrites_fact(mission, event, proposal.instant, proposal.precision, proposal.happened):
        return ""
    return gettext(
        "The record says the %(event)s of %(mission)s happened (%(when)s); a planned %(event)s does not overwrite it."
    ) % {"event": event_name(event), "mission": mission, "when": mission.describe(event)}


def certainty_after(proposal: ProposedUpdate, mission: Mission) -> str:
    """The event's certainty once the proposal is applied: the proposal's, except that a
    fact stays a fact when a planned report only gives its time more precisely."""
    return Certainty.CONFIRMED if event_happened(mission, proposal_event(proposal)) else proposal.certainty


def said_when(when: str, certainty: str) -> str:
    """A time as the record holds it: '2026-07-16' for what happened, 'target 2026-08-02'
    or 'NET September 2026' for what is planned."""
    if certainty == Certainty.NO_EARLIER_THAN:
        return when if when.startswith("NET ") else f"NET {when}"
    return f"target {when}" if certainty == Certainty.TARGET else when
