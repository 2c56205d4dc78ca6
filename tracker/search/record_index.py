"""People, missions and vehicles as search sees them: every spelling of each, folded.

The record is small (dozens of people and missions, a handful of vehicles), so it is
matched in Python rather than in SQL: folding works the same whatever the database, and
ranking can look at word boundaries. The folded index is built once per record version
(any save to the record moves the version on) and shared by the requests of a process,
so a search costs no query for these kinds."""

import re
import threading
from dataclasses import dataclass

from tracker.lib.folding import compact, fold
from tracker.record.models import Mission, Person, VehicleFamily
from tracker.record.page_cache import record_version

from .query import MIN_LENGTH, SearchQuery

# How well a spelling matches, best first. Results sort by it, then by name.
EXACT, PREFIX, WHOLE_WORDS, WORD_PREFIX, INSIDE, SQUEEZED, ALL_WORDS = range(7)


@dataclass(frozen=True)
class Spelling:
    """One way to find an entry: its name, an alias, a spacecraft's or builder's name."""

    label: str
    note: str  # "" for the entry's own name, else why this spelling leads to it
    folded: str
    compact: str

    @classmethod
    def of(cls, label: str, note: str = "") -> "Spelling":
        folded = fold(label)
        return cls(label=label, note=note, folded=folded, compact=compact(folded))

    def rank(self, query: SearchQuery) -> int | None:
        """EXACT … SQUEEZED, or None when the query is not in this spelling."""
        key, needle = self.folded, query.folded
        if key == needle:
            return EXACT
        if key.startswith(needle):
            return PREFIX
        best = None
        position = key.find(needle)
        while position >= 0:
            starts_word = position == 0 or not key[position - 1].isalnum()
            end = position + len(needle)
            ends_word = end == len(key) or not key[end].isalnum() or not needle[-1].isalnum()
            if starts_word and ends_word:
                return WHOLE_WORDS
            rank = WORD_PREFIX if starts_word else INSIDE
            best = rank if best is None else min(best, rank)
            position = key.find(needle, position + 1)
        if best is None and len(query.compact) >= MIN_LENGTH and query.compact in self.compact:
            return SQUEEZED
        return best


@dataclass(frozen=True)
class Entry:
    kind: str  # "person", "mission" or "vehicle"
    title: str
    url: str
    detail: str  # one line under the title: agency, vehicle and status, builder
    spellings: tuple[Spelling, ...]  # the entry's own name first
    sort_key: tuple
    pk: int = 0  # the row's id: articles that mention it are found too


@dataclass(frozen=True)
class Hit:
    entry: Entry
    rank: int
    spelling: Spelling  # the spelling that matched best

    @property
    def via(self) -> Spelling | None:
        """The other spelling that found this entry, when it was not the entry's own name."""
        return self.spelling if self.spelling.note else None


def natural_key(text: str) -> tuple:
    """Sorts "Crew-5" before "Crew-10"."""
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in re.split(r"(\d+)", fold(text)))


def match(entries: tuple[Entry, ...], query: SearchQuery) -> list[Hit]:
    """Every entry the query finds, best first; equal ranks in name order."""
    hits = []
    for entry in entries:
        ranked = [(rank, index) for index, s in enumerate(entry.spellings) if (rank := s.rank(query)) is not None]
        if ranked:
            rank, index = min(ranked)
            hits.append(Hit(entry, rank, entry.spellings[index]))
        elif len(query.words) > 1 and all(any(w in s.folded for s in entry.spellings) for w in query.words):
            # "Butch Wilmore" for "Barry 'Butch' Wilmore": every word, not as one phrase.
            hits.append(Hit(entry, ALL_WORDS, entry.spellings[0]))
    hits.sort(key=lambda hit: (hit.rank, hit.entry.sort_key))
    return hits


def names(hit: Hit, query: SearchQuery) -> bool:
    """Whether the query names this entry — a spelling of it, whole words of one, or every
    word in some spelling — rather than only the start of a word of it: "soyuz" names
    Soyuz MS-22, "crew-1" does not name Crew-10."""
    if hit.rank in (EXACT, WHOLE_WORDS, ALL_WORDS):
        return True
    if hit.rank == PREFIX and query.folded:
        return not hit.spelling.folded[len(query.folded)].isalnum() or not query.folded[-1].isalnum()
    return False


@dataclass(frozen=True)
class RecordSearchIndex:
    people: tuple[Entry, ...]
    missions: tuple[Entry, ...]
    vehicles: tuple[Entry, ...]


def _people() -> tuple[Entry, ...]:
    entries = []
    for person in Person.objects.select_related("agency").prefetch_related("aliases"):
        detail = person.agency.name + (f" · {person.nationality}" if person.nationality else "")
        spellings = (Spelling.of(person.name), *(Spelling.of(a.alias, "also spelled") for a in person.aliases.all()))
        entries.append(
            Entry(
                "person",
                person.name,
                person.get_absolute_url(),
                detail,
                spellings,
                natural_key(person.name),
                person.pk,
            )
        )
    return tuple(entries)


def _missions() -> tuple[Entry, ...]:
    entries = []
    for mission in Mission.objects.select_related("family", "spacecraft"):
        vehicle = f"{mission.family.name} {mission.spacecraft.name}" if mission.spacecraft else mission.family.name
        detail = f"{vehicle} · {mission.get_status_display()} · launch {mission.describe('launch')}"
        entries.append(
            Entry(
                "mission",
                mission.name,
                mission.get_absolute_url(),
                detail,
                (Spelling.of(mission.name),),
                natural_key(mission.name),
                mission.pk,
            )
        )
    return tuple(entries)


def _vehicles() -> tuple[Entry, ...]:
    entries = []
    for family in VehicleFamily.objects.select_related("operator").prefetch_related("craft"):
        detail = f"{family.seats} seats · operated by {family.operator.name}"
        if family.builder:
            detail = f"Built by {family.builder} · {detail}"
        spellings = (
            Spelling.of(family.name),
            *(Spelling.of(craft.name, "spacecraft") for craft in family.craft.all()),
            *((Spelling.of(family.builder, "built by"),) if family.builder else ()),
        )
        entries.append(
            Entry(
                "vehicle",
                family.name,
                family.get_absolute_url(),
                detail,
                spellings,
                natural_key(family.name),
                family.pk,
            )
        )
    return tuple(entries)


def build_index() -> RecordSearchIndex:
    return RecordSearchIndex(people=_people(), missions=_missions(), vehicles=_vehicles())


_lock = threading.Lock()
_cached: dict[str, RecordSearchIndex] = {}


def current_index() -> RecordSearchIndex:
    """The index for the record as it is now; rebuilt only after the record changed."""
    version = record_version()
    with _lock:
        if version not in _cached:
            _cached.clear()
            _cached[version] = build_index()
        return _cached[version]
