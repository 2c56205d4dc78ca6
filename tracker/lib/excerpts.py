"""Short plain-text views of longer texts: an article's lead, or the passage around a
search match with the match marked.

Everything here returns plain strings; templates escape them like any other text."""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .folding import fold

_SPACES = re.compile(r"\s+")
# Long texts are searched a piece at a time, so the slow per-character mapping below only
# runs on the piece that holds the match. Pieces overlap by more than any query is long
# (queries are cut to 200 characters), so a match across a cut is still whole in one piece.
PIECE = 2000
OVERLAP = 500


@dataclass(frozen=True)
class Marked:
    """A text in three parts: before the match, the match, after it."""

    before: str
    match: str
    after: str


def lead(text: str, limit: int = 260) -> str:
    """The start of `text` on one line, cut at a word boundary near `limit` characters."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:  # a text of one huge "word" is cut mid-word instead
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _fold_with_origins(text: str) -> tuple[str, list[int]]:
    """fold(text) built one character at a time, with the index in `text` each folded
    character came from. It equals fold(text) except inside accents typed as separate
    combining characters, where the two may differ; a match there is then not marked."""
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origins.append(index)
            continue
        if char.isascii() and char.isalnum():
            piece = char.lower()
        elif char.isalnum() and unicodedata.is_normalized("NFKD", char) and (piece := char.casefold()).isalnum():
            pass  # a letter with nothing to decompose ("к", not "й" or "é"): what fold() makes of it, sooner
        else:
            piece = fold(char)
        chars.extend(piece)
        origins.extend([index] * len(piece))
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return "".join(chars), origins


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece): the lines of `text`, long lines cut into overlapping windows."""
    offset = 0
    for line in text.splitlines(keepends=True):
        if len(line) <= PIECE:
            yield offset, line
        else:
            for start in range(0, len(line), PIECE - OVERLAP):
                yield offset + start, line[start : start + PIECE]
                if start + PIECE >= len(line):
                    break
        offset += len(line)


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """The first place the folded `needle` occurs in `text`, as (start, end) in `text`."""
    if not needle:
        return None
    for offset, piece in _pieces(text):
        if needle not in fold(piece):
            continue
        for window_offset, window in _windows(piece, needle):
            if needle not in fold(window):
                continue
            folded, origins = _fold_with_origins(window)
            position = folded.find(needle)
            if position >= 0:
                start = offset + window_offset + origins[position]
                end = offset + window_offset + origins[position + len(needle) - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):  # an accent belongs to its letter
                    end += 1
                return start, end
    return None


def _windows(piece: str, needle: str) -> Iterator[tuple[int, str]]:
    """(offset, window): `piece` in windows a few hundred characters long, so the slow
    per-character mapping folds one of them, not the whole piece (a search results page
    marks fifty passages). They overlap by more than a match of `needle` can span (folding
    drops combining accents and invisible characters, so a match may be longer than it)."""
    overlap = 2 * len(needle) + 50
    size = overlap + 250
    for start in range(0, max(len(piece) - overlap, 1), size - overlap):
        yield start, piece[start : start + size]


def mark(text: str, needles: Iterable[str]) -> Marked | None:
    """`text` with the first of `needles` (folded) that it contains marked, or None."""
    for needle in needles:
        if span := locate(text, needle):
            start, end = span
            return Marked(text[:start], text[start:end], text[end:])
    return None


def passage(text: str, needles: Iterable[str], *, before: int = 80, after: int = 180) -> Marked:
    """The passage around the first of `needles` found in `text`, on one line, with the
    match marked; the text's lead when none is found (say, words matched across lines)."""
    span = None
    for needle in needles:
        if span := locate(text, needle):
            break
    if span is None:
        return Marked("", "", lead(text, before + after))
    start, end = span
    head = _SPACES.sub(" ", text[max(0, start - before) : start])
    if start > before:  # start at a word, not inside one
        head = "…" + (head.split(" ", 1)[1] if " " in head else head)
    tail = _SPACES.sub(" ", text[end : end + after])
    if end + after < len(text):
        cut = tail.rfind(" ")
        tail = (tail[:cut] if cut > after // 2 else tail).rstrip() + "…"
    return Marked(head.lstrip(), _SPACES.sub(" ", text[start:end]), tail.rstrip())
