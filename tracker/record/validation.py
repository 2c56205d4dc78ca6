"""Rules that keep the record coherent but span several rows, so no CHECK can hold them.

Model.clean() calls these, so the admin, the reference loader and the news services all
go through them (every write path calls full_clean). They read the saved record and
overlay the unsaved object being validated.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from .models import Leg, Mission, MissionStatus, Seat


@dataclass(frozen=True)
class Stay:
    """A person's time in space: up on the ascent seat's mission, down on the descent seat's."""

    ascent: Seat
    descent: Seat | None

    @property
    def start(self) -> dt.datetime | None:
        return self.ascent.mission.launch_at

    @property
    def end(self) -> dt.datetime | None:
        return self.descent.mission.landing_at if self.descent else None

    @property
    def end_is_open(self) -> bool:
        """Still up (or not yet flown): the stay runs on with no end date."""
        if self.descent is None:
            return self.ascent.mission.status != MissionStatus.LANDED
        return self.descent.mission.landing_at is None and self.descent.mission.status != MissionStatus.LANDED

    def describe(self) -> str:
        start = self.ascent.mission.describe("launch")
        end = self.descent.mission.describe("landing") if self.descent else "unknown"
        if self.descent and self.descent.mission_id != self.ascent.mission_id:
            return f"{self.ascent.mission} → {self.descent.mission} ({start} – {end})"
        return f"{self.ascent.mission} ({start} – {end})"


def pair_stays(seats: Iterable[Seat]) -> list[Stay]:
    """Pair one person's ascent seats with the descent that ends each stay.

    The same rule as SeatQuerySet.stays() in SQL: the first descent landing after the
    launch (or not landed yet), or the descent on the same mission when the launch date
    is unknown.
    """
    seats = list(seats)
    descents = sorted(
        (s for s in seats if s.leg == Leg.DESCENT),
        key=lambda s: (s.mission.landing_at is None, s.mission.landing_at or dt.datetime.max, s.mission.name),
    )
    stays = []
    for ascent in (s for s in seats if s.leg == Leg.ASCENT):
        launch = ascent.mission.launch_at
        match = next(
            (
                d
                for d in descents
                if d.mission.pk == ascent.mission.pk
                or d.mission.landing_at is None
                or (launch is not None and d.mission.landing_at >= launch)
            ),
            None,
        )
        stays.append(Stay(ascent=ascent, descent=match))
    return stays


def _overlap(first: Stay, second: Stay) -> bool:
    if first.start is None or second.start is None:
        return False
    if MissionStatus.CANCELLED in (first.ascent.mission.status, second.ascent.mission.status):
        return False  # a cancelled flight never put anyone in space
    if (first.end is None and not first.end_is_open) or (second.end is None and not second.end_is_open):
        return False  # a landed flight with an unknown landing date cannot be checked
    first_end = first.end if first.end is not None else dt.datetime.max.replace(tzinfo=dt.UTC)
    second_end = second.end if second.end is not None else dt.datetime.max.replace(tzinfo=dt.UTC)
    return first.start < second_end and second.start < first_end


def schedule_conflicts(seats: Iterable[Seat]) -> list[str]:
    """Messages for every pair of one person's stays that overlap in time."""
    stays = pair_stays(seats)
    problems = []
    for index, first in enumerate(stays):
        for second in stays[index + 1 :]:
            if _overlap(first, second):
                person = first.ascent.person
                problems.append(
                    f"{person} cannot be on two flights at once: {first.describe()} overlaps {second.describe()}."
                )
    return problems


def _person_seats(person_id: int, *, replacing: Seat | None = None, mission: Mission | None = None) -> list[Seat]:
    """The person's saved seats, with an unsaved seat or mission swapped in."""
    seats = list(Seat.objects.filter(person_id=person_id).select_related("mission", "person"))
    if mission is not None:
        for seat in seats:
            if seat.mission_id == mission.pk:
                seat.mission = mission
    if replacing is not None:
        seats = [s for s in seats if s.pk != replacing.pk or replacing.pk is None]
        seats.append(replacing)
    return seats


def validate_seat(seat: Seat) -> None:
    """Room on the vehicle for this leg, and the person not in two places at once.

    The seat's mission may be unsaved (a mission and its seats added in one admin form):
    then only the person's schedule is checked here and the admin's formset counts seats.
    """
    mission = seat.mission if seat.mission_id or "mission" in seat._state.fields_cache else None
    if mission is None or not seat.person_id or not seat.leg:
        return  # field validation reports the missing value
    if mission.pk:
        taken = Seat.objects.filter(mission_id=mission.pk, leg=seat.leg).exclude(pk=seat.pk).count() + 1
        if taken > mission.family.seats:
            raise ValidationError(
                f"{mission} has {mission.family.seats} seats on its {mission.family} and {taken} people "
                f"would ride it on the {seat.leg} leg."
            )
    problems = schedule_conflicts(_person_seats(seat.person_id, replacing=seat))
    if problems:
        raise ValidationError(problems)


def validate_mission(mission: Mission) -> None:
    errors: dict[str, list[str]] = {}
    if mission.spacecraft_id and mission.family_id and mission.spacecraft.family_id != mission.family_id:
        errors.setdefault("spacecraft", []).append(
            f"{mission.spacecraft} is not a {mission.family}; choose a craft of the mission's vehicle family."
        )
    if mission.pk and mission.family_id:
        for leg in Leg:
            count = Seat.objects.filter(mission_id=mission.pk, leg=leg).count()
            if count > mission.family.seats:
                errors.setdefault("family", []).append(
                    f"{mission.family} has {mission.family.seats} seats but {count} people ride this mission's {leg} leg."
                )
        person_ids = Seat.objects.filter(mission_id=mission.pk).values_list("person_id", flat=True).distinct()
        for person_id in person_ids:
            for problem in schedule_conflicts(_person_seats(person_id, mission=mission)):
                errors.setdefault("__all__", []).append(problem)
    if errors:
        raise ValidationError(errors)
