"""The record as search sees it: each person, mission, vehicle and expedition as something
search can find (a `Findable`: title, link, a line of detail, every spelling folded), and
`match`, which ranks them for a query.

The record is small (dozens of people and missions, a handful of vehicles), so it is
matched in Python rather than in SQL: folding works the same whatever the database, and
ranking can look at word boundaries. The names and other spellings come from
record/names.py, as the news extractor's do; the rest of each row (agency, status, dates,
links) from a read of its own. The searchable record is built once per record version and
language (version.per_record_version; any save to the record moves the version on) and
shared by the requests of a process, so a search costs no query for these kinds."""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from tracker.lib.folding import compact, fold
from tracker.record import expeditions as iss_expeditions
from tracker.record.models import Mission, Person, VehicleFamily
from tracker.record.names import family_names, people_names
from tracker.record.reader_names import agency_name, nationality_name
from tracker.record.version import per_record_version

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
    """One way to find a findable: its name, an alias, a spacecraft's or builder's name."""

    label: str
    note: str  # "" for the findable's own name, else why this spelling leads to it
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
class Findable:
    """One thing in the record that search can find, as a result shows it."""

    kind: str  # "person", "mission", "vehicle" or "expedition"
    title: str
    url: str
    detail: str  # one line under the title: agency, vehicle and status, builder
    spellings: tuple[Spelling, ...]  # its own name first
    sort_key: tuple


@dataclass(frozen=True)
class Hit:
    findable: Findable
    rank: int
    spelling: Spelling  # the spelling that matched best

    @property
    def via(self) -> Spelling | None:
        """The other spelling that found this, when it was not the findable's own name."""
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


def match(findables: tuple[Findable, ...], query: SearchQuery) -> list[Hit]:
    """Every findable the query finds, best first; equal ranks in name order."""
    hits = []
    for findable in findables:
        spellings = findable.spellings
        ranked = [(rank, index) for index, s in enumerate(spellings) if (rank := s.rank(query)) is not None]
        if ranked:
            rank, index = min(ranked)
            hits.append(Hit(findable, rank, spellings[index]))
        elif len(query.words) > 1 and all(any(w in s.folded for s in spellings) for w in query.words):
            # "Butch Wilmore" for "Barry 'Butch' Wilmore": every word, not as one phrase.
            hits.append(Hit(findable, ALL_WORDS, spellings[0]))
    hits.sort(key=lambda hit: (hit.rank, hit.findable.sort_key))
    return hits


@dataclass(frozen=True)
class SearchableRecord:
    people: tuple[Findable, ...]
    missions: tuple[Findable, ...]
    vehicles: tuple[Findable, ...]
    expeditions: tuple[Findable, ...] = ()


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


def _findable_people(expedition_numbers: dict) -> tuple[Findable, ...]:
    # The aliases as the news extractor knows them; the row (agency, nationality, the name
    # in Russian, the link) from a read of its own.
    aliases = {person.pk: person.aliases for person in people_names()}
    findables = []
    for person in Person.objects.select_related("agency"):
        detail = _agency(person.agency.name)
        # Not 'Беларусь · Беларусь': in Russian the nationality is said as the country.
        if person.nationality and nationality_name(person.nationality) != agency_name(person.agency.name):
            detail += format_html(" · {}", _foreign(nationality_name(person.nationality)))
        # The person's own name is the one in the reader's script ('Анна Кикина' on Russian
        # pages); the canonical spelling and the aliases lead to it as other spellings.
        title = person.reader_name
        also = gettext("also spelled")
        others = [person.name, *aliases.get(person.pk, ())] if title != person.name else []
        spellings = (
            Spelling.of(title),
            *(Spelling.of(name, also) for name in dict.fromkeys(others) if name != title),
            *(Spelling.of(alias, also) for alias in aliases.get(person.pk, ()) if title == person.name),
            *expedition_spellings(expedition_numbers.get(person.slug, ()), gettext("crew of")),
        )
        findables.append(Findable("person", title, person.get_absolute_url(), detail, spellings, natural_key(title)))
    return tuple(findables)


def _findable_missions(expedition_pairs: dict) -> tuple[Findable, ...]:
    # Not record/names.py's mission names: a mission is shown with its vehicle, status and
    # launch, so its whole row is read, and its name with it.
    findables = []
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
        findables.append(
            Findable(
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
    return tuple(findables)


def _findable_vehicles() -> tuple[Findable, ...]:
    # The craft's names as the news extractor knows them; the row (seats, operator, builder,
    # the link) from a read of its own.
    craft = {family.pk: family.craft for family in family_names()}
    findables = []
    for family in VehicleFamily.objects.select_related("operator"):
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
            *(Spelling.of(name, pgettext("search: found by", "spacecraft")) for name in craft.get(family.pk, ())),
            *((Spelling.of(family.builder, pgettext("search: found by", "built by")),) if family.builder else ()),
        )
        findables.append(
            Findable("vehicle", family.name, family.get_absolute_url(), detail, spellings, natural_key(family.name))
        )
    return tuple(findables)


def _findable_expeditions(expeditions) -> tuple[Findable, ...]:
    findables = []
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
        findables.append(
            Findable("expedition", title, url, detail, expedition_spellings((expedition.number,)), (expedition.number,))
        )
    return tuple(findables)


def _reader_mission_name(name: str) -> str:
    """A mission's name (as the expeditions give it) in the reader's script."""
    return Mission(name=name).reader_name if name else name


def build_searchable_record() -> SearchableRecord:
    expeditions = iss_expeditions.expeditions()
    people, missions = _expedition_links(expeditions)
    return SearchableRecord(
        people=_findable_people(people),
        missions=_findable_missions(missions),
        vehicles=_findable_vehicles(),
        expeditions=_findable_expeditions(expeditions),
    )


def _active_language() -> str:
    return translation.get_language() or ""


@per_record_version(also_by=_active_language)
def current_searchable_record() -> SearchableRecord:
    """The record as search sees it now, in the active language (titles, details and notes
    are in the reader's language and script); rebuilt only after the record changed."""
    return build_searchable_record()
