"""What leaves the parse step, whatever came in: plain text with no markup left in it,
http(s) links with nothing in them that could end an attribute, plausible dates; and the
Entry that carries them."""

import datetime as dt
import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

MAX_TITLE = 500
MAX_TEXT = 200_000
MAX_URL = 1000  # Article.url's length
MAX_GUID = 500  # Article.guid's length
# Query parameters that only track the reader: removed so one story has one URL.
TRACKING_PARAMETERS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|yclid|_ga|ref|cmpid|ocid|igshid|spm)$", re.I)
# A tag cannot contain "<": so each "<" is scanned at most up to the next one, and a run of
# them costs linear time (`<[^>]*>` rescanned to the end of the text from every "<").
TAG = re.compile(r"<[^<>]*>")
# Elements whose content is code or styling, never article text.
NON_TEXT = re.compile(r"<(script|style|template|noscript|iframe|object|svg)\b.*?(</\1\s*>|$)", re.I | re.S)
# What an HTML parser would take for the start of a tag, a comment or a declaration.
MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")
SPACE = re.compile(r"[ \t\r\f\v\u00a0]+")
# C0 and C1 controls (PostgreSQL refuses NUL outright), and the bidirectional overrides and
# isolates that can make a title display as something other than what it says.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A character that may not appear in a host name (whatever urlsplit lets through).
BAD_HOST = re.compile(r"[\x00-\x20<>\"'`{}|\\^]")
# ASCII characters a path may not carry as they are: beyond RFC 3986's unreserved, sub-delims,
# ":", "@", "/" and "%" escapes, plus the quote. (Non-ASCII letters stay as the feed wrote
# them, as they always have here, so that stored URLs keep matching.)
PATH_UNSAFE = re.compile(r"[^A-Za-z0-9/%:@!$&()*+,;=\-._~\u0080-\U0010ffff]")
# Dates outside this window are a broken or hostile feed's, not a publication date: epoch 0
# (and before) is what an unset date becomes, and a date in the future would pin the story
# to the top of every "latest news" list. A day of slack covers time zones and clock skew.
EARLIEST = dt.datetime(1970, 1, 2, tzinfo=dt.UTC)
FUTURE_SLACK = dt.timedelta(days=1)


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
    """Absolute http(s) URL with tracking parameters and the fragment removed, and every
    character outside a URL's own alphabet percent-encoded."""
    raw = url.strip()
    if len(raw) > MAX_URL * 2 or CONTROL.search(raw):
        raise ParseError(f"{raw[:200]!r} is not a link we keep (too long, or control characters).")
    try:
        parts = urlsplit(urljoin(base, raw))
        port = parts.port
    except ValueError as error:  # a bad port or an unclosed IPv6 bracket
        raise ParseError(f"{raw[:200]!r} is not a valid link ({error}).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ParseError(f"{raw[:200]!r} is not an http(s) link.")
    hostname = (parts.hostname or "").lower()
    if not hostname or BAD_HOST.search(hostname):
        raise ParseError(f"{raw[:200]!r} names no valid host.")
    host = f"[{hostname}]" if ":" in hostname else hostname
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMETERS.match(k)]
    )
    path = PATH_UNSAFE.sub(lambda match: quote(match.group()), parts.path or "/")
    canonical = urlunsplit((parts.scheme.lower(), host + (f":{port}" if port else ""), path, query, ""))
    if len(canonical) > MAX_URL:
        raise ParseError(f"{raw[:200]!r} is longer than {MAX_URL} characters.")
    return canonical


def plain_text(value: str, limit: int = MAX_TEXT) -> str:
    """Markup and control characters out, entities decoded, whitespace tidied.

    Markup sent escaped ("&lt;script&gt;", or escaped twice) turns into markup when its
    entities are decoded, so stripping repeats, a few rounds at most; any "<" still left
    before a letter (an unclosed tag) gets a space after it, so it can never open one."""
    text = value or ""
    for _ in range(3):
        stripped = TAG.sub(" ", NON_TEXT.sub(" ", text))
        text = CONTROL.sub("", html.unescape(stripped))
        if text == stripped or not MARKUP_START.search(text):
            break  # no entity turned into markup: another round would change nothing
    text = MARKUP_START.sub("< ", text)
    lines = [SPACE.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:limit].strip()


def plausible_date(when: dt.datetime | None, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """`when` if it can be a publication date, else None (unknown)."""
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    latest = (now or dt.datetime.now(dt.UTC)) + FUTURE_SLACK
    return when if EARLIEST <= when <= latest else None
