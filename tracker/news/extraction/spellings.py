"""The spellings under which the press names each thing in the record.

Every spelling becomes a sequence of regex atoms (for the trie) and a key (to find what a
matched text stands for). Spellings are derived from the record's names generically:

- missions: the name, and each shorter tail of it that still carries a serial number
  ("Soyuz MS-22" → "MS-22"; "SpaceX Crew-5" → "Crew-5") or has three or more words
  ("Boeing Crew Flight Test" → "Crew Flight Test", "CFT"); a hyphen may also be a space
  ("Crew 5"); word-for-word Russian when every word has one ("Союз МС-22").
- people: the name and every alias in full, also with a nickname or a patronymic inside
  ('Barry "Butch" Wilmore', "Олег Валерьевич Кононенко"), with a short given name ("Jon" for Jonathan: HYPOCORISMS), with Latin variants
  at the ends ("Sergei", "Novitskiy", "Jasmine": latin_variants), and with part of a double
  surname ("Tracy Dyson", "Sultan Neyadi"). The last word, the parts of a double surname
  and the tail after the first word of a three-word name are *short* spellings, the given
  names and nicknames *given* ones; both count only under the rules in `names.py`. A
  one-word alias ("Кикина") is short too.
- vehicles: a family's name in full ("Soyuz MS", "Союз МС"); its short form without a
  trailing designator or a leading "Crew" ("Soyuz", "Dragon"), short; a craft by family
  plus craft ("Crew Dragon Endurance", 'Dragon "Endurance"'); the craft's name alone
  ("Endurance") is short, as it is an ordinary word too.

Cyrillic words also match in their case forms: the trie holds the stem and a shared
optional ending ("Кикин" + а/ой/у/ы…, "Прокопьев" + а/у/ым/е…, "Серге" + й/я/ю/ем…).
"""

import re
from dataclasses import dataclass

from .trie import literal_atoms

MISSION, PERSON, VEHICLE = "mission", "person", "vehicle"

SPACE = r"[\s-]+"  # "Soyuz MS", "Soyuz-MS"
HYPHEN = r"[-\s]"  # "Crew-5", "Crew 5"
QUOTE = "[\"']?"  # a craft's name may be quoted: Crew Dragon "Endeavour"
# A nickname between given name and surname: Barry "Butch" Wilmore, Francisco (Frank) Rubio.
# Or a Russian patronymic: Олег Валерьевич Кононенко, Анной Юрьевной Кикиной.
PATRONYMIC = r"[А-Я][а-я]+(?:ович|евич|ьич|овн|евн|ичн)[а-я]{0,3}"
NICKNAME = rf"""(?:\s+(?:["'(][^\W\d_][\w.-]*["')]|{PATRONYMIC}))?"""
NICKNAME_TEXT = re.compile(rf"""\s+(?:["'(][^\W\d_][\w.-]*["')]|{PATRONYMIC})(?=\s)""")
_MAY_HOLD_NICKNAME = re.compile(r"""["'(]|вич|ьич|вн|ичн""")
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
class Meaning:
    kind: str
    name: str
    short: bool = False  # a bare surname or vehicle short form: see names.py
    given: bool = False  # a given name or nickname alone ("Suni"): counts only after the full name


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


def atoms(spelling: str, *, nickname_slot: bool = False) -> list[str]:
    """Regex atoms for `spelling`; with `nickname_slot`, a quoted nickname may follow the first word."""
    result: list[str] = []
    for part in _PARTS.split(spelling):
        if not part:
            continue
        if part.isspace():
            if nickname_slot and SPACE not in result:
                result.append(NICKNAME)
            result.append(SPACE)
        elif part == "-":
            result.append(HYPHEN)
        elif inflects(part):
            result += [*literal_atoms(nominative_stem(part)), ENDING]
        else:
            result += [QUOTE if char == '"' else atom for char, atom in zip(part, literal_atoms(part), strict=True)]
    return result


_WORD_SPLIT = re.compile(r"[\s-]+")


