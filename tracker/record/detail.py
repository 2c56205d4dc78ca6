"""Context for the mission, person and vehicle pages."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker.lib.fuzzy_dates import Precision

from . import expeditions
from .models import EVENTS, Leg, Mission, Person, Seat, VehicleFamily
from .models.missions import EVENT_NAMES, reader_mission_name
from .stays import StayState, stay_state
from .templatetags.record_tags import name_html

# How roughly a time wider than a day is known, said beside it on the mission page.
KNOWN_TO = {
    Precision.MONTH: _("known to the month"),
    Precision.QUARTER: _("known to the quarter"),
    Precision.HALF: _("known to the half"),
    Precision.YEAR: _("known to the year"),
}


def mission_events(mission: Mission) -> list[dict]:
    return [
        {
            "name": event,
            "label": EVENT_NAMES[event],
            "at": getattr(mission, f"{event}_at"),
            "precision": getattr(mission, f"{event}_precision"),
            "known_to": KNOWN_TO.get(getattr(mission, f"{event}_precision"), ""),
            "text": mission.describe(event),
        }
        for event in EVENTS
    ]


def days_between(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return (end - start).days


@dataclass(frozen=True)
class ExpeditionRow:
    """One line of the expeditions panel: a stay (person page) or a crew member (mission page)."""

    title: str
    url: str
    membership: expeditions.Membership


def expedition_panel(rows: list[ExpeditionRow]) -> dict:
    """What _expeditions.html shows: each row, and all their expeditions together."""
    summary = expeditions.Membership()
    for row in rows:
        summary |= row.membership
    return {"rows": rows, "summary": summary}


def mission_expeditions(seats: list[Seat]) -> dict:
    """The expeditions the mission's crew joined, each person once (a round trip on the
    same vehicle is one stay with two seats)."""
    rows, record = {}, expeditions.current()
    for seat in seats:
        rows.setdefault(
            seat.person_id,
            ExpeditionRow(
                seat.person.reader_name, seat.person.get_absolute_url(), expeditions.membership(seat, record)
            ),
        )
    return expedition_panel(list(rows.values()))


def stay_title(stay) -> str:
    """'Soyuz MS-22 → Soyuz MS-23', in HTML: each name as the reader's press writes it."""
    if stay.returned_on and stay.returned_on_slug != stay.mission.slug:
        return format_html(
            "{} → {}", name_html(stay.mission.reader_name), name_html(reader_mission_name(stay.returned_on))
        )
    return name_html(stay.mission.reader_name)


def mission_context(mission: Mission, *, now: dt.datetime) -> dict:
    seats = list(mission.seats.all())
    return {
        "mission": mission,
        "now": now,
        "events": mission_events(mission),
        "legs": [
            (_("Up (ascent)"), [seat for seat in seats if seat.leg == Leg.ASCENT]),
            (_("Down (descent)"), [seat for seat in seats if seat.leg == Leg.DESCENT]),
        ],
        # A landing target is not a landing: no duration from it (the page says "so far").
        "flight_days": None if mission.is_target("landing") else days_between(mission.launch_at, mission.landing_at),
        "documents": mission.agreement_documents.select_related("agreement"),
        "sources": mission.sources.all(),
        "expeditions": mission_expeditions(seats),
    }


def person_context(person: Person, *, now: dt.datetime) -> dict:
    stays = list(
        Seat.objects.filter(person=person)
        .stays(now)
        .with_cross_flight()
        .with_return_cross_flight()
        .with_connections()
        .select_related("mission__family")
        # A flight with no launch date yet is the last one, on every database.
        .order_by(F("mission__launch_at").asc(nulls_last=True), "mission__name")
    )
    # The flights that bring each stay home, so the page says a landing target as one.
    homes = Mission.objects.in_bulk({stay.return_mission_id for stay in stays if stay.return_mission_id})
    for stay in stays:
        stay.return_mission = homes.get(stay.return_mission_id)
        stay.state = stay_state(stay, now)
    total = Seat.objects.filter(person=person).total_days_by_person(now).get(person.pk)
    return {
        "now": now,
        "person": person,
        "stays": stays,
        "total_days": total.days if total is not None else 0,
        "cross_flights": sum(1 for stay in stays if stay.is_cross_flight or stay.returns_cross_flight),
        # The flight count says which of its flights have not flown or are still going.
        "in_flight": sum(1 for stay in stays if stay.state == StayState.IN_FLIGHT),
        "planned": sum(1 for stay in stays if stay.state == StayState.PLANNED),
        "expeditions": expedition_panel(
            [
                ExpeditionRow(stay_title(stay), stay.mission.get_absolute_url(), expeditions.membership(stay, record))
                for record in [expeditions.current()]
                for stay in stays
            ]
        ),
    }


def vehicle_context(family: VehicleFamily, *, now: dt.datetime) -> dict:
    missions = Mission.objects.filter(family=family).for_listing(now).with_cross_flight().order_by("-launch_at")
    return {
        "now": now,
        "family": family,
        "missions": missions,
        "craft": family.craft.annotate(flights=Count("missions")).order_by("name"),
    }
