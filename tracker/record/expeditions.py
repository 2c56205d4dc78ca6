"""ISS expeditions, derived from the record's Soyuz departures.

An expedition begins when a Soyuz undocks from the station and ends when the next one does
(../shared/data/README.md, "Expeditions"). So the numbers are not stored: they follow from
one sourced starting point and the Soyuz MS flights already in the record.

- The anchor is the one stored fact, a constant here with its citation (not a row: it is a
  fixed historical fact an editor has no reason to change, and a table of one row would be
  a migration, an admin page and a loader entry for a number that never moves).
- Every Soyuz MS flight that leaves the station after the anchor's day starts the next
  expedition, in launch order: its undocking, or its landing (the same day, a few hours
  later) when the undocking time is not recorded; the crew it brings home leave at that
  same recorded time, so they are never counted in the expedition it begins. A departure that is still a target (Mission.is_target)
  makes the expedition it starts *expected*. The chain stops at the first Soyuz whose
  departure is unknown (a flight still up with no target, a flight not yet dated): every
  later number would depend on it. It also stops, rather than misnumber, where the record
  contradicts itself (a departure not after the one before). Cancelled flights and short
  visits (less than SHORT_VISIT at the station: a visiting crew, a launch abort) start none.
- Before the anchor only Expedition 67 is derived: it is the one that ended when 68 began,
  so whoever was aboard at that moment was in it (the Soyuz MS-22 crew, who docked eight
  days before it: NASA's blog says they "joined Expedition 67"). Its start is not in the
  record, so a stay that ended before the anchor gets no number, and a stay that began
  before it lists 67 as its first: an earlier one is not derived (no stay in the shipped
  record began early enough to have one).
- A stay belongs to every expedition its time at the station (docking, or launch, to
  undocking, or landing, of the flight home) *certainly* overlaps at the precision the
  record knows: a crew member arriving the day an expedition ends, both known to the day,
  is counted in the next one only. A stay still up runs through the last expedition known;
  a stay home at an unknown time gets only the expedition it arrived in. Its membership is
  expected when the expedition's start is a target or the stay itself has not launched.

Everything is computed once per record version (version.per_record_version; any save moves
the version on) in two queries, and shared by the requests of a process.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext

from tracker.lib.fuzzy_dates import Precision, format_instant, window_end

from .models import EVENTS, TARGETS, Leg, Mission, MissionStatus, Person, Seat
from .models.missions import UNFLOWN_STATUSES
from .version import per_record_version

# The anchor: Expedition 68 began when Soyuz MS-21 undocked, 2022-09-29 07:34 UTC (3:34 a.m.
# EDT), NASA space station blog; ../shared/data/README.md, "Expeditions".
ANCHOR_NUMBER = 68
ANCHOR_START = dt.datetime(2022, 9, 29, 7, 34, tzinfo=dt.UTC)
ANCHOR_MISSION = "Soyuz MS-21"
ANCHOR_SOURCE = "https://blogs.nasa.gov/spacestation/tag/nasa/page/78"
SOYUZ_FAMILY = "Soyuz MS"
# Long-duration Soyuz crews stay about six months; a visiting crew (Soyuz MS-20, 12 days)
# or an abort (Soyuz MS-10, no docking) leaves without handing the station over.
SHORT_VISIT = dt.timedelta(days=30)
FOREVER = dt.datetime.max.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class Moment:
    """A recorded time as a window: [at, end) at its precision, and whether it is a target."""

    at: dt.datetime
    precision: str
    is_target: bool

    @property
    def end(self) -> dt.datetime:
        # An exact time is to the minute.
        if self.precision == Precision.EXACT:
            return self.at + dt.timedelta(minutes=1)
        return window_end(self.at, self.precision)

    @property
    def text(self) -> str:
        text = format_instant(self.at, self.precision)
        return gettext("target %(time)s") % {"time": text} if self.is_target else text


def _moment(row: dict, *events: str) -> Moment | None:
    """The first of `events` the mission row has a time for."""
    for event in events:
        if row[f"{event}_at"] is not None:
            certainty = row[f"{event}_certainty"]
            return Moment(row[f"{event}_at"], row[f"{event}_precision"], certainty in TARGETS)
    return None


@dataclass(frozen=True)
class StationVisit:
    """What membership needs of a mission: when it reached and left the station."""

    pk: int
    name: str
    slug: str
    family: str
    status: str
    launch: Moment | None
    arrival: Moment | None  # docking, else launch
    leaving: Moment | None  # undocking, else landing

    @property
    def short_visit(self) -> bool:
        return self.arrival is not None and self.leaving is not None and self.leaving.at - self.arrival.at < SHORT_VISIT


@dataclass(frozen=True)
class CrewMember:
    name: str
    slug: str
    launched_on: str
    launched_on_slug: str
    expected: bool
    name_ru: str = ""  # Person.name_ru: the reader's script on Russian pages

    @property
    def reader_name(self) -> str:
        """As Person.reader_name: the Cyrillic name on Russian pages where the record has one."""
        return Person(name=self.name, name_ru=self.name_ru).reader_name

    @property
    def launched_on_reader_name(self) -> str:
        return Mission(name=self.launched_on).reader_name


@dataclass(frozen=True)
class Expedition:
    number: int
    start: dt.datetime | None  # None only for 67, which began before the record
    start_precision: str
    start_is_target: bool
    end: dt.datetime | None  # None while no later departure is known
    end_precision: str
    end_is_target: bool
    began_with: str  # the Soyuz whose departure began it
    began_with_slug: str | None  # None when that Soyuz is not in the record
    source: str = ""  # for the anchor, its citation; the others follow from the record
    crew: tuple[CrewMember, ...] = ()

    @property
    def expected(self) -> bool:
        return self.start_is_target

    @property
    def began_with_reader_name(self) -> str:
        """The Soyuz whose departure began it, as Mission.reader_name says it ('Союз МС-22')."""
        return Mission(name=self.began_with).reader_name

    @property
    def start_moment(self) -> Moment | None:
        return Moment(self.start, self.start_precision, self.start_is_target) if self.start else None

    @property
    def end_moment(self) -> Moment | None:
        return Moment(self.end, self.end_precision, self.end_is_target) if self.end else None

    @property
    def anchor(self) -> str:
        return f"expedition-{self.number}"


@dataclass(frozen=True)
class Membership:
    """The expeditions of one stay (always consecutive numbers), and which are expected."""

    numbers: tuple[int, ...] = ()
    expected: frozenset[int] = frozenset()

    @property
    def runs(self) -> list[tuple[int, int]]:
        """Consecutive numbers as (first, last): one run for a stay, maybe more for a person."""
        runs: list[tuple[int, int]] = []
        for number in self.numbers:
            if runs and runs[-1][1] == number - 1:
                runs[-1] = (runs[-1][0], number)
            else:
                runs.append((number, number))
        return runs

    @property
    def expected_numbers(self) -> tuple[int, ...]:
        return tuple(n for n in self.numbers if n in self.expected)

    @property
    def label(self) -> str:
        """'Expedition 68', 'Expeditions 67–69', 'Expeditions 74–75 (75 expected)'."""
        if not self.numbers:
            return ""
        spans = ", ".join(f"{first}–{last}" if last != first else str(first) for first, last in self.runs)
        if len(self.numbers) > 1:
            text = gettext("Expeditions %(numbers)s") % {"numbers": spans}
        else:
            text = gettext("Expedition %(number)s") % {"number": spans}
        if self.expected_numbers == self.numbers:
            return gettext("%(expeditions)s (expected)") % {"expeditions": text}
        if self.expected_numbers:
            expected = ", ".join(map(str, self.expected_numbers))
            return gettext("%(expeditions)s (%(numbers)s expected)") % {"expeditions": text, "numbers": expected}
        return text

    def __or__(self, other: "Membership") -> "Membership":
        """Both stays' expeditions; a number is expected only where every stay in it is."""
        numbers = tuple(sorted({*self.numbers, *other.numbers}))
        sure = ({*self.numbers} - self.expected) | ({*other.numbers} - other.expected)
        return Membership(numbers, frozenset(n for n in numbers if n not in sure))


