"""The launches, dockings, undockings and landings the crew-events calendar lists.

Which missions (cross-flights, narrowed by mission, person or agency), which of their
events (only those known to the day or better), how firm each is, and how often each has
moved: plain data for `calendar.py` to turn into iCalendar.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef

from tracker.lib.fuzzy_dates import Precision
from tracker.record.crossflights import crossflight_missions
from tracker.record.dashboard import filtered_cross_flights
from tracker.record.models import EVENTS, Agency, Certainty, Leg, Mission, MissionStatus, Person, Seat

# A calendar entry needs a day. Coarser dates ("July 2026", "NET Q3 2026") are left out
# rather than pinned to an invented day; they appear once the record knows the day.
CALENDAR_PRECISIONS = (Precision.EXACT, Precision.DAY)

# Who an event concerns: the crew riding up see the launch and the docking, the crew
# riding home the undocking and the landing (Rubio: up on MS-22, home on MS-23).
EVENT_LEG = {"launch": Leg.ASCENT, "docking": Leg.ASCENT, "undocking": Leg.DESCENT, "landing": Leg.DESCENT}


class Firmness:
    """iCalendar STATUS values, decided by `event_status`."""

    CONFIRMED = "CONFIRMED"
    TENTATIVE = "TENTATIVE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class CalendarFilters:
    """The calendar's narrowing; every given filter must hold (they combine as AND)."""

    mission: Mission | None = None
    person: Person | None = None
    agency: Agency | None = None

    def labels(self) -> list[str]:
        """The filters' names for the calendar's title, people and missions in the reader's script."""
        names = [value.reader_name for value in (self.person, self.mission) if value is not None]
        return names + ([str(self.agency)] if self.agency is not None else [])


@dataclass(frozen=True)
class CrewEvent:
    """One calendar entry: a mission's event at day or exact precision."""

    mission: Mission
    event: str
    at: dt.datetime
    precision: str
    certainty: str  # the mission's Certainty for this event
    crew: list[Seat]
    status: str
    overdue: bool
    sequence: int
    last_modified: dt.datetime | None


def find_agency(value: str) -> Agency | None:
    """An agency by slug or by name, either case: 'nasa', 'NASA', 'Roscosmos'."""
    by_slug = Agency.objects.filter(slug__iexact=value).first()
    return by_slug or Agency.objects.filter(name__iexact=value).first()


def calendar_missions(filters: CalendarFilters, *, now: dt.datetime) -> list[Mission]:
    """Cross-flight missions matching the filters, with crew (cross-flight flag on each
    seat) and the stale flag. The agency filter is the dashboard's: a crew member from
    that agency on either leg, or a vehicle that agency operates."""
    missions = crossflight_missions(now)
    if filters.agency is not None:
        missions = missions.filter(pk__in=filtered_cross_flights({"agency": filters.agency}).values("pk"))
    if filters.mission is not None:
        missions = missions.filter(pk=filters.mission.pk)
    if filters.person is not None:
        missions = missions.filter(Exists(Seat.objects.filter(mission=OuterRef("pk"), person=filters.person)))
    return list(missions)


@dataclass(frozen=True)
class Revisions:
    """How often each event's date has changed (iCalendar SEQUENCE) and when each mission
    or its crew last changed (LAST-MODIFIED), read from the record's history."""

    sequence: Counter
    last_modified: dict[int, dt.datetime]


def revisions(missions: list[Mission]) -> Revisions:
    """Two queries whatever the number of missions. SEQUENCE counts the saves that moved an
    event (date or precision), so it only ever grows and a calendar app that compares
    sequences takes the moved date as the newer version of the same event."""
    ids = [mission.pk for mission in missions]
    fields = [f"{event}_{part}" for event in EVENTS for part in ("at", "precision")]
    rows = (
        Mission.history.filter(id__in=ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", *fields)
    )
    sequence: Counter = Counter()
    last_modified: dict[int, dt.datetime] = {}
    previous: dict[int, tuple] = {}
    for mission_id, changed_at, *values in rows:
        if mission_id in previous:
            for index, event in enumerate(EVENTS):
                if values[2 * index : 2 * index + 2] != previous[mission_id][2 * index : 2 * index + 2]:
                    sequence[mission_id, event] += 1
        previous[mission_id] = values
        last_modified[mission_id] = changed_at
    crew_changes = (
        Seat.history.filter(mission_id__in=ids).values("mission_id").annotate(latest=Max("history_date")).order_by()
    )
    for row in crew_changes:
        mission_id = row["mission_id"]
        last_modified[mission_id] = max(last_modified.get(mission_id, row["latest"]), row["latest"])
    return Revisions(sequence=sequence, last_modified=last_modified)


def event_status(mission: Mission, event: str, now: dt.datetime) -> str:
    """From the event's certainty: CONFIRMED when the record says it happened, and for the
    launch target (not NET) of a mission whose status is `scheduled` while that target has
    not passed unconfirmed: an editor or an accepted report set the day, and a subscriber
    plans around it. CANCELLED for a cancelled mission. Everything else is TENTATIVE:
    planned or delayed launches, NET dates, expected dockings and landings, and any target
    that has passed with no confirmation in the record."""
    if mission.status == MissionStatus.CANCELLED:
        return Firmness.CANCELLED
    certainty = getattr(mission, f"{event}_certainty")
    if certainty == Certainty.CONFIRMED:
        return Firmness.CONFIRMED
    firm_launch = event == "launch" and mission.status == MissionStatus.SCHEDULED and certainty == Certainty.TARGET
    if firm_launch and not mission.is_overdue(event, now):
        return Firmness.CONFIRMED
    return Firmness.TENTATIVE


def crew_for(mission: Mission, event: str) -> list[Seat]:
    """The crew riding the event's leg, cross-flight seats first (the calendar is about them)."""
    seats = [seat for seat in mission.seats.all() if seat.leg == EVENT_LEG[event]]
    return sorted(seats, key=lambda seat: not seat.is_cross_flight)


def crew_events(
    missions: list[Mission], *, now: dt.datetime, person: Person | None = None, history: Revisions | None = None
) -> list[CrewEvent]:
    """The missions' events at day or exact precision, in time order. With `person`, only
    the events of the legs that person rides."""
    history = history or Revisions(sequence=Counter(), last_modified={})
    events = []
    for mission in missions:
        for event in EVENTS:
            at, precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
            if at is None or precision not in CALENDAR_PRECISIONS:
                continue
            crew = crew_for(mission, event)
            if person is not None and all(seat.person_id != person.pk for seat in crew):
                continue
            events.append(
                CrewEvent(
                    mission=mission,
                    event=event,
                    at=at.astimezone(dt.UTC),
                    precision=precision,
                    certainty=getattr(mission, f"{event}_certainty"),
                    crew=crew,
                    status=event_status(mission, event, now),
                    overdue=mission.is_overdue(event, now),
                    sequence=history.sequence[mission.pk, event],
                    last_modified=history.last_modified.get(mission.pk),
                )
            )
    return sorted(events, key=lambda item: (item.at, EVENTS.index(item.event), item.mission.name))


def events_for(filters: CalendarFilters, *, now: dt.datetime) -> list[CrewEvent]:
    missions = calendar_missions(filters, now=now)
    return crew_events(missions, now=now, person=filters.person, history=revisions(missions))
