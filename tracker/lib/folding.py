"""Text folded for matching: the same on every database, in every script.

SQLite's LIKE (and so Django's `icontains` there) folds ASCII letters only, and
PostgreSQL's LOWER() folds by the database's locale (none at all under the C locale). So
search never asks the database to fold: names and queries are folded here, in Python, and
articles keep a folded copy of their text (Article.search_text) that a plain,
case-sensitive `contains` can match on both databases alike.

Folding: Unicode case folding ("Кикина" → "кикина", "ß" → "ss"), compatibility forms
("ﬁ" → "fi", full-width letters), accents dropped ("é" → "e", "ё" → "е"), every dash
written as "-", control and invisible characters removed (NUL included: PostgreSQL
refuses it in text), whitespace collapsed to single spaces. One exception to dropping
accents: "й" stays "й" — in Russian it is a letter of its own, not an accented "и".
"""

import re
import unicodedata

# Combining marks (U+0300–U+036F), except the breve (U+0306) that makes "и" into "й".
_MARKS = re.compile(r"[\u0300-\u0305\u0307-\u036f]|(?<!и)\u0306")
# C0/C1 controls other than whitespace, and format characters that render as nothing
# (soft hyphen, zero-width space and joiners, direction marks, byte-order mark).
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"))
_NOT_ALNUM = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """`text` as search compares it (see the module's docstring)."""
    if text.isascii():
        # The common case, without the Unicode tables: same result, a fraction of the time.
        return _SPACES.sub(" ", _INVISIBLE.sub("", text.lower())).strip()
    decomposed = unicodedata.normalize("NFKD", _INVISIBLE.sub("", text).casefold())
    folded = unicodedata.normalize("NFC", _MARKS.sub("", decomposed)).translate(_DASHES)
    return _SPACES.sub(" ", folded).strip()


def clean(text: str) -> str:
    """`text` with invisible characters removed and whitespace collapsed, case and accents
    kept: how a query is shown back to the person who typed it."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def compact(folded: str) -> str:
    """Letters and digits only, so "ms22" finds "MS-22" and "al neyadi" finds "AlNeyadi"."""
    return _NOT_ALNUM.sub("", folded)


def search_document(title: str, text: str) -> str:
    """An article's folded title and text, one line each. Folding leaves no newline inside
    either, so the first newline marks where the title ends (search ranks title matches
    first by it)."""
    return f"{fold(title)}\n{fold(text)}"
