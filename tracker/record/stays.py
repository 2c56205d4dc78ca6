"""Where a stay stands, from the annotations of SeatQuerySet.stays(): one rule for the
timeline, the person page and the seat-swap ledger, so that none calls a flight in progress
"flown" while another calls it "in flight"."""

import datetime as dt
from enum import StrEnum

from .models import MissionStatus
from .models.missions import FLOWN_STATUSES


class StayState(StrEnum):
    PLANNED = "planned"  # not launched yet (planned, scheduled or delayed)
    IN_FLIGHT = "in_flight"  # launched, not home yet
    LANDED = "landed"  # home: the flight that brought them back has landed
    CANCELLED = "cancelled"


def stay_state(stay, now: dt.datetime) -> StayState:
    """`stay` is an ascent seat from SeatQuerySet.stays(now) with its mission loaded."""
    mission = stay.mission
    if mission.status == MissionStatus.CANCELLED:
        return StayState.CANCELLED
    # A launch dated after `now` has not happened, whatever the status says.
    if mission.status not in FLOWN_STATUSES or mission.launch_at is None or mission.launch_at > now:
        return StayState.PLANNED
    return StayState.LANDED if stay.return_status == MissionStatus.LANDED else StayState.IN_FLIGHT