def words(spelling: str) -> list[str]:
    """The words of a spelling or matched text, nickname and quotes left out."""
    if not _MAY_HOLD_NICKNAME.search(spelling):
        return [w for w in _WORD_SPLIT.split(spelling) if w]
    return [w.strip("\"'") for w in _WORD_SPLIT.split(NICKNAME_TEXT.sub("", spelling)) if w.strip("\"'")]


def form_key(spelling: str) -> str:
    return " ".join(nominative_stem(p) if inflects(p) else p for p in words(spelling))


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


# Short forms of given names the English-language press uses in place of the full one.
# (A nickname proper, "Butch" or "Woody", is an alias in the record.)
HYPOCORISMS = {
    "Alexander": ("Alex",),
    "Andrew": ("Andy", "Drew"),
    "Christopher": ("Chris",),
    "Daniel": ("Dan",),
    "Donald": ("Don",),
    "Edward": ("Ed",),
    "Francisco": ("Frank", "Paco"),
    "James": ("Jim",),
    "Jessica": ("Jess",),
    "Jonathan": ("Jon", "Jonny"),
    "Joseph": ("Joe",),
    "Joshua": ("Josh",),
    "Matthew": ("Matt",),
    "Michael": ("Mike",),
    "Nicholas": ("Nick",),
    "Richard": ("Rick",),
    "Robert": ("Bob", "Rob"),
    "Stephen": ("Steve",),
    "Steven": ("Steve",),
    "Thomas": ("Tom",),
    "Timothy": ("Tim",),
    "William": ("Bill",),
}
# Latin spellings of Russian names vary at the ends: Sergey/Sergei, Dmitry/Dmitri/Dmitriy,
# Nikolai/Nikolay, Novitsky/Novitskiy, Prokopyev/Prokopiev.
_LATIN_ENDINGS = (("skiy", "sky", "ski"), ("ey", "ei"), ("ay", "ai"), ("iy", "y", "i"), ("yev", "iev"), ("yov", "yev"))
_LATIN_WORD = re.compile(r"[A-Z][a-z]+")


def latin_variants(word: str) -> set[str]:
    """`word` and its other Latin spellings at the end (see _LATIN_ENDINGS)."""
    variants = {word}
    if not _LATIN_WORD.fullmatch(word):
        return variants
    for group in _LATIN_ENDINGS:
        for ending in group:
            if word.endswith(ending) and len(word) > len(ending) + 2:
                variants |= {word[: -len(ending)] + other for other in group}
                break
        else:
            continue
        break
    if word.endswith("ne"):
        variants.add(word[:-1])  # Jasmine/Jasmin, Anne/Ann
    elif word.endswith("n") and len(word) >= 5:
        variants.add(word + "e")
    return variants


@dataclass
class PersonSpellings:
    full: set[str]  # "Frank Rubio", "Tracy Dyson": count anywhere
    short: set[str]  # "Rubio", "Caldwell Dyson": count under the rules in names.py
    given: set[str]  # "Frank", "Suni": count once the article names the person in full


def person_spellings(name: str, aliases: tuple[str, ...]) -> PersonSpellings:
    found = PersonSpellings(set(), set(), set())
    for spelling in (name, *aliases):
        words_ = spelling.split()
        if len(words_) == 1:
            found.short.add(spelling)
            continue
        given, surname = words_[0], words_[1:]
        surnames = [" ".join(surname), surname[-1]]
        if spelling == name and len(surname) > 1:
            surnames += surname[:-1]  # "Tracy Caldwell" for Tracy Caldwell Dyson
        for part in surname[-1].split("-"):
            if part != surname[-1] and len(part) >= 4 and part[:1].isupper():
                surnames.append(part)  # "Neyadi" for Al-Neyadi, "Sverchkov" for Kud-Sverchkov
        givens = {v for g in (given, *HYPOCORISMS.get(given, ())) for v in latin_variants(g)}
        found.given |= givens
        for last in surnames:
            found.full |= {f"{g} {v}" for g in givens for v in latin_variants(last)}
        found.short |= {v for last in surnames[1:] for v in latin_variants(last)}
        if len(surname) > 1:
            found.short.add(" ".join(surname))
    found.full.add(name)
    return found


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
