"""Parse what a source returned into entries: pure functions, no database, no network.

Feeds go through feedparser (which also survives malformed XML); pages through
trafilatura, a maintained main-text extractor, so navigation, "Recent Stories" and other
page furniture do not end up in the article. All text leaves here as plain text: markup
is dropped, never stored, so nothing a source sends can reach a page as HTML.
"""

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import trafilatura

MAX_TITLE = 500
MAX_TEXT = 200_000
# Query parameters that only track the reader: removed so one story has one URL.
TRACKING_PARAMETERS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|yclid|_ga|ref|cmpid|ocid|igshid|spm)$", re.I)
TAG = re.compile(r"<[^>]*>")
# Elements whose content is code or styling, never article text.
NON_TEXT = re.compile(r"<(script|style|template|noscript|iframe|object|svg)\b.*?(</\1\s*>|$)", re.I | re.S)
SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ParseError(Exception):
    """The content is not something we can read; the message is one sentence for an operator."""


@dataclass(frozen=True)
class Entry:
    url: str
    guid: str
    title: str
    published: dt.datetime | None
    text: str


def canonical_url(url: str, base: str = "") -> str:
    """Absolute http(s) URL with tracking parameters and the fragment removed."""
    parts = urlsplit(urljoin(base, url.strip()))
    if parts.scheme.lower() not in ("http", "https"):
        raise ParseError(f"{url[:200]!r} is not an http(s) link.")
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)]
    )
    host = (parts.hostname or "").lower() + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def plain_text(value: str, limit: int = MAX_TEXT) -> str:
    """Markup and control characters out, entities decoded, whitespace tidied."""
    text = html.unescape(TAG.sub(" ", NON_TEXT.sub(" ", value or "")))
    text = CONTROL.sub("", text)
    lines = [SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:limit].strip()


def _entry_time(entry) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _entry_text(entry) -> str:
    """The entry's fullest text, with any page furniture pasted into the feed cut away."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    best = max(contents, key=len) if contents else entry.get("summary", "")
    return main_text(plain_text(re.sub(r"</(p|div|li|h[1-6])>|<br\s*/?>", "\n", best, flags=re.I)))


def parse_feed(body: bytes, *, base_url: str) -> list[Entry]:
    """Entries of an RSS or Atom feed. Raises ParseError when nothing usable can be read:
    feedparser is lenient with broken XML, so a broken feed with readable entries still
    yields them, and one without is an error an operator sees."""
    # No HTML sanitising or link rewriting: every entry is reduced to plain text below and
    # no markup is kept, so that work would be thrown away (and it is most of the parse).
    feed = feedparser.parse(
        body, response_headers={"content-location": base_url}, sanitize_html=False, resolve_relative_uris=False
    )
    entries = [entry for entry in map(lambda item: _entry(item, base_url), feed.entries) if entry]
    if entries:
        return entries
    if feed.bozo:
        raise ParseError(f"The feed could not be read: {feed.bozo_exception}.")
    if not feed.get("feed") and not feed.entries:
        raise ParseError("The response is not an RSS or Atom feed.")
    return []


def _entry(item, base_url: str) -> Entry | None:
    link = item.get("link") or ""
    try:
        url = canonical_url(link, base_url) if link else ""
    except ParseError:
        url = ""  # a javascript:/data: link is not a link; the GUID may still identify it
    title = plain_text(item.get("title", ""), MAX_TITLE)
    guid = (item.get("id") or "")[:500]
    if not (url or guid) or not title:
        return None
    return Entry(url=url, guid=guid, title=title, published=_entry_time(item), text=_entry_text(item))


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text: the declared charset if it works, else UTF-8, else a lossless guess."""
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def parse_page(body: bytes, *, url: str, charset: str | None = None) -> Entry:
    """The main text of one HTML page."""
    if b"\x00" in body[:2048]:
        raise ParseError("The page is binary data, not HTML.")
    markup = decode(body, charset)
    document = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise ParseError("No article text could be found on the page.")
    published = None
    if document.date:
        try:
            published = dt.datetime.fromisoformat(document.date).replace(tzinfo=dt.UTC)
        except ValueError:
            published = None
    title = plain_text(document.title or "", MAX_TITLE) or plain_text(document.text, 120).split("\n")[0]
    return Entry(url=canonical_url(url), guid="", title=title, published=published, text=plain_text(document.text))


HEADER = re.compile(r"^(URL|DATE|SOURCE|TITLE):\s*(.*)$", re.I)
PROSE_END = re.compile(r"[.!?…\"”»)]$")
BYLINE = re.compile(r"\b(published|updated|posted)\b|\b\d{4}-\d{2}-\d{2}\b|^date\b", re.I)


def _is_prose(line: str) -> bool:
    """A paragraph of an article, as opposed to a headline, menu entry or link list."""
    return len(line) >= 60 and bool(PROSE_END.search(line)) and line.count(" ") >= 8


def main_text_span(lines: list[str]) -> tuple[int, int]:
    """The densest run of prose paragraphs (allowing two short lines inside it, such as a
    subheading), as [start, end) line indexes: the article, without the page around it."""
    prose = [_is_prose(line) for line in lines]
    best, best_size = (0, len(lines)), 0
    start, end, gap = None, 0, 0
    for index in range(len(lines) + 1):
        if index < len(lines) and prose[index]:
            start = index if start is None else start
            gap, end = 0, index + 1
            continue
        gap += 1
        if start is not None and (gap > 2 or index == len(lines)):
            size = sum(len(lines[i]) for i in range(start, end) if prose[i])
            if size > best_size:
                best, best_size = (start, end), size
            start = None
    return best


def main_text(text: str) -> str:
    """The article part of a text; a short text without clear paragraphs is kept whole."""
    lines = [line for line in text.split("\n") if line]
    if len(lines) < 3:
        return text  # nothing around it to cut away
    start, end = main_text_span(lines)
    return "\n".join(lines[start:end]) if end > start else text


def _headline(lines: list[str]) -> str:
    candidates = [
        line for line in lines if 20 <= len(line) <= 200 and not BYLINE.search(line) and not line.endswith(".")
    ]
    return max(candidates, key=len) if candidates else ""


def parse_text(raw: str, *, default_url: str) -> tuple[Entry, dict[str, str]]:
    """A plain-text article. It may start with header lines (URL:, DATE:, SOURCE:, TITLE:)
    and a blank line. Page furniture around the article (menus, "Recent Stories", footers)
    is cut away; the title is the headline above the article when there is no TITLE:."""
    lines = raw.replace("\r\n", "\n").split("\n")
    headers: dict[str, str] = {}
    while lines and (match := HEADER.match(lines[0].strip())):
        headers[match[1].lower()] = match[2].strip()
        lines.pop(0)
    lines = [line for line in plain_text("\n".join(lines)).split("\n") if line]
    if not lines:
        raise ParseError("The text is empty.")
    start, end = main_text_span(lines)
    text = "\n".join(lines[start:end])
    title = headers.get("title") or _headline(lines[:start]) or lines[start][:120]
    published = None
    if headers.get("date"):
        try:
            published = dt.datetime.fromisoformat(headers["date"]).replace(tzinfo=dt.UTC)
        except ValueError:
            raise ParseError(f"DATE: {headers['date']!r} is not an ISO date (YYYY-MM-DD).") from None
    url = canonical_url(headers["url"]) if headers.get("url") else default_url
    entry = Entry(url=url, guid="", title=plain_text(title, MAX_TITLE), published=published, text=text)
    return entry, {**headers, "preamble": "\n".join(lines[:start])}
