"""Finding the record's missions, people and vehicles in a text.

Ambiguity rules (a wrong link is worse than a missed one — an editor reviews what we
propose, but nobody reviews what we silently failed to link):

- Full spellings always count: "Soyuz MS-22", "MS-22", "Crew 5", "Sergei Prokopyev",
  "Анной Кикиной", "Crew Dragon Endurance". Matches end at word boundaries, so "MS-2"
  never matches inside "MS-22" and "Crew-1" never inside "Crew-10".
- A bare surname ("Rubio", "Кикиной") counts when the same article names that person in
  full somewhere (if it names two people with that surname, it counts for neither), or
  when the surname belongs to one person only in the record and a title comes right before
  it ("cosmonaut Prokopyev", "astronaut Frank Rubio", "космонавта Кикиной"). So "Williams"
  alone never picks one of the two Williamses, and "Mann" in "Thomas Mann" is nobody.
  Part of a double surname ("Dyson", "Sverchkov") is a bare surname too.
- Full names come in other forms (spellings.py): a nickname inside ('Barry "Butch" Wilmore'),
  a short given name ("Jon Kim", "Jess Meir"), Latin variants ("Sergei", "Jasmine"), a
  double surname in part ("Tracy Dyson"), and Latin names written in Cyrillic ("Ника
  Хейга", sounds.py).
- A given name or nickname alone ("Suni", "Butch", "Frank") counts only when the article
  names that person in full and no other person it names has that given name; never
  when a capitalised word follows it ("Frank Sinatra") or as "Don't".
- A surname is never the crew member's when an official's title comes before it ("Roscosmos
  chief Borisov", "глава Роскосмоса Юрий Борисов") or another given name does ("Yuri
  Borisov"), the same name in the record notwithstanding.
- A vehicle's short form ("Soyuz", "Dragon", "Союз") counts as its family when the article
  names the family in full (a mission named after it, "Soyuz MS-22", names it too) or the
  word sits next to a spacecraft noun ("Soyuz spacecraft", "корабль «Союз»"); never when it
  names a rocket ("Soyuz-2.1a", "Soyuz rocket"), a cargo craft ("Cargo Dragon") or a union
  ("Soviet Union" is "Советский Союз").
- A craft counts with its family's name ("Crew Dragon Endurance", "Dragon
  Endurance"); by its own name alone ("Endurance docked") only like a vehicle's short form:
  once the article names it with its family, or next to a spacecraft noun ("the capsule
  Endurance", "Endurance spacecraft"). "Endurance" and "Freedom" are ordinary words too.
  A mission or craft whose record name starts with a family's name ("Soyuz MS-22", "Crew
  Dragon Endurance") mentions that family too.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from . import spellings
from .sounds import SoundIndex
from .spellings import MISSION, PERSON, VEHICLE, Meaning
from .text import normalise
from .trie import trie_pattern

_TITLE_BEFORE = re.compile(
    r"(?i:\b(?:cosmonauts?|astronauts?|commander|flight\s+engineer|космонавт\w*|астронавт\w*|командир\w*|бортинженер\w*))"
    r"[\s,]+(?:[A-ZА-Я][\w.'-]*\s+)?$"
)
# An official who shares a surname with a crew member: "Roscosmos chief Yuri Borisov",
# "head of Roscosmos Borisov", "глава Роскосмоса Юрий Борисов", "гендиректор Борисов".
_OFFICIAL_BEFORE = re.compile(
    r"(?i:\b(?:chief|head|director(?:\s+general)?|director-general|administrator|minister|president|premier|"
    r"spokes(?:man|woman|person)|secretary|ceo|chairman|governor|senator)"
    r"|(?<!\w)(?:глав[аеыуой]|гендиректор\w*|генеральн\w+\s+директор\w*|директор\w*|руководител\w*|"
    r"министр\w*|президент\w*|председател\w*|пресс-секретар\w*))"
    r"(?:\s+(?:of\s+(?:the\s+)?)?[\w'-]+){0,3}?[\s,]+(?:[A-ZА-Я][\w.'-]*\s+)?$"
)
# Words that may stand capitalised right before a surname without being a given name.
_NOT_GIVEN_NAMES = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "in",
        "of",
        "on",
        "the",
        "then",
        "when",
        "while",
        "with",
        "after",
        "before",
        "if",
        "so",
        "also",
        "nasa",
        "esa",
        "jaxa",
        "roscosmos",
        "russian",
        "american",
        "japanese",
        "cosmonaut",
        "astronaut",
        "commander",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "и",
        "а",
        "но",
        "в",
        "во",
        "на",
        "с",
        "со",
        "к",
        "о",
        "у",
        "по",
        "за",
        "из",
        "от",
        "до",
        "для",
        "при",
        "космонавт",
        "астронавт",
        "командир",
    ]
)
_WORD_BEFORE = re.compile(r"([A-ZА-Я][a-zа-я'-]+)\s$")
_OTHER_SURNAME_AFTER = re.compile(rf" (?!{spellings.PATRONYMIC})[A-ZА-Я][a-zа-я]")
_PATRONYMIC = re.compile(spellings.PATRONYMIC)
_CONTRACTION_AFTER = re.compile(r"'t\b")
_CRAFT_NOUN_AFTER = re.compile(r"""[\s"]+(?:spacecraft|capsule|crew\s+ship|ship|crew\s+vehicle|корабл\w*)\b""")
_CRAFT_NOUN_BEFORE = re.compile(r"""(?i:\b(?:spacecraft|capsule|корабл\w*|капсул\w*))\s+"?$""")
_NOT_THE_CRAFT_AFTER = re.compile(
    r"""-\w|[\s"]+(?:rockets?|boosters?|launchers?|launch\s+vehicles?|carrier\s+rockets?)\b"""
)
_NOT_THE_CRAFT_BEFORE = re.compile(
    r"""(?i:\b(?:cargo|soviet|european|грузов\w*|советск\w*|европейск\w*|ракет\w*))\s+"?$"""
)


