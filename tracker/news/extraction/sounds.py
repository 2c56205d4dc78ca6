"""Latin names written in Cyrillic: "Фрэнк Рубио", "Сунита Уильямс", "Ник Хейг".

Russian news spells a foreign name as it sounds, and there is more than one way to do it
("Франсиско" and "Франциско", "Уильямс" and "Вильямс"), so no list of spellings can be
complete. Instead both sides are reduced to a key of the consonants a reader hears: the
Cyrillic word is transliterated to Latin letters, and then the same rules apply to it and to
the record's Latin name (digraphs to one sound, soft "c" to "s", "w" and the vowels out,
doubled letters once; "w" is also tried as "v", for Japanese and German names). "Williams" and "Уильямс" both give "lms"; "Francisco" and
"Франциско" both give "frnsk".

A Cyrillic given name and surname count as a person when their keys equal the keys of one
of that person's Latin full names, and of no other person's. A Cyrillic surname alone is
offered as a short form, which counts only under the rules in names.py (the article names
the person in full). Case endings are tried off ("Уильямсу", "Хейгом", "Фрэнком").
"""

import re
from collections import defaultdict
from collections.abc import Iterable

from .spellings import ENDINGS

_CYRILLIC_TO_LATIN = {
    **dict(zip("абвгдезийклмнопрстуфхыэ", "abvgdeziyklmnoprstufhye", strict=True)),
    "ж": "zh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ю": "yu",
    "я": "ya",
    "ъ": "",
    "ь": "",
}
# Applied in order to the lower-cased Latin letters.
_SOUNDS = [
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"sch|shch|sh"), "s"),
    (re.compile(r"zh"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"th"), "t"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ch"), "c"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"t[sz]"), "s"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"[cq]"), "k"),
    (re.compile(r"j"), "z"),
    (re.compile(r"v"), "f"),
    (re.compile(r"h$"), ""),
    (re.compile(r"[^a-z]|[aeiouyw]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]
_CAPITALISED = re.compile(r"(?<![\w'-])[А-Я](?:[а-я]+(?:-[А-Я][а-я]+)?|'[А-Я][а-я]+)(?![\w'-])")  # О'Хара
_CYRILLIC = re.compile(r"[а-яА-Я]")
_LATIN_NAME = re.compile(r"[A-Za-z' -]+")


def sound_key(latin: str, *, w_as_v: bool = False) -> str:
    """The consonants of a Latin spelling; `w_as_v` reads "w" as Russian does in names from
    German or Japanese (Furukawa: Фурукава), not as in English ones (Williams: Уильямс)."""
    key = latin.lower()
    if w_as_v:
        key = key.replace("w", "v")
    for pattern, replacement in _SOUNDS:
        key = pattern.sub(replacement, key)
    return key


def to_latin(cyrillic: str) -> str:
    return "".join(_CYRILLIC_TO_LATIN.get(char, char) for char in cyrillic.lower())


class SoundIndex:
    """The people's Latin full names by sound, for finding them written in Cyrillic."""

    def __init__(self, people: Iterable[tuple[str, Iterable[str]]]):
        """`people`: (record name, Latin full spellings) pairs."""
        self._full: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._surname: dict[str, set[str]] = defaultdict(set)
        self._keys: dict[str, frozenset[str]] = {}
        for name, spellings in people:
            for spelling in spellings:
                words = spelling.split()
                if len(words) < 2 or not _LATIN_NAME.fullmatch(spelling):
                    continue
                for w_as_v in (False, True):
                    given, surname = sound_key(words[0], w_as_v=w_as_v), sound_key(" ".join(words[1:]), w_as_v=w_as_v)
                    if given and len(surname) >= 2:
                        self._full[(given, surname)].add(name)
                    if len(surname) >= 3:  # alone, a key of two sounds would match too many words
                        self._surname[surname].add(name)

    def _word_keys(self, word: str) -> frozenset[str]:
        """The keys of a Cyrillic word as it stands and without each case ending it may carry."""
        keys = self._keys.get(word)
        if keys is None:
            lower = word.lower()
            stems = [lower] + [lower[: -len(e)] for e in ENDINGS if lower.endswith(e) and len(lower) - len(e) >= 2]
            keys = frozenset(sound_key(to_latin(stem)) for stem in stems)
            if len(self._keys) < 50_000:
                self._keys[word] = keys
        return keys

    def find(self, text: str, taken: list[tuple[int, int]]) -> tuple[list[tuple[int, int, str]], list]:
        """(full names found: (start, end, person)), (surnames alone: (start, end, people)) in
        the Cyrillic words of `text` outside the `taken` spans."""
        if not self._full or not _CYRILLIC.search(text):
            return [], []
        words = [m for m in _CAPITALISED.finditer(text) if not any(a < m.end() and m.start() < b for a, b in taken)]
        full, alone, used = [], [], set()
        for first, second in zip(words, words[1:], strict=False):
            if first.start() in used or not text[first.end() : second.start()].isspace():
                continue
            people = {
                name
                for given in self._word_keys(first[0])
                for surname in self._word_keys(second[0])
                for name in self._full.get((given, surname), ())
            }
            if len(people) == 1:
                full.append((first.start(), second.end(), people.pop()))
                used |= {first.start(), second.start()}
        for word in words:
            if word.start() not in used:
                people = {name for key in self._word_keys(word[0]) for name in self._surname.get(key, ())}
                if people:
                    alone.append((word.start(), word.end(), people))
        return full, alone