@dataclass(frozen=True)
class ExpeditionRecord:
    expeditions: tuple[Expedition, ...]
    flights: dict[int, StationVisit]
    by_ascent: dict[int, Membership] = field(default_factory=dict)  # ascent seat pk → its stay's
    by_descent: dict[tuple[int, int], Membership] = field(default_factory=dict)  # (person, mission)


def _station_visits() -> dict[int, StationVisit]:
    fields = [f"{event}_{part}" for event in EVENTS for part in ("at", "precision", "certainty")]
    rows = Mission.objects.order_by().values("pk", "name", "slug", "status", "family__name", *fields)
    return {
        row["pk"]: StationVisit(
            pk=row["pk"],
            name=row["name"],
            slug=row["slug"],
            family=row["family__name"],
            status=row["status"],
            launch=_moment(row, "launch"),
            arrival=_moment(row, "docking", "launch"),
            leaving=_moment(row, "undocking", "landing"),
        )
        for row in rows
    }


def _departures(flights: dict[int, StationVisit]) -> list[StationVisit]:
    """The Soyuz flights whose departures began Expeditions 69, 70, … in order (see the
    module docstring for where the chain stops)."""
    soyuz = sorted(
        (f for f in flights.values() if f.family == SOYUZ_FAMILY and f.status != MissionStatus.CANCELLED),
        key=lambda f: (f.launch is None, f.launch.at if f.launch else None, f.name),
    )
    chain: list[StationVisit] = []
    for flight in soyuz:
        if flight.short_visit:
            continue
        if flight.leaving is None:
            break
        if flight.leaving.at.date() <= ANCHOR_START.date():
            continue  # the anchor's own Soyuz (landed that day) or an earlier one
        if chain and flight.leaving.at <= chain[-1].leaving.at:
            break
        chain.append(flight)
    return chain


