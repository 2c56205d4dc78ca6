"""People, missions and vehicles as search sees them: every spelling of each, folded.

The record is small (dozens of people and missions, a handful of vehicles), so it is
matched in Python rather than in SQL: folding works the same whatever the database, and
ranking can look at word boundaries. The folded index is built once per record version
(any save to the record moves the version on) and shared by the requests of a process,
so a search costs no query for these kinds."""

import re
import threading
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from tracker.lib.folding import compact, fold
from tracker.record import expeditions as iss_expeditions
from tracker.record.models import Mission, Person, VehicleFamily
from tracker.record.page_cache import record_version
from tracker.record.reader_names import agency_name, nationality_name

from .query import MIN_LENGTH, SearchQuery

# How trackers and the press name an ISS expedition, English and Russian: "Exp 70" and
# "МКС-70" find Expedition 70, its crew and the missions that carried them.
EXPEDITION_NAMES = (
    "Expedition {}",
    "Exp {}",
    "Exp. {}",
    "ISS Expedition {}",
    "ISS-{}",
    "Экспедиция {}",
    "Экспедиция МКС-{}",
    "МКС-{}",
)

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
    kind: str  # "person", "mission", "vehicle" or "expedition"
    title: str
    url: str
    detail: str  # one line under the title: agency, vehicle and status, builder
    spellings: tuple[Spelling, ...]  # the entry's own name first
    sort_key: tuple


@dataclass(frozen=True)
class Hit:
    entry: Entry
    rank: int
    spelling: Spelling  # the spelling that matched best

    @property
    def via(self) -> Spelling | None:
        """The other spelling that found this entry, when it was not the entry's own name."""
        return self.spelling if self.spelling.note else None


def _foreign(text: str) -> SafeString:
    """A name in Latin script marked lang="en" on a page in another language ('Crew Dragon
    Endurance' on a Russian page), escaped; as it is on English pages."""
    language = (translation.get_language() or "en").split("-")[0]
    if language != "en" and text.isascii() and any(char.isalpha() for char in text):
        return format_html('<span lang="en">{}</span>', text)
    return escape(text)


def _unbroken(when: str) -> str:
    """A date that does not wrap in the middle: '21 сентября 2022' is three words in Russian
    (an English date, '2022-09-21', is one, and stays as it is)."""
    language = (translation.get_language() or "en").split("-")[0]
    return when if language == "en" else when.replace(" ", "\u00a0")


def _agency(name: str) -> SafeString:
    return _foreign(agency_name(name))


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


@dataclass(frozen=True)
class RecordSearchIndex:
    people: tuple[Entry, ...]
    missions: tuple[Entry, ...]
    vehicles: tuple[Entry, ...]
    expeditions: tuple[Entry, ...] = ()


def expedition_spellings(numbers, note: str = "") -> tuple[Spelling, ...]:
    return tuple(Spelling.of(name.format(number), note) for number in numbers for name in EXPEDITION_NAMES)


def _expedition_links(expeditions) -> tuple[dict, dict]:
    """{person slug: their expedition numbers}, {mission slug: (number, note) pairs}."""
    people, missions = {}, {}
    for expedition in expeditions:
        if expedition.began_with_slug:
            missions.setdefault(expedition.began_with_slug, []).append(
                (expedition.number, gettext("its undocking began"))
            )
        crew_in = gettext("its crew in")
        for member in expedition.crew:
            people.setdefault(member.slug, []).append(expedition.number)
            pairs = missions.setdefault(member.launched_on_slug, [])
            if (expedition.number, crew_in) not in pairs:
                pairs.append((expedition.number, crew_in))
    return people, missions


def _people(expedition_numbers: dict) -> tuple[Entry, ...]:
    entries = []
    for person in Person.objects.select_related("agency").prefetch_related("aliases"):
        detail = _agency(person.agency.name)
        # Not 'Беларусь · Беларусь': in Russian the nationality is said as the country.
        if person.nationality and nationality_name(person.nationality) != agency_name(person.agency.name):
            detail += format_html(" · {}", _foreign(nationality_name(person.nationality)))
        # The entry's own name is the one in the reader's script ('Анна Кикина' on Russian
        # pages); the canonical spelling and the aliases lead to it as other spellings.
        title = person.reader_name
        also = gettext("also spelled")
        others = [person.name, *(a.alias for a in person.aliases.all())] if title != person.name else []
        spellings = (
            Spelling.of(title),
            *(Spelling.of(name, also) for name in dict.fromkeys(others) if name != title),
            *(Spelling.of(a.alias, also) for a in person.aliases.all() if title == person.name),
            *expedition_spellings(expedition_numbers.get(person.slug, ()), gettext("crew of")),
        )
        entries.append(Entry("person", title, person.get_absolute_url(), detail, spellings, natural_key(title)))
    return tuple(entries)


