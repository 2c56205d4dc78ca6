"""Checks on what a source sent, made before any parser sees it: what the parsers below
cannot be trusted with (see the package's docstring and tests/hostile/corpus.py)."""

import re

from .encodings import BOMS, WIDE_STARTS
from .text import ParseError

# The start of a document type declaration with an internal subset ("[...]"), in the prolog.
DOCTYPE_SUBSET = re.compile(rb"<!DOCTYPE\b([^\[>]*)\[", re.I)
SUBSET_END = re.compile(rb"\]\s*>")


def without_internal_dtd(body: bytes) -> bytes:
    """The feed with its DTD's internal subset cut out, keeping `<!DOCTYPE rss ...>`.

    Entity declarations are how XML bombs work: nested ones ("billion laughs"), one long
    entity referenced many times (62 kB of feed expanded to 400 MB in feedparser), and
    external ones (XXE). No RSS or Atom feed needs them; without the subset, a reference
    to an entity is left as the text it is."""
    first_element = re.search(rb"<[A-Za-z]", body)
    prolog_end = first_element.start() if first_element else len(body)
    start = DOCTYPE_SUBSET.search(body, 0, prolog_end)
    if start is None:
        return body
    end = SUBSET_END.search(body, start.end())
    rest = body[end.end() :] if end else b""
    return body[: start.start()] + b"<!DOCTYPE" + start.group(1).rstrip() + b">" + rest


# Python's SAX attribute lookup, feedparser's fallback parser and lxml's HTML parser all
# slow down with the square of an element's attribute count: 100,000 attributes (1 MB)
# kept feedparser busy for over three minutes, 40,000 held trafilatura for a minute. No
# real feed or page comes near the limit; a start tag only gets counted when it is long.
MAX_ATTRIBUTES = 100
LONG_TAG = {bytes: re.compile(rb"<[^<>]{2000,}>"), str: re.compile(r"<[^<>]{2000,}>")}
ATTRIBUTE = {bytes: re.compile(rb"\s[^\s=<>/\"']+\s*="), str: re.compile(r"\s[^\s=<>/\"']+\s*=")}


def refuse_crowded_tags(markup: bytes | str, what: str) -> None:
    for tag in LONG_TAG[type(markup)].finditer(markup):
        count = len(ATTRIBUTE[type(markup)].findall(tag.group()))
        if count > MAX_ATTRIBUTES:
            raise ParseError(
                f"The {what} could not be read: an element has {count:,} attributes "
                f"(more than {MAX_ATTRIBUTES} are refused: parsers slow down with their square)."
            )


MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
}


def binary_kind(body: bytes) -> str | None:
    """ "binary data (a PNG image)", "binary data", or None for what may be text."""
    if body.startswith(tuple(start for start, _ in BOMS + WIDE_STARTS)):
        return None  # UTF-16 and UTF-32 text is full of NUL bytes
    for magic, kind in MAGIC.items():
        if body.startswith(magic):
            return f"binary data ({kind})"
    return "binary data" if b"\x00" in body[:2048] else None
