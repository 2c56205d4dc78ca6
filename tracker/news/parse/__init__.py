"""Parse what a source returned into entries: pure functions, no database, no network.

Feeds go through feedparser (which also survives malformed XML); pages through
trafilatura, a maintained main-text extractor, so navigation, "Recent Stories" and other
page furniture do not end up in the article. All text leaves here as plain text: markup
is dropped, never stored, so nothing a source sends can reach a page as HTML. Links leave
as http(s) URLs with every character that could end an attribute percent-encoded, GUIDs
without markup, and dates only when they are plausible.

What hostile input taught this module (tests/hostile/corpus.py has a case for each): the
regular expressions here must stay linear on any input (a title of 200,000 "&lt;" once took
13 s); the parsers underneath are quadratic in an element's attribute count (a 1 MB feed
held feedparser for three minutes) and expand a DTD's entities (a 60 kB feed grew to 400 MB),
so neither reaches them; markup escaped twice is still markup once decoded; a bad port in a
link must raise ParseError, not ValueError; a link longer than its column must not reach
PostgreSQL; a date in year 9999 would head every list of news; a feed that lies about its
encoding is decoded by what its bytes are.

What feeds in the wild taught it: a numeric character reference to no character (a lone
surrogate, a number past U+10FFFF or of twenty digits) made feedparser raise mid-parse, so
such a reference becomes U+FFFD, and a surrogate pair ("&#xD83D;&#xDE80;") the character it
spells; feedparser also raises on some broken markup (a stray "</height>"), which is a
ParseError here; a Russian feed in windows-1251 or KOI8-R that declares nothing was read as
windows-1252, so feeds are decoded here (the Content-Type's charset included) before
feedparser sees them; a well-formed feed with no entries is no error.

text.py: what leaves here (plain text, links, dates); screen.py: checks before any parser;
encodings.py: bytes to text; feeds.py and pages.py: the two kinds of source.
"""

from .encodings import decode, repair_decode
from .feeds import EntryKey, NewestEntries, parse_feed, parse_newest
from .pages import main_text, main_text_span, parse_page, parse_text
from .text import MAX_TEXT, MAX_TITLE, Entry, ParseError, canonical_url, plain_text, plausible_date

__all__ = [
    "MAX_TEXT",
    "MAX_TITLE",
    "Entry",
    "EntryKey",
    "NewestEntries",
    "ParseError",
    "canonical_url",
    "decode",
    "main_text",
    "main_text_span",
    "parse_feed",
    "parse_newest",
    "parse_page",
    "parse_text",
    "plain_text",
    "plausible_date",
    "repair_decode",
]
