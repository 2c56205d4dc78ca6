"""Where each entry of a long feed lies in its bytes, and its date: a quick pass with expat
before feedparser, so that a feed capped at 200 entries per poll hands feedparser only the
entries a poll may take, not all 100,000 (feedparser spends about a millisecond on each
element; this pass a few microseconds).

Only well-formed XML is read here: anything expat refuses (an undefined entity, broken
markup) returns None, and the caller gives feedparser the whole feed as before, which is
lenient with such feeds. The dates are read for order only; the entries' own come from
feedparser."""

import datetime as dt
import email.utils
from dataclasses import dataclass
from xml.parsers import expat

ENTRY_TAGS = {"item", "entry"}
# The entry's date, as feedparser reads it: publication first, else last update.
PUBLISHED_TAGS = {"pubDate": 0, "published": 0, "issued": 0, "date": 0, "updated": 1, "modified": 1}


@dataclass
class Span:
    start: int
    end: int
    published: dt.datetime | None = None
    rank: int = 2  # of the date's tag in PUBLISHED_TAGS; 2: no date yet


def item_spans(utf8: bytes) -> list[Span] | None:
    """The feed's entries (RSS items, Atom entries) as byte spans in document order, or None
    when the feed is not well-formed XML."""
    spans: list[Span] = []
    state = {"item": None, "date_tag": None, "text": []}
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name, attributes):
        local = name.rsplit(" ", 1)[-1]
        if state["item"] is None and local in ENTRY_TAGS:
            state["item"] = Span(start=parser.CurrentByteIndex, end=-1)
        elif state["item"] is not None and local in PUBLISHED_TAGS:
            state["date_tag"], state["text"] = local, []

    def end(name):
        local = name.rsplit(" ", 1)[-1]
        item = state["item"]
        if item is None:
            return
        if local == state["date_tag"]:
            _keep_date(item, local, "".join(state["text"]))
            state["date_tag"] = None
        elif local in ENTRY_TAGS:
            item.end = utf8.index(b">", parser.CurrentByteIndex) + 1
            spans.append(item)
            state["item"] = None

    def text(data):
        if state["date_tag"] is not None:
            state["text"].append(data)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    try:
        parser.Parse(utf8, True)
    except (expat.ExpatError, ValueError):
        return None
    return spans


def _keep_date(item: Span, tag: str, value: str) -> None:
    rank = PUBLISHED_TAGS[tag]
    if rank >= item.rank:
        return
    value = value.strip()
    try:
        published = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            published = dt.datetime.fromisoformat(value)
        except ValueError:
            return
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    item.published, item.rank = published, rank


def newest_first(spans: list[Span]) -> list[Span]:
    """Dated entries newest first, then undated ones in the feed's order."""
    return sorted(
        spans, key=lambda span: (span.published is None, -span.published.timestamp() if span.published else 0)
    )
