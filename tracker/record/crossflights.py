"""The cross-flight missions as plain data: the scripting interface (`manage.py crossflights`)."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from .models import Mission, Seat


def _iso(instant: dt.datetime | None) -> str | None:
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if instant else None


def crossflight_missions(now: dt.datetime | None = None):
    """Every mission with a cross-flight seat, with its seats (cross-flight flag on each)."""
    seats = Seat.objects.with_cross_flight().select_related("person__agency").order_by("leg", "pk")
    return (
        Mission.objects.cross_flights()
        .with_stale(now or timezone.now())
        .select_related("family", "spacecraft")
        .prefetch_related(Prefetch("seats", queryset=seats))
    )


def mission_as_dict(mission: Mission) -> dict:
    return {
        "mission": mission.name,
        "slug": mission.slug,
        "vehicle_family": mission.family.name,
        "spacecraft": mission.spacecraft.name if mission.spacecraft else None,
        "status": mission.status,
        "launch": _iso(mission.launch_at),
        "launch_precision": mission.launch_precision or None,
        "docking": _iso(mission.docking_at),
        "docking_precision": mission.docking_precision or None,
        "undocking": _iso(mission.undocking_at),
        "undocking_precision": mission.undocking_precision or None,
        "landing": _iso(mission.landing_at),
        "landing_precision": mission.landing_precision or None,
        "stale": mission.is_stale,
        "crew": [
            {
                "name": seat.person.name,
                "agency": seat.person.agency.name,
                "role": seat.get_role_display() if seat.role else None,
                "leg": seat.leg,
                "cross_flight": seat.is_cross_flight,
            }
            for seat in mission.seats.all()
        ],
    }
