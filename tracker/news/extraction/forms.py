"""The spellings under which the press names each thing in the record.

Every spelling becomes a sequence of regex atoms (for the trie) and a key (to find what a
matched text stands for). Spellings are derived from the record's names generically:

- missions: the name, and each shorter tail of it that still carries a serial number
  ("Soyuz MS-22" → "MS-22"; "SpaceX Crew-5" → "Crew-5") or has three or more words
  ("Boeing Crew Flight Test" → "Crew Flight Test", "CFT"); a hyphen may also be a space
  ("Crew 5"); word-for-word Russian when every word has one ("Союз МС-22").
- people: the name and every alias in full; the last word (and the tail after the first
  word of a three-word name) as a *short* spelling, which only counts under the rules in
  `names.py`. A one-word alias ("Кикина") is short too.
- vehicles: a family's name in full ("Soyuz MS", "Союз МС"); its short form without a
  trailing designator or a leading "Crew" ("Soyuz", "Dragon"), short; a craft by family
  plus craft ("Crew Dragon Endurance", "Dragon Endurance") but never by the craft's name
  alone ("Endurance", "Freedom" are ordinary words).

Cyrillic words also match in their case forms: the trie holds the stem and a shared
optional ending ("Кикин" + а/ой/у/ы…, "Прокопьев" + а/у/ым/е…, "Серге" + й/я/ю/ем…).
"""

import re
from dataclasses import dataclass

from .trie import literal_atoms

MISSION, PERSON, VEHICLE = "mission", "person", "vehicle"

SPACE = r"[\s-]+"  # "Soyuz MS", "Soyuz-MS"
HYPHEN = r"[-\s]"  # "Crew-5", "Crew 5"
_ENDINGS = [
    "ого",
    "его",
    "ому",
    "ему",
    "ая",
    "ую",
    "ою",
    "ой",
    "ей",
    "ом",
    "ем",
    "ым",
    "им",
    "ий",
    "ый",
    "а",
    "я",
    "у",
    "ю",
    "е",
    "ы",
    "и",
    "й",
    "ь",
]
ENDING = "(?:" + "|".join(_ENDINGS) + ")?"
ENDINGS = frozenset(_ENDINGS)

# Word for word, as Russian news writes the names of these craft (the rest stay in Latin:
# "корабль Crew Dragon", "миссия Crew-5").
GLOSSARY = {"Soyuz": "Союз", "MS": "МС", "Progress": "Прогресс", "Starliner": "Старлайнер", "Dragon": "Дрэгон"}
_LEADING_GENERIC = frozenset({"Crew", "Cargo"})

_PARTS = re.compile(r"(\s+|-)")
_CYRILLIC_WORD = re.compile(r"[а-яА-Я]+")
_SERIAL = re.compile(r"[^\W\d_]+-?\d+\w*")  # MS-22, Crew-5, Ax4


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    short: bool = False  # a bare surname or vehicle short form: see names.py


def inflects(word: str) -> bool:
    """Cyrillic words other than abbreviations ("МС") change their endings."""
    return bool(_CYRILLIC_WORD.fullmatch(word)) and not (len(word) > 1 and word.isupper())


def nominative_stem(word: str) -> str:
    """The part of a Russian name that stays put when it declines."""
    lower = word.lower()
    if lower.endswith(("ский", "цкий", "ская", "цкая", "ый", "ой")) and len(word) > 4:
        return word[:-2]
    if lower.endswith(("ий", "ей", "ай", "ь")) or (lower.endswith(("а", "я")) and len(word) > 2):
        return word[:-1]
    return word


def atoms(spelling: str) -> list[str]:
    result: list[str] = []
    for part in _PARTS.split(spelling):
        if not part:
            continue
        if part.isspace():
            result.append(SPACE)
        elif part == "-":
            result.append(HYPHEN)
        elif inflects(part):
            result += [*literal_atoms(nominative_stem(part)), ENDING]
        else:
            result += literal_atoms(part)
    return result


def form_key(spelling: str) -> str:
    return " ".join(nominative_stem(p) if inflects(p) else p for p in re.split(r"[\s-]+", spelling) if p)


def russian(spelling: str) -> str | None:
    """The spelling word for word in Russian, if the glossary has every word."""
    parts = [GLOSSARY.get(p, p if p.isdigit() or not p.strip() or p == "-" else None) for p in _PARTS.split(spelling)]
    return None if None in parts or parts == _PARTS.split(spelling) else "".join(parts)


def mission_spellings(name: str) -> set[str]:
    words = name.split()
    spellings = {name}
    for first in range(1, len(words)):
        tail = words[first:]
        if any(_SERIAL.fullmatch(word) for word in tail) or len(tail) >= 3:
            spellings.add(" ".join(tail))
        if len(tail) >= 3 and all(word[:1].isupper() for word in tail):
            spellings.add("".join(word[0] for word in tail))
    return spellings | {ru for spelling in spellings if (ru := russian(spelling))}


def person_spellings(name: str, aliases: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(full spellings, short spellings) of a person."""
    full, short = set(), set()
    for spelling in (name, *aliases):
        words = spelling.split()
        if len(words) == 1:
            short.add(spelling)
            continue
        full.add(spelling)
        short.add(words[-1])
        if len(words) >= 3:
            short.add(" ".join(words[1:]))
    return full, short


def family_short_forms(family: str) -> set[str]:
    words = family.split()
    shorts = set()
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:
        shorts.add(" ".join(words[:-1]))  # "Soyuz MS" → "Soyuz"
    if len(words) > 1 and words[0] in _LEADING_GENERIC:
        shorts.add(" ".join(words[1:]))  # "Crew Dragon" → "Dragon"
    return shorts | {ru for short in shorts if (ru := russian(short))}


def family_of(name: str, families: list[str]) -> str | None:
    """The vehicle family a record name starts with ("Soyuz MS-22" → "Soyuz MS")."""
    for family in sorted(families, key=len, reverse=True):
        if name != family and name.startswith((family + " ", family + "-")):
            return family
    return None
