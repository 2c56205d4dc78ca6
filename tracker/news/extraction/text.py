"""Text helpers: one normalisation that keeps offsets, sentences, language, evidence."""

import bisect
import re

# One character in, one character out, so offsets found in the normalised text are
# offsets in the original too: dashes to "-", odd spaces to " ", curly quotes to
# straight ones, "ё" to "е" (Russian press writes "Пётр" and "Петр" alike), and "İ" to "I"
# so that str.lower() keeps the length as well.
_REPLACEMENTS = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00a0\u2002\u2003\u2007\u2008\u2009\u200a\u202f\u3000", " "),
    **dict.fromkeys("\u2018\u2019\u02bc\u0060\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u00ab\u00bb", '"'),
    "ё": "е",
    "Ё": "Е",
    "\u0130": "I",
}
_SPECIAL = re.compile("[" + "".join(_REPLACEMENTS) + "]")


def normalise(text: str) -> str:
    # str.translate looks every character up in a dict; a regex finds the few that change.
    return _SPECIAL.sub(lambda match: _REPLACEMENTS[match[0]], text)


# A line break ends a sentence (pages put headlines, captions and menu items on lines of
# their own) unless the text plainly runs on: the line ends in , ; : ( or the next line
# starts in lower case (a hard-wrapped paragraph).
_BOUNDARY = re.compile(
    r"""
    [.!?…\n]                                # every boundary starts at one of these (a fast scan)
    (?:
        (?<=\n)\s*                            # a line break (judged in _is_boundary)
      | ["')\]]*[ \t]+(?=["'(\[]?[A-ZА-Я0-9])  # end punctuation, space, then a capital
    )
    """,
    re.VERBOSE,
)
# "Sept. 21", "Dr. Kikina", "K.E. Tsiolkovsky", "U.S. astronaut", "2022 г. в": not an end.
_ABBREVIATIONS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "capt",
        "cmdr",
        "gov",
        "sen",
        "rep",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "approx",
        "est",
        "u.s",
        "u.k",
        "u.n",
        "г",
        "гг",
        "им",
        "т.е",
        "т.д",
        "т.п",
        "ул",
    ]
)
_WORD_BEFORE_DOT = re.compile(r"([\w.]+)\.[\"')\]]*\s*$")


def _is_abbreviation(text: str, end: int) -> bool:
    match = _WORD_BEFORE_DOT.search(text, max(0, end - 12), end)
    if match is None:
        return False
    word = match[1].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or bool(re.fullmatch(r"(?:\w\.)+\w", word))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, surrounding space excluded."""
    spans, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        if not _is_boundary(text, boundary):
            continue
        end = boundary.start() + len(boundary[0].rstrip())
        spans.append((start, end))
        start = boundary.end()
    spans.append((start, len(text)))
    return [_strip(text, a, b) for a, b in spans if not text[a:b].isspace() and a < b]


def _is_boundary(text: str, boundary: re.Match) -> bool:
    if boundary[0][0] != "\n":
        return boundary[0][0] != "." or not _is_abbreviation(text, boundary.start() + 1)
    if boundary[0].count("\n") > 1:
        return True
    before, after = text[boundary.start() - 1 : boundary.start()], text[boundary.end() : boundary.end() + 1]
    return before not in (",", ";", ":", "(") and not (after.islower() and after.isalpha())


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str) -> list[str]:
    """The sentences of a page or article, each on one line, in order."""
    return [squash(text[a:b]) for a, b in sentence_spans(text)]


class Sentences:
    """The sentences of one text, to find the one around an offset quickly."""

    def __init__(self, text: str):
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [start for start, _ in self.spans]

    def index_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._starts, offset) - 1)


_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def evidence(text: str, span: tuple[int, int], focus: tuple[int, int], limit: int = 300) -> str:
    """The sentence `span` of `text` on one line, cut to `limit` characters around `focus`."""
    start, end = span
    if end - start <= limit:
        return squash(text[start:end])
    room = max(0, limit - 2 - (focus[1] - focus[0]))
    left = max(start, focus[0] - room // 2)
    right = min(end, left + limit - 2)
    left = max(start, right - (limit - 2))
    return ("…" if left > start else "") + squash(text[left:right]) + ("…" if right < end else "")


_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")
_LATIN = re.compile(r"[a-zA-Z]")


def detect_language(text: str) -> str:
    """ "ru" when most letters are Cyrillic, else "en"."""
    cyrillic = len(_CYRILLIC.findall(text))
    return "ru" if cyrillic > len(_LATIN.findall(text)) else "en"
