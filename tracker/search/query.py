"""What a search query is once read: the text as typed (cleaned, at most MAX_LENGTH
characters) and its folded forms for matching (tracker/lib/folding.py)."""

from dataclasses import dataclass

from tracker.lib.folding import clean, compact, fold

MIN_LENGTH = 2
MAX_LENGTH = 200
# Each word is one more LIKE over every article's text: a long pasted sentence must not
# turn into dozens of them.
MAX_WORDS = 8


@dataclass(frozen=True)
class SearchQuery:
    text: str  # as typed, cleaned and trimmed: shown back in the search box
    folded: str  # the phrase to find
    words: tuple[str, ...]  # its distinct words, each of which a match must contain
    compact: str  # letters and digits only: "ms22" for "MS-22"

    @property
    def blank(self) -> bool:
        return not self.folded

    @property
    def too_short(self) -> bool:
        return len(self.folded) < MIN_LENGTH

    @property
    def needles(self) -> tuple[str, ...]:
        """What to mark in a result, best first: the phrase, then each word."""
        return (self.folded, *(word for word in self.words if word != self.folded))


def parse_query(raw: str) -> SearchQuery:
    """Any input gives a query (an over-long one is cut, odd characters are dropped)."""
    # Cut before cleaning too, so a megabyte of input costs no more than a long query.
    text = clean(raw[: MAX_LENGTH * 4])[:MAX_LENGTH].strip()
    folded = fold(text)
    words = tuple(dict.fromkeys(folded.split()))[:MAX_WORDS]
    return SearchQuery(text=text, folded=folded, words=words, compact=compact(folded))
