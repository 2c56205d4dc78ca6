"""HTML pages through trafilatura, a maintained main-text extractor, so navigation, "Recent
Stories" and other page furniture do not end up in the article; and plain-text articles."""

import datetime as dt
import re

import trafilatura

from .encodings import decode
from .screen import binary_kind, refuse_crowded_tags
from .text import MAX_TITLE, Entry, ParseError, canonical_url, plain_text, plausible_date


def parse_page(body: bytes, *, url: str, charset: str | None = None) -> Entry:
    """The main text of one HTML page."""
    if kind := binary_kind(body):
        raise ParseError(f"The page is {kind}, not HTML.")
    markup = decode(body, charset)
    refuse_crowded_tags(markup, "page")
    document = trafilatura.bare_extraction(
        markup, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise ParseError("No article text could be found on the page.")
    published = None
    if document.date:
        try:
            published = plausible_date(dt.datetime.fromisoformat(document.date))
        except ValueError:
            published = None
    title = plain_text(document.title or "", MAX_TITLE) or plain_text(document.text, 120).split("\n")[0]
    return Entry(url=canonical_url(url), guid="", title=title, published=published, text=plain_text(document.text))


HEADER = re.compile(r"^(URL|DATE|SOURCE|TITLE):\s*(.*)$", re.I)
# A paragraph that an excerpt breaks off ("… and […]") is still prose.
PROSE_END = re.compile(r"(?:[.!?…\"”»)]|\[(?:…|\.\.\.)\])$")
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
