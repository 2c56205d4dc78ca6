"""Which mission an article means when it does not name one: "the Crew Dragon", "the
spacecraft", "Crew Dragon Endeavour", "корабль «Союз»".

`infer_mission` is pure: a vehicle family, perhaps a craft, the crew named alongside and a
day in, one flight of the record or None out. The rules, in order:

- Only the named family's flights are candidates: a Soyuz word never yields a Crew Dragon
  mission, and "the spacecraft" alone yields nothing. Without a vehicle word ("the crew"),
  only the missions the article names elsewhere are, and the crew must be named. With a
  vehicle word alone ("a Dragon spacecraft splashed down"), only the missions of that
  family the article names elsewhere are.
- A craft ("Endeavour") keeps only the flights it flew.
- Crew named alongside keep only the flights that carried them (any leg); when several
  flights remain, those that carried the most of them.
- The day (the event's own date, else the article's) keeps only the flights that were
  being prepared, flown or just finished then: a crew member's old flight is not the one
  a new assignment is for. Among several, a craft on a day keeps the flight it was flying.
- Exactly one flight must be left, and a craft, a crew or the article's own missions must
  have narrowed it down: a family alone, even on a day when one flight of it was flying,
  is never enough.
"""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .names import Occurrence
from .results import Event, MentionFound
from .spellings import MISSION, PERSON, VEHICLE
from .text import evidence, squash

# How long before launch the press writes about a flight by its vehicle, and how long after
# landing: a crew is announced and trained for about a year, and stories about a landing
# run for a few weeks.
BEFORE_LAUNCH = dt.timedelta(days=365)
AFTER_LANDING = dt.timedelta(days=30)
# A flight without a landing in the record is expected to last about this long.
TYPICAL_STAY = dt.timedelta(days=240)


@dataclass(frozen=True)
class Flight:
    """What inference needs to know about one mission of the record."""

    name: str  # "SpaceX Crew-6"
    family: str  # "Crew Dragon"
    craft: str | None = None  # the vehicle's record name: "Crew Dragon Endeavour"
    crew: frozenset[str] = frozenset()  # record names of everyone with a seat, either leg
    launch: dt.date | None = None
    landing: dt.date | None = None

    def around(self, day: dt.date, family_latest: dt.date | None = None) -> bool:
        """Whether `day` falls while this flight was in the news: prepared, flown or just over.
        A flight without a date comes after its family's latest dated one (`family_latest`)."""
        if self.launch is None:
            return self.landing is None and (family_latest is None or day >= family_latest - BEFORE_LAUNCH)
        landing = self.landing or self.launch + TYPICAL_STAY
        return self.launch - BEFORE_LAUNCH <= day <= landing + AFTER_LANDING

    def flying(self, day: dt.date) -> bool:
        """Whether the flight was in space (or about to launch) on `day`."""
        if self.launch is None:
            return False
        landing = self.landing or self.launch + TYPICAL_STAY
        return self.launch - dt.timedelta(days=7) <= day <= landing + dt.timedelta(days=2)


def infer_mission(
    flights: tuple[Flight, ...],
    *,
    family: str | None,
    craft: str | None = None,
    people: Iterable[str] = (),
    day: dt.date | None = None,
    among: Iterable[str] = (),
) -> str | None:
    """The one flight of `family` (or, without a family, of the missions `among`) that the
    craft, crew and day point to, or None."""
    people, among = set(people), set(among)
    if family is None:
        if not people or craft is not None:
            return None
        candidates = [f for f in flights if f.name in among]
    else:
        candidates = [f for f in flights if f.family == family]
    narrowed = False
    if craft is not None:
        candidates = [f for f in candidates if f.craft == craft]
        narrowed = True
    if people:
        overlap = {f.name: len(f.crew & people) for f in candidates}
        most = max(overlap.values(), default=0)
        if most == 0:
            return None  # the crew named flew none of this family's flights
        candidates = [f for f in candidates if overlap[f.name] == most]
        narrowed = True
    if not narrowed and among:  # "the Dragon" in a story that names one Crew Dragon mission
        candidates = [f for f in candidates if f.name in among]
        narrowed = True
    if day is not None:
        latest = _latest_launches(tuple(flights))
        candidates = [f for f in candidates if f.around(day, latest.get(f.family))]
        if len(candidates) > 1 and not people:
            candidates = [f for f in candidates if f.flying(day)]
    return candidates[0].name if narrowed and len(candidates) == 1 else None


@dataclass(frozen=True)
class Clues:
    """What one sentence that names no mission says about the flight it means."""

    family: str | None  # None: no vehicle word, only crew ("the crew", "космонавты")
    craft: str | None
    people: frozenset[str]


