"""The cross-flight missions as plain data: the scripting interface (`manage.py crossflights`)."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone, translation

from tracker.lib.fuzzy_dates import Precision

from .models import EVENTS, Certainty, Mission, Seat

# How many characters of an ISO date a target at each precision keeps: "2026-07-14",
# "2026-09" (a quarter or half-year by the first month of its window, as stored), "2026".
TARGET_DATE_CHARS = {
    Precision.DAY: 10,
    Precision.MONTH: 7,
    Precision.QUARTER: 7,
    Precision.HALF: 7,
    Precision.YEAR: 4,
}


def _iso(instant: dt.datetime | None) -> str | None:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if instant else None


def iso_event_time(mission: Mission, event: str) -> str | None:
    """What happened as an ISO 8601 UTC instant; a target as it was announced, to its
    precision and no finer ("2026-07-14", "2026-09"): a script must not read a midnight
    or a first of the month that nobody announced."""
    instant, precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
    if instant is None or not mission.is_target(event) or precision == Precision.EXACT:
        return _iso(instant)
    return _iso(instant)[: TARGET_DATE_CHARS[precision]]


def event_state(mission: Mission, event: str, now: dt.datetime) -> dict:
    """How far the event's time can be trusted, under the names the API uses too:
    `certainty` ("confirmed", "target", "net" or null for no time), `net` (the target only
    bounds it from below) and `overdue` (a target that has passed unconfirmed)."""
    certainty = getattr(mission, f"{event}_certainty") or None
    return {
        "certainty": certainty,
        "net": certainty == Certainty.NO_EARLIER_THAN,
        "overdue": mission.is_overdue(event, now),
    }


def crossflight_missions(now: dt.datetime | None = None):
    """Every mission with a cross-flight seat, with its seats (cross-flight flag on each)."""
    seats = Seat.objects.with_cross_flight().select_related("person__agency").order_by("leg", "pk")
    return (
        Mission.objects.cross_flights()
        .with_stale(now or timezone.now())
        .select_related("family", "spacecraft")
        .prefetch_related(Prefetch("seats", queryset=seats))
    )


def _events(mission: Mission, now: dt.datetime) -> dict:
    fields = {}
    for event in EVENTS:
        fields[event] = iso_event_time(mission, event)
        fields[f"{event}_precision"] = getattr(mission, f"{event}_precision") or None
        fields |= {f"{event}_{name}": value for name, value in event_state(mission, event, now).items()}
    return fields


def _english(display) -> str:
    with translation.override("en"):
        return str(display())


def mission_as_dict(mission: Mission, now: dt.datetime | None = None) -> dict:
    return {
        "mission": mission.name,
        "slug": mission.slug,
        "vehicle_family": mission.family.name,
        "spacecraft": mission.spacecraft.name if mission.spacecraft else None,
        "status": mission.status,
        **_events(mission, now or timezone.now()),
        "stale": mission.is_stale,
        "crew": [
            {
                "name": seat.person.name,
                "agency": seat.person.agency.name,
                # The scripting interface speaks one language whatever the caller's locale.
                "role": _english(seat.get_role_display) if seat.role else None,
                "leg": seat.leg,
                "cross_flight": seat.is_cross_flight,
            }
            for seat in mission.seats.all()
        ],
    }
