"""RSS and Atom feeds, through feedparser (which also survives malformed XML): parse_feed
reads every entry; parse_newest the newest not yet stored, up to a poll's cap."""

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

import feedparser

from .encodings import declare_utf8, feed_text
from .pages import main_text
from .screen import binary_kind, refuse_crowded_tags, without_internal_dtd
from .text import (
    MAX_GUID,
    MAX_TITLE,
    Entry,
    ParseError,
    canonical_url,
    plain_text,
    plausible_date,
    valid_character_references,
)

# Characters a GUID is kept verbatim without: markup, quotes, controls.
UNSAFE_GUID = re.compile(r"[<>\"'`\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# A key the store step knows a story by: (GUID, canonical URL), either may be "".
EntryKey = tuple[str, str]
# Keys asked about at once when a capped feed is read (one query each, see parse_newest).
KEYS_PER_LOOKUP = 500


@dataclass(frozen=True)
class NewestEntries:
    """A capped read of a feed: the newest entries not yet stored, and how many entries
    were not looked at (at most that many are new; the next poll reads them)."""

    entries: list[Entry]
    left: int


def parse_feed(body: bytes, *, base_url: str, charset: str | None = None) -> list[Entry]:
    """Entries of an RSS or Atom feed; `charset` is the one its HTTP Content-Type names, if
    any. Raises ParseError when nothing usable can be read: feedparser is lenient with
    broken XML, so a broken feed with readable entries still yields them, and one without
    is an error an operator sees. A well-formed feed with no entries is no error: [].

    The text is decoded here (see feed_text), not by feedparser, which reads a feed that
    declares no encoding and is not UTF-8 as windows-1252 (Russian became mojibake), and
    handed to it as UTF-8 that says so, with no reference to a character that cannot be."""
    utf8, feed = _read(body, base_url, charset)
    return _entries(feed.entries, base_url) or _no_entries(body, utf8, feed)


def parse_newest(
    body: bytes,
    *,
    base_url: str,
    charset: str | None = None,
    limit: int,
    stored: Callable[[list[EntryKey]], set[EntryKey]],
) -> NewestEntries:
    """At most `limit` entries of a feed, the newest first (by their date; undated ones
    after, in the feed's order), passing over those `stored` says are stored already, so
    that each poll of a long feed takes the next `limit` and a feed of 100,000 entries is
    read in turns. A feed of `limit` entries or fewer is read as parse_feed reads it (its
    stored entries too, so a changed story is updated). `stored` takes keys
    (GUID, canonical URL) and answers the ones it knows; only entries taken are made into
    plain text, which is most of what reading an entry costs."""
    utf8, feed = _read(body, base_url, charset)
    items = sorted(feed.entries, key=_newest_first)
    if len(items) <= limit:
        return NewestEntries(_entries(items, base_url) or _no_entries(body, utf8, feed), left=0)
    looked_at = 0

    def unstored():
        nonlocal looked_at
        for start in range(0, len(items), KEYS_PER_LOOKUP):
            chunk = [(item, _entry_key(item, base_url)) for item in items[start : start + KEYS_PER_LOOKUP]]
            known = stored([key for _, key in chunk])
            for item, key in chunk:
                looked_at += 1
                if key not in known and (entry := _entry(item, base_url)):
                    yield entry

    taken = list(islice(_unique(unstored()), limit))
    return NewestEntries(taken, left=len(items) - looked_at)


def _entries(items, base_url: str) -> list[Entry]:
    """feedparser's items as entries, each story once (unusable items dropped)."""
    return _first_of_each(entry for entry in (_entry(item, base_url) for item in items) if entry)


def _read(body: bytes, base_url: str, charset: str | None):
    """The feed's bytes as UTF-8 and feedparser's reading of them."""
    text = valid_character_references(feed_text(body, charset))
    utf8 = without_internal_dtd(declare_utf8(text).encode())
    refuse_crowded_tags(utf8, "feed")
    return utf8, _feedparser(utf8, base_url)


def _no_entries(body: bytes, utf8: bytes, feed) -> list[Entry]:
    """A feed without usable entries: [] when it is a well-formed feed, else ParseError."""
    if problem := _unreadable(body, utf8, feed):
        raise ParseError(f"The feed could not be read: {problem}.")
    return []


def _newest_first(item) -> tuple:
    """Sort key: dated entries newest first, then the undated (sorted() keeps their order)."""
    published = _entry_time(item)
    return (published is None, -published.timestamp() if published else 0)


def _entry_key(item, base_url: str) -> EntryKey:
    """The entry's (GUID, canonical URL) as _entry would make them, without its text."""
    link = item.get("link") or ""
    try:
        url = canonical_url(link, base_url) if link else ""
    except ParseError:
        url = ""
    return _guid(item), url


def _first_of_each(entries) -> list[Entry]:
    """The entries without those that repeat an earlier one's GUID or URL. A feed that
    lists one story twice with different text would otherwise have it rewritten twice on
    every poll (and its mentions and proposals redone); feeds list the newest first."""
    return list(_unique(entries))


def _unique(entries):
    """_first_of_each as a generator: a capped read stops at the cap, unread entries unmade."""
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        keys = {("guid", entry.guid), ("url", entry.url)} - {("guid", ""), ("url", "")}
        if keys & seen:
            continue
        seen |= keys
        yield entry


def _feedparser(body: bytes, base_url: str):
    # The body is UTF-8 (parse_feed made it so): say so with the authority of an HTTP header.
    headers = {"content-location": base_url, "content-type": "application/xml; charset=utf-8"}
    # No HTML sanitising or link rewriting: every entry is reduced to plain text here and
    # no markup is kept, so that work would be thrown away (and it is most of the parse).
    try:
        return feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    except Exception as error:
        # feedparser's element handlers trust the markup: a lone "</height>" raised TypeError,
        # a lone "</creativeCommons:license>" KeyError, a namespace URI with a no-break space
        # ValueError (found by mutating its own test corpus). Input it cannot read is a feed
        # that cannot be read, said as such; not an exception no caller expects.
        message = " ".join(str(error).split())[:200]
        raise ParseError(
            f"The feed could not be read: the feed parser failed on it ({type(error).__name__}: {message})."
        ) from None


def _unreadable(raw: bytes, body: bytes, feed) -> str | None:
    """Why a response with no entries is not a feed, in words for an operator; None when it
    is a well-formed feed that simply has no entries. `raw` is what came, `body` its UTF-8."""
    head = body[:1024].lstrip().lower()
    if not head:
        return "the response is empty"
    if kind := binary_kind(raw):
        return f"the response is {kind}, not XML"
    if head.startswith((b"<!doctype html", b"<html")) or (b"<html" in head and b"<rss" not in head):
        return "the response is an HTML page, not an RSS or Atom feed"
    if not head.startswith(b"<"):
        began = body.lstrip()[:24].decode("utf-8", "replace")
        return f"the response is not XML (it begins {began!r})"
    error = feed.get("bozo_exception")
    if feed.bozo and hasattr(error, "getMessage"):  # expat's error, with where it happened
        return f"{error.getMessage()} at line {error.getLineNumber()}, column {error.getColumnNumber()}"
    if not (feed.get("version") or feed.get("feed") or feed.entries):  # a feed names its kind (RSS, Atom)
        return "the response is not an RSS or Atom feed" + (f" ({error})" if feed.bozo and error else "")
    return None


def _entry(item, base_url: str) -> Entry | None:
    link = item.get("link") or ""
    try:
        url = canonical_url(link, base_url) if link else ""
    except ParseError:
        url = ""  # a javascript:/data: link is not a link; the GUID may still identify it
    title = plain_text(item.get("title", ""), MAX_TITLE)
    guid = _guid(item)
    if not (url or guid) or not title:
        return None
    return Entry(url=url, guid=guid, title=title, published=_entry_time(item), text=_entry_text(item))


def _guid(item) -> str:
    """The feed's id for the entry, kept verbatim when it is a plain identifier; one with
    markup, quotes or controls in it, or too long for the column, is kept as its SHA-256,
    which identifies the entry as surely and shows nothing of what was sent."""
    raw = (item.get("id") or "").strip()
    if len(raw) > MAX_GUID or UNSAFE_GUID.search(raw):
        return "sha256:" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return raw


def _entry_time(entry) -> dt.datetime | None:
    # dict.get: feedparser's own get() answers "published" with "updated", and warns.
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    if not parsed:
        return None
    try:
        return plausible_date(dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC))
    except (OverflowError, ValueError, OSError):
        return None


def _entry_text(entry) -> str:
    """The entry's fullest text, with any page furniture pasted into the feed cut away."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    best = max(contents, key=len) if contents else entry.get("summary", "")
    return main_text(plain_text(re.sub(r"</(p|div|li|h[1-6])>|<br\s*/?>", "\n", best, flags=re.I)))
