"""What a search query is once read: the text as typed (cleaned, at most MAX_LENGTH
characters) and its folded forms for matching (tracker/lib/folding.py)."""

import re
from dataclasses import dataclass

from tracker.lib.folding import clean, compact, fold

MIN_LENGTH = 2
MAX_LENGTH = 200
# Each word is one more term of the full-text query: a long pasted sentence must not turn
# into dozens of them.
MAX_WORDS = 8
# Quotation marks people type, in English, Russian and German typography.
_QUOTES = str.maketrans(dict.fromkeys("“”„«»", '"'))
_QUOTED = re.compile(r'"([^"]*)"')
# What the full-text indexes see as one word (tracker/news/fulltext.py splits alike).
_TOKEN = re.compile(r"[^\W_]+")
# Russian case and number endings (a light stem where the database has no Russian stemmer).
_RUSSIAN_ENDING = re.compile(
    r"(?:ями|ами|ого|его|ому|ему|ыми|ими|иях|ией|ой|ей|ий|ый|ая|яя|ое|ее|ую|юю|ом|ем|ам|ям|ах|ях|ов|ев|ия|ие|ы|и|а|я|о|е|у|ю|ь|й)$"
)
_CYRILLIC = re.compile(r"[а-яё]")


def index_words(text: str) -> str:
    """`text` as the full-text indexes split it, words joined by single spaces."""
    return " ".join(_TOKEN.findall(text))


def russian_stem(word: str) -> str:
    """A Russian word of five letters or more without its case ending ("стыковки" →
    "стыковк"), keeping at least four letters; any other word as it is."""
    if len(word) < 5 or not _CYRILLIC.search(word):
        return word
    stem = _RUSSIAN_ENDING.sub("", word)
    return stem if len(stem) >= 4 else word


@dataclass(frozen=True)
class SearchQuery:
    text: str  # as typed, cleaned and trimmed: shown back in the search box
    folded: str  # the phrase to find, quotation marks dropped
    words: tuple[str, ...]  # its distinct words, each of which a match must contain
    compact: str  # letters and digits only: "ms22" for "MS-22"
    phrases: tuple[str, ...] = ()  # what was typed in quotes: each must occur as written

    @property
    def blank(self) -> bool:
        return not self.folded

    @property
    def too_short(self) -> bool:
        return len(self.folded) < MIN_LENGTH

    @property
    def needles(self) -> tuple[str, ...]:
        """What to mark in a result, best first: the phrase, then each word, then the stem
        of each Russian word (search finds "стыковка" for "стыковки")."""
        words = (word for word in self.words if word != self.folded)
        stems = (stem for word in self.words if (stem := russian_stem(word)) != word)
        return tuple(dict.fromkeys((self.folded, *words, *stems)))

    @property
    def terms(self) -> tuple[str, ...]:
        """The words as the full-text index splits them: "ms-22" is "ms" and "22"."""
        return tuple(dict.fromkeys(_TOKEN.findall(" ".join(self.words))))[:MAX_WORDS]


def parse_query(raw: str) -> SearchQuery:
    """Any input gives a query (an over-long one is cut, odd characters are dropped)."""
    # Cut before cleaning too, so a megabyte of input costs no more than a long query.
    text = clean(raw[: MAX_LENGTH * 4])[:MAX_LENGTH].strip()
    quoted = fold(text).translate(_QUOTES)
    phrases = tuple(phrase for match in _QUOTED.findall(quoted) if _TOKEN.search(phrase := match.strip()))
    folded = " ".join(quoted.replace('"', " ").split())
    words = tuple(dict.fromkeys(folded.split()))[:MAX_WORDS]
    return SearchQuery(text=text, folded=folded, words=words, compact=compact(folded), phrases=phrases)
