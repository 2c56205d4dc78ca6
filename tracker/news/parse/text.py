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
# A numeric character reference, decimal or hexadecimal. The semicolon is optional because
# feedparser's fallback parser (and HTML) read "&#55296" in an attribute as a reference too.
NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
REPLACEMENT_REFERENCE = "&#xFFFD;"
# What a reference to a surrogate or to a number past U+10FFFF starts with (and a few valid
# ones too): a text without any is returned at once, with no Python loop over its "&#8217;"s.
SUSPICIOUS_REFERENCE = re.compile(r"&#(?:[xX]0*(?:[dD][89a-fA-F]|[0-9a-fA-F]{6})|0*(?:5[5-7]\d{3}|\d{7}))")
HIGH_SURROGATES = range(0xD800, 0xDC00)
LOW_SURROGATES = range(0xDC00, 0xE000)


class ParseError(Exception):
    """The content is not something we can read; the message is one sentence for an operator."""


@dataclass(frozen=True)
class Entry:
    url: str
    guid: str
    title: str
    published: dt.datetime | None
    text: str


def _code_point(reference: re.Match) -> int:
    """The number a reference names; -1 for one too long to be any character (int() of a
    few thousand digits would itself raise)."""
    hexadecimal, decimal = reference.groups()
    digits = (hexadecimal or decimal).lstrip("0") or "0"
    return int(digits, 16 if hexadecimal else 10) if len(digits) <= 8 else -1


def _is_character(code: int) -> bool:
    return 0 <= code <= 0x10FFFF and not 0xD800 <= code < 0xE000


def valid_character_references(text: str) -> str:
    """`text` with every numeric character reference that names no character replaced by
    one for U+FFFD: a lone surrogate, a number past U+10FFFF, one of twenty digits. The
    parsers underneath raise on those (chr() refuses them, UTF-8 cannot encode a surrogate)
    instead of failing the feed cleanly.

    A high surrogate followed at once by a low one is an astral character written in UTF-16
    code units ("&#xD83D;&#xDE80;", what a JavaScript or Java serialiser writes for 🚀): the
    pair becomes one reference to the character its writer meant, as a browser would show it."""
    if "&#" not in text or not SUSPICIOUS_REFERENCE.search(text):
        return text
    pieces, kept_to, high = [], 0, None
    for reference in NUMERIC_REFERENCE.finditer(text):
        code = _code_point(reference)
        if high is not None:
            pieces.append(text[kept_to : high.start()])
            kept_to = high.end()
            if reference.start() == high.end() and code in LOW_SURROGATES:
                combined = 0x10000 + ((_code_point(high) - 0xD800) << 10) + (code - 0xDC00)
                pieces.append(f"&#x{combined:X};")
                kept_to, high = reference.end(), None
                continue
            pieces.append(REPLACEMENT_REFERENCE)
            high = None
        if _is_character(code):
            continue
        if code in HIGH_SURROGATES:
            high = reference  # decided by the next reference
            continue
        pieces += [text[kept_to : reference.start()], REPLACEMENT_REFERENCE]
        kept_to = reference.end()
    if high is not None:
        pieces += [text[kept_to : high.start()], REPLACEMENT_REFERENCE]
        kept_to = high.end()
    return "".join(pieces) + text[kept_to:]


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
    text = valid_character_references(value or "")
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