@dataclass(frozen=True)
class Occurrence:
    start: int
    end: int
    kind: str
    name: str


class NameMatcher:
    """Built once per KnownNames; `find` is then one regex pass plus a dictionary lookup per hit."""

    def __init__(self, missions: Iterable, people: Iterable, vehicles: Iterable):
        self._lookup: dict[str, set[Meaning]] = defaultdict(set)
        self._spellings: list[list[str]] = []
        self._stems: set[str] = set()
        self._keys: dict[str, str] = {}
        self._add_missions(missions)
        self._add_people(people)
        self._add_vehicles(vehicles)
        self._families_of = self._implied_families(missions, vehicles)
        pattern = trie_pattern(self._spellings)
        self._regex = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)") if pattern else None

    # --- building --------------------------------------------------------------------

    def _add(self, spelling: str, entry: Meaning) -> None:
        spelling = normalise(spelling.strip())
        if not spelling:
            return
        self._lookup[spellings.form_key(spelling)].add(entry)
        nickname_slot = entry.kind == PERSON and not entry.short and not entry.given
        self._spellings.append(spellings.atoms(spelling, nickname_slot=nickname_slot))
        for part in spellings.words(spelling):
            if spellings.inflects(part):
                self._stems.add(spellings.nominative_stem(part))

    def _add_missions(self, missions: Iterable) -> None:
        for mission in missions:
            for spelling in {s for name in (mission.name, *mission.aliases) for s in spellings.mission_spellings(name)}:
                self._add(spelling, Meaning(MISSION, mission.name))

    def _add_people(self, people: Iterable) -> None:
        latin = []
        for person in people:
            forms = spellings.person_spellings(person.name, person.aliases)
            latin.append((person.name, forms.full))
            for spelling in forms.full:
                self._add(spelling, Meaning(PERSON, person.name))
            for spelling in forms.short - forms.full:
                self._add(spelling, Meaning(PERSON, person.name, short=True))
            for spelling in forms.given - forms.short - forms.full:
                self._add(spelling, Meaning(PERSON, person.name, short=True, given=True))
        self._sounds = SoundIndex(latin)

    def _add_vehicles(self, vehicles: Iterable) -> None:
        vehicles = list(vehicles)
        families = [v.name for v in vehicles if spellings.family_of(v.name, [w.name for w in vehicles]) is None]
        for vehicle in vehicles:
            family = spellings.family_of(vehicle.name, families)
            for spelling in {vehicle.name, *vehicle.aliases}:
                self._add(spelling, Meaning(VEHICLE, vehicle.name))
                if ru := spellings.russian(spelling):
                    self._add(ru, Meaning(VEHICLE, vehicle.name))
            if family is None:
                for short in spellings.family_short_forms(vehicle.name):
                    self._add(short, Meaning(VEHICLE, vehicle.name, short=True))
            else:
                craft = vehicle.name[len(family) :].strip(" -")
                for short in {family, *spellings.family_short_forms(family)}:
                    self._add(f'{short} "{craft}"', Meaning(VEHICLE, vehicle.name))
                # "Endurance docked": the craft's own name counts only as a short form.
                self._add(f'"{craft}"', Meaning(VEHICLE, vehicle.name, short=True))

    @staticmethod
    def _implied_families(missions: Iterable, vehicles: Iterable) -> dict[str, str]:
        names = [v.name for v in vehicles]
        families = [name for name in names if spellings.family_of(name, names) is None]
        implied = {}
        for name in [m.name for m in missions] + names:
            if family := spellings.family_of(name, families):
                implied[name] = family
        return implied

    # --- matching --------------------------------------------------------------------

    def key(self, matched: str) -> str:
        # The same few spellings match again and again: remember their keys (bounded).
        key = self._keys.get(matched)
        if key is None:
            key = " ".join(self._stem(part) for part in spellings.words(matched))
            if len(self._keys) < 50_000:
                self._keys[matched] = key
        return key

    def _stem(self, word: str) -> str:
        if not spellings.inflects(word) or word in self._stems:
            return word
        for cut in (1, 2, 3):
            if word[-cut:] in spellings.ENDINGS and word[:-cut] in self._stems:
                return word[:-cut]
        return word

    def find(self, text: str) -> list[Occurrence]:
        """Every occurrence of a record name in `text` (already normalised), in order."""
        if self._regex is None:
            return []
        hits = [(m.start(), m.end(), self._lookup.get(self.key(m[0]), set())) for m in self._regex.finditer(text)]
        found = [occ for start, end, entries in hits for occ in self._full(start, end, entries)]
        by_sound, alone = self._sounds.find(text, [(start, end) for start, end, _ in hits])
        found += [Occurrence(start, end, PERSON, name) for start, end, name in by_sound]
        named = {(occ.kind, occ.name) for occ in found}
        for start, end, entries in hits:
            if not any(not entry.short for entry in entries):
                found += self._short(text, start, end, entries, named)
        for start, end, people in alone:
            entries = {Meaning(PERSON, name, short=True) for name in people}
            if person := self._short_person(text, start, end, entries, named):
                found.append(Occurrence(start, end, PERSON, person))
        return sorted(found, key=lambda occ: (occ.start, occ.kind))

    def _full(self, start: int, end: int, entries: set[Meaning]) -> list[Occurrence]:
        by_kind: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            if not entry.short:
                by_kind[entry.kind].add(entry.name)
        found = [Occurrence(start, end, kind, names.pop()) for kind, names in by_kind.items() if len(names) == 1]
        return found + [
            Occurrence(start, end, VEHICLE, self._families_of[occ.name])
            for occ in found
            if occ.name in self._families_of
        ]

    def _short(self, text: str, start: int, end: int, entries: set[Meaning], named: set) -> list[Occurrence]:
        found = []
        person = self._short_person(text, start, end, entries, named)
        if person is not None:
            found.append(Occurrence(start, end, PERSON, person))
        vehicles = {entry.name for entry in entries if entry.kind == VEHICLE}
        if len(vehicles) == 1 and self._is_the_craft(text, start, end, (VEHICLE, next(iter(vehicles))) in named):
            found.append(Occurrence(start, end, VEHICLE, vehicles.pop()))
        return found

    @staticmethod
    def _short_person(text: str, start: int, end: int, entries: set[Meaning], named: set) -> str | None:
        """A surname or given name alone: see the module's rules; never an official or a namesake."""
        people = {entry.name for entry in entries if entry.kind == PERSON}
        if not people or _OFFICIAL_BEFORE.search(text, max(0, start - 60), start):
            return None
        given = all(entry.given for entry in entries if entry.kind == PERSON)
        if given and (_OTHER_SURNAME_AFTER.match(text, end) or _CONTRACTION_AFTER.match(text, end)):
            return None  # "Frank Sinatra", "Don't"
        titled = bool(_TITLE_BEFORE.search(text, max(0, start - 60), start))
        if not given and not titled and _is_other_given_name(text, start):
            return None  # "Yuri Borisov" is not Konstantin Borisov
        named_people = {name for name in people if (PERSON, name) in named}
        if len(named_people) == 1:
            return named_people.pop()
        if (
            not given
            and not named_people
            and len(people) == 1
            and _TITLE_BEFORE.search(text, max(0, start - 60), start)
        ):
            return people.pop()
        return None

    @staticmethod
    def _is_the_craft(text: str, start: int, end: int, family_named: bool) -> bool:
        if _NOT_THE_CRAFT_AFTER.match(text, end) or _NOT_THE_CRAFT_BEFORE.search(text, max(0, start - 30), start):
            return False
        return (
            family_named
            or bool(_CRAFT_NOUN_AFTER.match(text, end))
            or bool(_CRAFT_NOUN_BEFORE.search(text, max(0, start - 30), start))
        )


def _is_other_given_name(text: str, start: int) -> bool:
    """Whether a capitalised word that is not a title or a function word stands right before
    a surname: another given name, so another person ("Yuri Borisov")."""
    match = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if match is not None and _PATRONYMIC.fullmatch(match[1]):
        # "Сергей Валерьевич Кононенко": the given name before the patronymic decides (had it
        # been this person's, the full name would have matched).
        match = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return match is not None and match[1].lower() not in _NOT_GIVEN_NAMES
