"""Rules that keep the record coherent but span several rows, so no CHECK can hold them.

Model.clean() calls these, so the admin, the reference loader and the news services all
go through them (every write path calls full_clean). They read the saved record and
overlay the unsaved object being validated.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tracker.lib.fuzzy_dates import format_instant

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
        start = _when(self.ascent.mission, "launch")
        end = _when(self.descent.mission, "landing") if self.descent else gettext("unknown")
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


FOREVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _overlap(first: Stay, second: Stay) -> bool:
    if first.start is None or second.start is None:
        return False
    if MissionStatus.CANCELLED in (first.ascent.mission.status, second.ascent.mission.status):
        return False  # a cancelled flight never put anyone in space
    if (first.end is None and not first.end_is_open) or (second.end is None and not second.end_is_open):
        return False  # a landed flight with an unknown landing date cannot be checked
    first_end = first.end if first.end is not None else FOREVER
    second_end = second.end if second.end is not None else FOREVER
    return first.start < second_end and second.start < first_end


def _overlap_days(first: Stay, second: Stay) -> str:
    """'from 2022-11-01 to 2023-03-12': the days both stays claim, at the precision known."""
    later = max(first, second, key=lambda stay: stay.start)
    since = _when(later.ascent.mission, "launch")
    ends = [stay for stay in (first, second) if stay.end is not None]
    if not ends:
        return gettext("from %(since)s on (neither has landed yet)") % {"since": since}
    earlier = min(ends, key=lambda stay: stay.end)
    return gettext("from %(since)s to %(until)s") % {"since": since, "until": _when(earlier.descent.mission, "landing")}


def overlap_message(first: Stay, second: Stay) -> str:
    return gettext("%(person)s cannot be on two flights at once: %(first)s and %(second)s overlap %(days)s.") % {
        "person": first.ascent.person,
        "first": first.describe(),
        "second": second.describe(),
        "days": _overlap_days(first, second),
    }


def schedule_conflicts(seats: Iterable[Seat]) -> list[str]:
    """Messages for every pair of one person's stays that overlap in time: who, which two
    flights and which days."""
    stays = pair_stays(seats)
    problems = []
    for index, first in enumerate(stays):
        for second in stays[index + 1 :]:
            if _overlap(first, second):
                problems.append(overlap_message(first, second))
    return problems


def launch_seat_for(descent: Seat, seats: Iterable[Seat]) -> Seat | None:
    """The ascent that began the stay this descent ends: the same rule as
    launch_seat_for_descent() in SQL (an undated launch only on the same mission, else the
    latest launch before the landing)."""
    landing = descent.mission.landing_at or FOREVER
    candidates = [
        seat
        for seat in seats
        if seat.leg == Leg.ASCENT
        and (
            seat.mission.pk == descent.mission.pk
            or (seat.mission.launch_at is not None and seat.mission.launch_at <= landing)
        )
    ]
    undated = [seat for seat in candidates if seat.mission.launch_at is None]
    if undated:
        return undated[0]
    return max(candidates, key=lambda seat: seat.mission.launch_at, default=None)


def second_return(seat: Seat, seats: list[Seat]) -> str | None:
    """The message when `seat` is a descent that would bring its person home a second time
    from a stay another descent seat already ends."""
    if seat.leg != Leg.DESCENT:
        return None
    ascent = launch_seat_for(seat, seats)
    if ascent is None:
        return None
    for other in seats:
        if other is seat or other.leg != Leg.DESCENT or (seat.pk and other.pk == seat.pk):
            continue
        if other.mission.pk != seat.mission.pk and launch_seat_for(other, seats) == ascent:
            return gettext(
                "%(person)s already comes home on %(home)s (%(landing)s) from the stay that began on %(up)s "
                "(%(launch)s): a second descent seat on %(mission)s would bring them home twice. Remove one of "
                "the two descent seats, or record the later flight up first."
            ) % {
                "person": seat.person,
                "home": other.mission,
                "landing": _when(other.mission, "landing"),
                "up": ascent.mission,
                "launch": _when(ascent.mission, "launch"),
                "mission": seat.mission,
            }
    return None


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
    """Room on the vehicle for this leg, the person not in two places at once, and one way
    home per stay. Errors about the person stand at the seat's person field.

    The seat's mission may be unsaved or edited in the same admin form (a mission and its
    seats added together): its unsaved dates count, and the admin's formset counts the seats.
    """
    mission = seat.mission if seat.mission_id or "mission" in seat._state.fields_cache else None
    if mission is None or not seat.person_id or not seat.leg:
        return  # field validation reports the missing value
    errors: dict[str, list[str]] = {}
    if mission.pk:
        taken = Seat.objects.filter(mission_id=mission.pk, leg=seat.leg).exclude(pk=seat.pk).count() + 1
        if taken > mission.family.seats:
            errors[NON_FIELD_ERRORS] = [
                gettext("%(mission)s has %(seats)s on its %(family)s and %(people)s would ride it on the %(leg)s.")
                % {
                    "mission": mission,
                    "seats": seats_text(mission.family.seats),
                    "family": mission.family,
                    "people": people_text(taken),
                    "leg": LEG_NAMES[seat.leg],
                }
            ]
    seats = _person_seats(seat.person_id, replacing=seat, mission=mission if mission.pk else None)
    problems = schedule_conflicts(seats)
    if twice := second_return(seat, seats):
        problems.append(twice)
    if problems:
        errors["person"] = problems
    if errors:
        raise ValidationError(errors)


# "the ascent leg": the leg a count of people is about, in the messages' words.
LEG_NAMES = {
    Leg.ASCENT: pgettext_lazy("a seat's leg", "ascent leg"),
    Leg.DESCENT: pgettext_lazy("a seat's leg", "descent leg"),
}
# The rule each pair of events out of order breaks, at the later event.
ORDER_MESSAGES = {
    ("launch", "docking"): _("The docking (%(later)s) cannot be before the launch (%(earlier)s)."),
    ("docking", "undocking"): _("The undocking (%(later)s) cannot be before the docking (%(earlier)s)."),
    ("launch", "landing"): _("The landing (%(later)s) cannot be before the launch (%(earlier)s)."),
    ("undocking", "landing"): _("The landing (%(later)s) cannot be before the undocking (%(earlier)s)."),
}


def seats_text(seats: int) -> str:
    return ngettext("%(seats)s seat", "%(seats)s seats", seats) % {"seats": seats}


def people_text(people: int) -> str:
    return ngettext("%(people)s person", "%(people)s people", people) % {"people": people}


def _when(mission: Mission, event: str) -> str:
    """The time alone, without "target" or "overdue": these messages are about which times
    clash, whether announced or flown."""
    instant, precision = getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision")
    if instant is None:
        return gettext("unknown")
    return format_instant(instant, precision) if precision else f"{instant:%Y-%m-%d}"


def _order_errors(mission: Mission) -> dict[str, list[str]]:
    """Events out of order, each at the later event's field (the CHECKs hold the same rule)."""
    errors: dict[str, list[str]] = {}
    # Launch before landing first: the plainest thing to say about a landing out of order.
    pairs = [("launch", "docking"), ("docking", "undocking"), ("launch", "landing"), ("undocking", "landing")]
    for earlier, later in pairs:
        first, then = getattr(mission, f"{earlier}_at"), getattr(mission, f"{later}_at")
        if first is not None and then is not None and then < first and f"{later}_at" not in errors:
            errors[f"{later}_at"] = [
                ORDER_MESSAGES[earlier, later] % {"later": _when(mission, later), "earlier": _when(mission, earlier)}
            ]
    return errors