@functools.lru_cache(maxsize=4)
def _latest_launches(flights: tuple[Flight, ...]) -> dict[str, dt.date]:
    """Each family's latest launch date in the record."""
    latest: dict[str, dt.date] = {}
    for flight in flights:
        if flight.launch and flight.launch > latest.get(flight.family, dt.date.min):
            latest[flight.family] = flight.launch
    return latest


@functools.lru_cache(maxsize=4)
def _families(flights: tuple[Flight, ...]) -> tuple[dict[str, str], frozenset[str]]:
    """(the family of each craft, every family): built once per KnownNames."""
    return {f.craft: f.family for f in flights if f.craft}, frozenset(f.family for f in flights)


def sentence_clues(flights: tuple[Flight, ...], sentences: dict[int, list[Occurrence]]) -> dict[int, Clues]:
    """The sentences that name no mission but one vehicle family, perhaps with its crew or its
    craft ("Kikina flew on the Crew Dragon", 'Crew Dragon "Endeavour"', "the Dragon"), or only
    crew, by sentence index."""
    family_of, families = _families(flights)
    found = {}
    for index, occurrences in sentences.items():
        if any(occ.kind == MISSION for occ in occurrences):
            continue
        vehicles = {occ.name for occ in occurrences if occ.kind == VEHICLE}
        crafts = {name for name in vehicles if name in family_of}
        named_families = (vehicles & families) | {family_of[craft] for craft in crafts}
        people = frozenset(occ.name for occ in occurrences if occ.kind == PERSON)
        if len(named_families) == 1 and len(crafts) <= 1:
            found[index] = Clues(named_families.pop(), next(iter(crafts), None), people)
        elif not vehicles and people:
            found[index] = Clues(None, None, people)
    return found


def infer_from(flights: tuple[Flight, ...], clues: Clues, day: dt.date | None, among: set[str]) -> str | None:
    return infer_mission(flights, family=clues.family, craft=clues.craft, people=clues.people, day=day, among=among)


def with_inferred_missions(
    events: list[Event],
    flights: tuple[Flight, ...],
    texts: dict[int, str],
    clues: dict[int, Clues],
    published: dt.date | None,
    among: set[str],
) -> list[Event]:
    """`events` with the mission their sentence means where they name none (agreements
    excepted); the event's own date, else the article's, tells apart a crew's flights."""
    result = []
    for event in events:
        if event.mission is None and event.type != "agreement":
            quoted = event.evidence.strip("…")
            index = next((i for i, sentence in texts.items() if quoted in sentence), None)
            day = event.date or published
            if index is not None and (mission := infer_from(flights, clues[index], day, among)):
                event = replace(event, mission=mission)
            elif index is not None and (mission := _assigned_flight(event, flights, clues[index], published)):
                # A guess from the vehicle and the calendar alone: never more than even odds.
                event = replace(event, mission=mission, confidence=min(event.confidence, ASSIGNMENT_GUESS))
        result.append(event)
    return result


# The most a crew assignment placed on the next flight of its vehicle may be believed.
ASSIGNMENT_GUESS = 0.5


def _assigned_flight(event: Event, flights: tuple[Flight, ...], clues: Clues, published: dt.date | None) -> str | None:
    """A crew assignment that names a vehicle but no mission ("will fly on Crew Dragon",
    with a crew the record has not placed yet): the vehicle's first flight after the article."""
    if event.type != "crew_assignment" or event.happened or clues.family is None or published is None:
        return None
    later = [f for f in flights if f.family == clues.family and f.launch is not None and f.launch >= published]
    return min(later, key=lambda f: f.launch).name if later else None


def fill_unnamed_missions(page, flights: tuple[Flight, ...], mentions: list[MentionFound], events: list[Event]):
    """The article's mentions and events with the missions its sentences mean but do not
    name: a mention where a vehicle with its crew or craft points to one flight, and the
    mission of each event that names none (`page` is events.Page)."""
    clues = sentence_clues(flights, page.by_sentence)
    if not clues:
        return mentions, events
    named = {m.name for m in mentions if m.kind == MISSION}
    if any(event.mission is None for event in events):
        texts = {i: squash(page.original[slice(*page.sentences.spans[i])]) for i in clues}
        events = with_inferred_missions(events, flights, texts, clues, page.published, named)
    added: dict[str, MentionFound] = {}
    for index in sorted(clues):
        if not (clues[index].people or clues[index].craft):
            continue  # a vehicle word alone names no mission the article does not name already
        mission = infer_from(flights, clues[index], page.published, set())
        if mission and mission not in named and mission not in added:
            span = page.sentences.spans[index]
            added[mission] = MentionFound(MISSION, mission, evidence(page.original, span, span))
    return mentions + list(added.values()), events