def _numbered_expeditions(flights: dict[int, StationVisit]) -> list[Expedition]:
    anchor = Moment(ANCHOR_START, Precision.EXACT, False)
    anchor_flight = next((f for f in flights.values() if f.name == ANCHOR_MISSION), None)
    starts = [(anchor, ANCHOR_MISSION, anchor_flight.slug if anchor_flight else None)]
    starts += [(f.leaving, f.name, f.slug) for f in _departures(flights)]
    expeditions = [Expedition(ANCHOR_NUMBER - 1, None, "", False, anchor.at, anchor.precision, False, "", None)]
    for index, (start, name, slug) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else None
        expeditions.append(
            Expedition(
                number=ANCHOR_NUMBER + index,
                start=start.at,
                start_precision=start.precision,
                start_is_target=start.is_target,
                end=end.at if end else None,
                end_precision=end.precision if end else "",
                end_is_target=end.is_target if end else False,
                began_with=name,
                began_with_slug=slug,
                source=ANCHOR_SOURCE if index == 0 else "",
            )
        )
    return expeditions


def _overlaps(expedition: Expedition, arrival: Moment, leaving: Moment | None, ended_unknown: bool) -> bool:
    """The stay was certainly aboard during some of `expedition` (module docstring)."""
    end, start = expedition.end_moment, expedition.start_moment
    arrived_before_end = end is None or arrival.end <= end.at
    if ended_unknown:  # only the expedition it certainly arrived in
        return arrived_before_end and start is not None and arrival.at >= start.end
    # Still aboard after the expedition began; for 67, whose start is unknown, still aboard
    # when it ended.
    since = start or end
    left_after_start = leaving is None or leaving.at >= since.end
    return arrived_before_end and left_after_start


def membership_between(
    expeditions: tuple[Expedition, ...], up: StationVisit | None, down: StationVisit | None
) -> Membership:
    """The expeditions of a stay up on `up` and home on `down` (None: no return recorded)."""
    if up is None or up.arrival is None or up.status == MissionStatus.CANCELLED:
        return Membership()
    leaving = down.leaving if down is not None and down.status != MissionStatus.CANCELLED else None
    ended_unknown = leaving is None and (down or up).status == MissionStatus.LANDED
    numbers, expected = [], set()
    for expedition in expeditions:
        if _overlaps(expedition, up.arrival, leaving, ended_unknown):
            numbers.append(expedition.number)
            if expedition.expected or up.status in UNFLOWN_STATUSES:
                expected.add(expedition.number)
    return Membership(tuple(numbers), frozenset(expected))


def _derive_expeditions() -> ExpeditionRecord:
    flights = _station_visits()
    expeditions = tuple(_numbered_expeditions(flights))
    by_ascent, by_descent, crews = {}, {}, defaultdict(list)
    stays = Seat.objects.stays().order_by("pk")
    for pk, person_id, name, name_ru, slug, up_id, down_id in stays.values_list(
        "pk", "person_id", "person__name", "person__name_ru", "person__slug", "mission_id", "return_mission_id"
    ):
        up = flights[up_id]
        membership = membership_between(expeditions, up, flights.get(down_id))
        by_ascent[pk] = membership
        if down_id is not None:
            by_descent[(person_id, down_id)] = membership
        for number in membership.numbers:
            member = CrewMember(name, slug, up.name, up.slug, number in membership.expected, name_ru)
            crews[number].append((up.launch.at if up.launch else FOREVER, up.name, name, member))
    expeditions = tuple(
        replace(e, crew=tuple(row[-1] for row in sorted(crews[e.number], key=lambda row: row[:3]))) for e in expeditions
    )
    return ExpeditionRecord(expeditions, flights, by_ascent, by_descent)


@per_record_version
def current() -> ExpeditionRecord:
    """The expeditions of the record as it is now; rebuilt only after the record changed."""
    return _derive_expeditions()


def expeditions() -> tuple[Expedition, ...]:
    """Every expedition the record tells, 67 first; the last one open (end None)."""
    return current().expeditions


def membership(stay, record: ExpeditionRecord | None = None) -> Membership:
    """The expeditions of `stay`: a row of SeatQuerySet.stays(), a validation.Stay, or a
    seat (an ascent seat stands for the stay it begins, a descent seat for the one it ends).
    A page asking about many stays passes `record` (current(), read once): each current()
    reads the record's version from the cache, and with the cache down every read is a new
    version, so the expeditions would be derived again for every stay."""
    record = record or current()
    if hasattr(stay, "ascent"):  # validation.Stay
        descent = stay.descent
        down = record.flights.get(descent.mission_id) if descent else None
        return membership_between(record.expeditions, record.flights.get(stay.ascent.mission_id), down)
    if hasattr(stay, "return_mission_id"):  # SeatQuerySet.stays()
        up, down = record.flights.get(stay.mission_id), record.flights.get(stay.return_mission_id)
        return membership_between(record.expeditions, up, down)
    if stay.leg == Leg.ASCENT:
        return record.by_ascent.get(stay.pk, Membership())
    return record.by_descent.get((stay.person_id, stay.mission_id), Membership())


def expeditions_of(stay) -> tuple[int, ...]:
    """The numbers of the expeditions `stay` overlaps (see membership())."""
    return membership(stay).numbers