def _missions(expedition_pairs: dict) -> tuple[Entry, ...]:
    entries = []
    for mission in Mission.objects.select_related("family", "spacecraft"):
        vehicle = f"{mission.family.name} {mission.spacecraft.name}" if mission.spacecraft else mission.family.name
        detail = mark_safe(
            escape(gettext("%(vehicle)s · %(status)s · launch %(when)s"))
            % {
                "vehicle": _foreign(vehicle),
                "status": escape(mission.get_status_display()),
                "when": escape(_unbroken(mission.describe("launch"))),
            }
        )
        title = mission.reader_name
        entries.append(
            Entry(
                "mission",
                title,
                mission.get_absolute_url(),
                detail,
                (
                    Spelling.of(title),
                    *((Spelling.of(mission.name, gettext("also spelled")),) if title != mission.name else ()),
                    *(
                        s
                        for n, note in expedition_pairs.get(mission.slug, ())
                        for s in expedition_spellings((n,), note)
                    ),
                ),
                natural_key(title),
            )
        )
    return tuple(entries)


def _vehicles() -> tuple[Entry, ...]:
    entries = []
    for family in VehicleFamily.objects.select_related("operator").prefetch_related("craft"):
        detail = mark_safe(
            escape(
                ngettext(
                    "%(seats)s seat · operated by %(operator)s",
                    "%(seats)s seats · operated by %(operator)s",
                    family.seats,
                )
            )
            % {"seats": family.seats, "operator": _agency(family.operator.name)}
        )
        if family.builder:
            detail = mark_safe(
                escape(gettext("Built by %(builder)s · %(detail)s"))
                % {"builder": _foreign(family.builder), "detail": detail}
            )
        # 'Союз МС' finds Soyuz MS on Russian pages (the family's name as its missions' are written).
        cyrillic = Mission(name=f"{family.name}-").reader_name.removesuffix("-")
        spellings = (
            Spelling.of(family.name),
            *((Spelling.of(cyrillic, gettext("also spelled")),) if cyrillic != family.name else ()),
            *(Spelling.of(craft.name, pgettext("search: found by", "spacecraft")) for craft in family.craft.all()),
            *((Spelling.of(family.builder, pgettext("search: found by", "built by")),) if family.builder else ()),
        )
        entries.append(
            Entry("vehicle", family.name, family.get_absolute_url(), detail, spellings, natural_key(family.name))
        )
    return tuple(entries)


def _expeditions(expeditions) -> tuple[Entry, ...]:
    entries = []
    for expedition in expeditions:
        start = expedition.start_moment
        began_with = _reader_mission_name(expedition.began_with)
        if start is None:
            began = gettext("Began before the record")
        elif expedition.expected:
            began = gettext("Begins when %(mission)s undocks, %(when)s") % {
                "mission": began_with,
                "when": _unbroken(start.text),
            }
        else:
            began = gettext("Began %(when)s, when %(mission)s undocked") % {
                "mission": began_with,
                "when": _unbroken(start.text),
            }
        if expedition.end_moment:
            ended = gettext("ended %(when)s") % {"when": _unbroken(expedition.end_moment.text)}
        else:
            ended = gettext("under way")
        title = gettext("Expedition %(number)s") % {"number": expedition.number}
        crew = ngettext("%(count)s crew in the record", "%(count)s crew in the record", len(expedition.crew))
        detail = f"{began} · {ended} · {crew % {'count': len(expedition.crew)}}"
        url = f"{reverse('record:expeditions')}#{expedition.anchor}"
        entries.append(
            Entry("expedition", title, url, detail, expedition_spellings((expedition.number,)), (expedition.number,))
        )
    return tuple(entries)


def _reader_mission_name(name: str) -> str:
    """A mission's name (as the expeditions give it) in the reader's script."""
    return Mission(name=name).reader_name if name else name


def build_index() -> RecordSearchIndex:
    expeditions = iss_expeditions.expeditions()
    people, missions = _expedition_links(expeditions)
    return RecordSearchIndex(
        people=_people(people),
        missions=_missions(missions),
        vehicles=_vehicles(),
        expeditions=_expeditions(expeditions),
    )


_lock = threading.Lock()
_cached: dict[tuple[str, str], RecordSearchIndex] = {}


def current_index() -> RecordSearchIndex:
    """The index for the record as it is now, in the active language (titles, details and
    notes are in the reader's language and script); rebuilt only after the record changed."""
    version = record_version()
    key = (version, translation.get_language() or "")
    with _lock:
        if key not in _cached:
            if any(cached_version != version for cached_version, _ in _cached):
                _cached.clear()
            _cached[key] = build_index()
        return _cached[key]