def validate_mission(mission: Mission) -> None:
    errors = _order_errors(mission)
    if mission.spacecraft_id and mission.family_id and mission.spacecraft.family_id != mission.family_id:
        errors.setdefault("spacecraft", []).append(
            gettext("%(craft)s is not a %(family)s; choose a craft of the mission's vehicle family.")
            % {"craft": mission.spacecraft, "family": mission.family}
        )
    if mission.pk and mission.family_id:
        for leg in Leg:
            count = Seat.objects.filter(mission_id=mission.pk, leg=leg).count()
            if count > mission.family.seats:
                errors.setdefault("family", []).append(
                    gettext("%(family)s has %(seats)s but %(people)s ride this mission's %(leg)s.")
                    % {
                        "family": mission.family,
                        "seats": seats_text(mission.family.seats),
                        "people": people_text(count),
                        "leg": LEG_NAMES[leg],
                    }
                )
        # Moving this mission's dates can make its crew overlap another flight: the error
        # stands at the launch for the crew it brings up, at the landing for the crew it brings home.
        legs = Seat.objects.filter(mission_id=mission.pk).order_by().values_list("person_id", "leg")
        field_for = {}
        for person_id, leg in legs:
            if field_for.get(person_id) != "launch_at":
                field_for[person_id] = "launch_at" if leg == Leg.ASCENT else "landing_at"
        for person_id, field in field_for.items():
            for problem in schedule_conflicts(_person_seats(person_id, mission=mission)):
                errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationError(errors)
