"""The hostile-input corpus: feeds and pages that are broken, malicious or absurd, each with
the server behaviour that delivers it and what ingestion must make of it.

A Case is served on loopback (tests/http_server.py) under /<case name>/ and polled by a news
source pointed at its entry path, after that source has stored one good "seed" article. Its
`expect` is either Refused (the source row records a clear error and nothing is stored) or
Stored (these articles, all passing `assert_safe`). Whatever the case, the seed and the
trusted source's article (TRUSTED_URL) must come through untouched.

Used by tests/hostile/test_corpus.py (in-process, and all at once through a real worker),
tests/hostile/test_render_browser.py (the payload cases, rendered in Chromium) and
bench/hostile.py. Nothing here touches the database but store_trusted_article(): checks
receive Article rows.
"""

import datetime
import functools
import html
import itertools
import random
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.feeds import gzip_bomb, rss
from tests.http_server import Route
from tracker.news.fetch import FetchLimits

# The suite's fetch limits: the production sizes, shorter deadlines so that the slow cases
# cost seconds, not minutes. read_timeout is above every trickle's pause, so what stops a
# trickle is the total deadline, as it is in production.
SUITE_LIMITS = FetchLimits(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0)
# The time one poll may spend on its entries' linked pages, in this suite (60 s in production).
SUITE_LINKED_PAGES_SECONDS = 3.0
# A poll that has nothing slow to wait for (parsing and storing included) ends within this.
QUICK_SECONDS = 4.0
# Slack over a deadline, for the poll's own work around the fetch.
SLACK_SECONDS = 1.5

FEED_TYPE = "application/rss+xml; charset=utf-8"
FRESH = "Wed, 25 Feb 2026 10:00:00 GMT"
MS29 = "Soyuz MS-29 is scheduled to launch on August 2, 2026 with NASA astronaut Anil Menon aboard."
# What the payloads' JavaScript does, so that a browser can tell whether any of it ran.
CANARY = "PWNED"
JS = f"window.__pwned=1;alert('{CANARY}')"
# The trusted source's article, stored before any case runs: a feed linking to this URL
# must not rewrite it.
TRUSTED_URL = "https://trusted.example.org/news/soyuz-ms-29-crew"
TRUSTED_TITLE = "Soyuz MS-29 crew named"
TRUSTED_TEXT = f"{MS29} The crew trained for two years at Star City."
SECRET = "TOP-SECRET-LOOPBACK-CONTENT"  # what the XXE cases' loopback target serves


# --- outcomes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    """The poll fails and stores nothing. `error` is a regular expression the source's
    last_error must match; `transient` errors are retried by the Celery task."""

    error: str
    transient: bool = False


@dataclass(frozen=True)
class Stored:
    """The poll succeeds with `count` articles from this response (the seed not counted);
    `titles`, when given, are their titles in any order; `check` asserts more about them."""

    count: int
    titles: tuple[str, ...] | None = None
    check: Callable[[list], None] | None = None


@dataclass(frozen=True)
class Case:
    name: str
    doc: str  # what the case is and why it is hostile
    routes: Callable[[str], dict[str, Route]]  # the case's base URL → routes by relative path
    expect: Refused | Stored
    kind: str = "feed"  # the source's kind: "feed" or "page"
    entry: str = "feed.xml"  # the path the source is pointed at
    earlier: bytes | None = None  # a feed served at `entry` for one poll before this one
    # What bounds a poll's time: "quick", the "read" timeout, the fetch "deadline", or the
    # budget for a poll's "linked" pages (and the deadline of the one that runs past it).
    wait: str = "quick"
    max_memory: int | None = None  # bytes of Python allocations a poll may peak at
    max_sent: int | None = None  # body bytes the server may get to send before the poll gives up
    never_requested: tuple[str, ...] = ()  # paths of the case no poll may ask for
    never_stored: tuple[str, ...] = ()  # text no stored article may contain
    payload: bool = False  # carries script payloads: rendered by the browser test
    fetch_linked_pages: bool = False

    def seconds(self, limits: FetchLimits) -> float:
        """How long one poll attempt of this case may take under `limits`."""
        return {
            "quick": QUICK_SECONDS,
            "read": limits.read_timeout + SLACK_SECONDS,
            "deadline": limits.total_timeout + SLACK_SECONDS,
            "linked": SUITE_LINKED_PAGES_SECONDS + limits.total_timeout + SLACK_SECONDS,
        }[self.wait]

    def path(self, relative: str = "") -> str:
        return f"/{self.name}/{relative or self.entry}"


def mount(server, case: Case, *, routes: dict[str, Route] | None = None) -> str:
    """Serve `case` (or other routes in its place) on `server`; returns its entry URL."""
    base = server.url(f"/{case.name}")
    for relative, route in (routes if routes is not None else case.routes(base)).items():
        server.route(case.path(relative), route)
    return server.url(case.path())


def store_trusted_article():
    """Another source's article, stored before the corpus runs (the only function here that
    touches the database): the url-of-another-sources-article case aims at it."""
    from tracker.news.models import NewsSource
    from tracker.news.parse import Entry
    from tracker.news.services import ingest_entry

    source = NewsSource.objects.create(name="Trusted wire", url="https://trusted.example.org/feed.xml")
    published = datetime.datetime(2026, 2, 20, 9, tzinfo=datetime.UTC)
    entry = Entry(url=TRUSTED_URL, guid="trusted-1", title=TRUSTED_TITLE, published=published, text=TRUSTED_TEXT)
    return ingest_entry(entry, source=source).article


def seed_feed(case: Case) -> bytes:
    """One good entry, stored by the case's source before the hostile poll."""
    return rss(item(f"seed-{case.name}", f"Seed story for {case.name}", f"https://seed.example.org/{case.name}", MS29))


# --- building feeds ---------------------------------------------------------------------------


def esc(value: str) -> str:
    return html.escape(value, quote=False)


def cdata(value: str) -> str:
    return f"<![CDATA[{value}]]>"


def item(guid: str, title: str, link: str, text: str, *, date: str = FRESH, extra: str = "", raw: bool = False) -> str:
    """An RSS <item>. Values are XML-escaped unless `raw` (the caller wrote them as XML)."""
    if not raw:
        guid, title, link, text = esc(guid), esc(title), esc(link), esc(text)
    date_element = f"<pubDate>{date}</pubDate>" if date else ""
    return (
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"{date_element}<description>{text}</description>{extra}</item>"
    )


def serve(body: bytes, content_type: str = FEED_TYPE, **route) -> Callable[[str], dict[str, Route]]:
    return lambda base: {"feed.xml": Route(body=body, headers={"Content-Type": content_type}, **route)}


_STORIES = itertools.count(1)


def story(n: int, title: str, text: str = MS29, **options) -> str:
    """Entry `n` of a feed, with a link of its own in the whole corpus: the worker test
    stores every case side by side, and one URL is one article whichever source has it."""
    return item(f"story-{n}", title, f"https://hostile.example.org/story/{next(_STORIES)}", text, **options)


# --- bombs (built once, lazily: the corpus module imports fast) -------------------------------


@functools.cache
def double_gzip_bomb() -> bytes:
    """A few kB, gzipped twice (Content-Encoding: gzip, gzip): 2 MB, then 2 GB."""
    return zlib.compress(gzip_bomb(2048), 9, wbits=31)


@functools.cache
def brotli_bomb() -> bytes:
    import brotli

    return brotli.compress(bytes(1 << 30), quality=1)


def endless(piece: bytes, *, total: int | None = None) -> Callable[[], Iterable[bytes]]:
    """A body of `piece` repeated forever, or until `total` bytes."""

    def pieces():
        sent = 0
        while total is None or sent < total:
            yield piece
            sent += len(piece)

    return pieces


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def random_bytes() -> bytes:
    return random.Random(6).randbytes(64 * 1024)


# --- checks on what was stored ----------------------------------------------------------------

MARKUP_START = re.compile(r"<(?=[A-Za-z/!?])")


def assert_safe(article) -> None:
    """What every stored article must be, whatever a feed sent: plain text with nothing an
    HTML parser would take for markup, an http(s) URL (or the urn: key of an entry without
    a usable link), a GUID without markup, no control characters."""
    for name in ("title", "text", "guid"):
        value = getattr(article, name)
        assert not MARKUP_START.search(value), f"{name} holds markup: {value[:200]!r}"
        assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value), f"{name} holds control characters"
    assert len(article.title) <= 500 and len(article.guid) <= 500 and len(article.url) <= 1000
    scheme = urlsplit(article.url).scheme
    assert scheme in ("http", "https") or article.url.startswith("urn:news:"), f"url {article.url!r}"
    assert not re.search(r"[<>\"'\s]", article.url), f"url {article.url!r} holds characters it may not"


def check_outcome(case: "Case", source, articles: list) -> None:
    """AssertionError unless `source` (its row read after the poll) and `articles` (what the
    poll stored from it) are what `case` expects."""
    if isinstance(case.expect, Refused):
        assert re.search(case.expect.error, source.last_error), f"another error: {source.last_error}"
        assert articles == [], f"stored {len(articles)} articles"
    else:
        assert source.last_error == "", f"failed: {source.last_error}"
        assert len(articles) == case.expect.count, f"stored {len(articles)}, not {case.expect.count}"
        if case.expect.titles is not None:
            assert sorted(a.title for a in articles) == sorted(case.expect.titles), "other titles"
        if case.expect.check is not None:
            case.expect.check(articles)
    for article in articles:
        assert_safe(article)
        for secret in case.never_stored:
            assert secret not in f"{article.title}\n{article.text}\n{article.url}\n{article.guid}", secret
    for secret in case.never_stored:
        assert secret not in source.last_error, secret


def no_dates(articles) -> None:
    assert [a.published_at for a in articles] == [None] * len(articles), [a.published_at for a in articles]


def no_links(articles) -> None:
    assert all(a.url.startswith("urn:news:") for a in articles), [a.url for a in articles]


def guids_hashed(articles) -> None:
    assert all(a.guid.startswith("sha256:") for a in articles), [a.guid for a in articles]


def texts_contain(*fragments: str) -> Callable[[list], None]:
    def check(articles) -> None:
        stored = "\n".join(f"{a.title}\n{a.text}" for a in articles)
        for fragment in fragments:
            assert fragment in stored, f"{fragment!r} not in {stored[:300]!r}"

    return check


# --- payloads ---------------------------------------------------------------------------------

# Markup that runs JS if a page ever shows it as HTML: the classics, filter evasions
# and mutation-XSS shapes.
PAYLOADS = [
    f"<script>{JS}</script>",
    f'<img src=x onerror="{JS}">',
    f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"{JS}\"><script>{JS}</script></svg>",
    f'<a href="javascript:{JS}">read more</a>',
    f'<iframe src="data:text/html,&lt;script&gt;{JS}&lt;/script&gt;"></iframe>',
    f'<body onload="{JS}">',
    f'<math><mtext><table><mglyph><style><img src=x onerror="{JS}">',
    f'<noscript><p title="</noscript><img src=x onerror={JS}>">',
    f'<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    f"<<script>script>{JS}<</script>/script>",
    f"<scr<script>ipt>{JS}</scr</script>ipt>",
    f"</title></textarea><script>{JS}</script>",
    f'"><script>{JS}</script>',
    f'<details open ontoggle="{JS}">',
    "{{ 7|add:7 }} {% now 'Y' %}",
]


def encodings_of(payload: str) -> list[tuple[str, str]]:
    """The ways a feed carries markup in a text element: (name, XML text)."""
    return [
        ("escaped", esc(payload)),
        ("cdata", cdata(payload)),
        ("escaped-twice", esc(esc(payload))),
        ("numeric-entities", "".join(f"&#{ord(c)};" if c in "<>\"'&" else c for c in payload)),
    ]


def payload_items(field: str) -> list[str]:
    """One entry per payload and encoding, with the payload in `field`; each entry names
    Soyuz MS-29, so that the dashboard and the mission page list it."""
    items = []
    for p, payload in enumerate(PAYLOADS):
        for name, xml_text in encodings_of(payload):
            n = f"{p}-{name}"
            guid, link = f"{field}-{n}", f"https://hostile.example.org/{field}/{n}"
            title, text, extra = esc(f"Payload {field} {n}"), esc(MS29), ""
            if field == "title":
                title = f"{title} {xml_text}"
            elif field == "summary":
                text = f"{text} {xml_text}"
            elif field == "content":
                extra = f"<content:encoded>{xml_text} {text}</content:encoded>"
            elif field == "author":
                extra = f"<author>{xml_text}</author><dc:creator>{xml_text}</dc:creator>"
            elif field == "category":
                extra = f"<category>{xml_text}</category>"
            items.append(item(guid, title, link, text, raw=True, extra=extra))
    return items


NAMESPACES = " xmlns:content='http://purl.org/rss/1.0/modules/content/' xmlns:dc='http://purl.org/dc/elements/1.1/'"

# Links no reader should be sent to, however they are dressed up.
BAD_LINKS = [
    f"javascript:{JS}",
    f" JaVaScRiPt:{JS}",
    f"java&#x09;script:{JS}",
    f"javascript&#58;{JS}",
    f"data:text/html,&lt;script&gt;{JS}&lt;/script&gt;",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    f"vbscript:{JS}",
    "file:///etc/passwd",
    "http://[::1",
    "http://hostile.example.org:99999/",
]


def link_items() -> list[str]:
    items = [item(f"link-{n}", f"Payload link {n}", link, MS29, raw=True) for n, link in enumerate(map(esc, BAD_LINKS))]
    # An http(s) link with markup in it is kept, with every character that could end an
    # attribute or open a tag percent-encoded.
    breakout = esc(f'https://hostile.example.org/a"><script>{JS}</script>?q=<img src=x onerror={JS}>')
    items.append(item("link-breakout", "Payload link breakout", breakout, MS29, raw=True))
    return items


def guid_items() -> list[str]:
    return [
        item(f"{xml_text} {name}", f"Payload guid {p}-{name}", "", MS29, raw=True)
        for p, payload in enumerate(PAYLOADS[:4])
        for name, xml_text in encodings_of(payload)[:2]
    ]


def atom_payloads() -> bytes:
    """Atom with xhtml content (markup as XML elements, not text) and an html summary."""
    entries = "".join(
        f"<entry><id>tag:hostile.example.org,2026:atom-{p}</id>"
        f"<title type='html'>{esc(f'Atom payload {p} {payload}')}</title>"
        f"<link rel='alternate' href='https://hostile.example.org/atom/{p}'/><updated>2026-02-25T10:00:00Z</updated>"
        f"<author><name>{esc(payload)}</name></author>"
        f"<summary type='html'>{esc(payload)}</summary>"
        f"<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'><p>{MS29}</p>"
        f"<script>{JS}</script><img src='x' onerror=\"{JS}\"/><a href='javascript:{JS}'>more</a>"
        f"<svg xmlns='http://www.w3.org/2000/svg' onload=\"{JS}\"><script>{JS}</script></svg></div></content></entry>"
        for p, payload in enumerate(PAYLOADS[:6])
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        "<title>Hostile Atom</title><id>tag:hostile.example.org,2026:feed</id>"
        f"<updated>2026-02-25T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def payload_page() -> bytes:
    body = "".join(f"<p>{MS29} The station crew will stay about eight months aboard. {p}</p>" for p in PAYLOADS)
    return (
        f"<!DOCTYPE html><html><head><title>Payload page {PAYLOADS[0]}</title><script>{JS}</script>"
        f'<meta http-equiv="refresh" content="0;url=javascript:{JS}"></head>'
        f'<body onload="{JS}"><nav><a href="javascript:{JS}">Home</a></nav><article><h1>Soyuz MS-29 payload page</h1>'
        f"{body}</article></body></html>"
    ).encode()


PAYLOAD_COUNT = len(PAYLOADS) * 4


# --- the corpus -------------------------------------------------------------------------------


def _billion_laughs(*, one_line: bool) -> bytes:
    entities = '<!ENTITY lol "lol">\n' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n' for i in range(1, 10)
    )
    head = f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{entities}]>\n'
    if one_line:
        head = head.replace("\n", "")
    return rss(story(1, "Laughs &lol9;", "&lol9; " + esc(MS29), raw=True), head=head)


def _quadratic_blowup() -> bytes:
    """One 50 kB entity referenced 4,000 times: 200 MB if expanded, from a 60 kB feed."""
    head = f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "{"a" * 50_000}">\n]>\n'
    return rss(story(1, "Blowup " + "&a;" * 2000, "&a;" * 2000, raw=True), head=head)


def _xxe(target: str, *, parameter: bool = False) -> bytes:
    if parameter:
        head = f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY % remote SYSTEM "{target}">\n%remote;\n]>\n'
        return rss(story(1, "XXE parameter entity"), head=head)
    head = f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{target}">\n]>\n'
    return rss(story(1, "XXE &xxe; here", f"&xxe; {esc(MS29)}", raw=True), head=head)


def _xxe_loopback(base: str, *, parameter: bool = False) -> dict[str, Route]:
    secret = Route(body=SECRET.encode(), headers={"Content-Type": "text/plain"})
    body = _xxe(f"{base}/secret", parameter=parameter)
    return {"feed.xml": Route(body=body, headers={"Content-Type": FEED_TYPE}), "secret": secret}


def _redirects(count: int) -> Callable[[str], dict[str, Route]]:
    """feed.xml → hop-1 → … → hop-`count` (relative Locations), the last one a good feed."""

    def routes(base: str) -> dict[str, Route]:
        hops = {"feed.xml": Route(status=302, headers={"Location": "hop-1"})}
        for n in range(1, count):
            hops[f"hop-{n}"] = Route(status=302, headers={"Location": f"hop-{n + 1}"})
        hops[f"hop-{count}"] = Route(body=rss(story(1, "Reached the end")), headers={"Content-Type": FEED_TYPE})
        return hops

    return routes


RUSSIAN_TITLE = "Кикина полетит на Союзе МС-29"
RUSSIAN_TEXT = "Анна Кикина полетит на МКС на корабле Союз МС-29 в июле 2026 года."
FRENCH_TITLE = "Café à Baïkonour"
ATTRIBUTE_BOMB = " ".join(f"a{n}='x'" for n in range(20_000))

CORPUS: list[Case] = [
    # --- malformed XML and not-a-feed -------------------------------------------------------
    Case(
        "malformed-truncated",
        "The feed stops in the middle of its first entry: nothing readable, a clear error.",
        serve(b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>broken"),
        Refused(r"The feed could not be read: no element found at line 1, column \d+\."),
    ),
    Case(
        "malformed-mismatched-tags",
        "Closing tags in the wrong order: the XML parser gives up, the lenient parser reads the entries.",
        serve(
            b"<?xml version='1.0'?><rss version='2.0'><channel>"
            + story(1, "Mismatched one").replace("</title>", "</titel>").encode()
            + story(2, "Mismatched two").encode()
            + b"</rss></channel>"
        ),
        Stored(1, titles=("Mismatched two",)),
    ),
    Case(
        "malformed-garbage-after-root",
        "A good feed followed by junk after its root element.",
        serve(rss(story(1, "Before the garbage")) + b"<<<>>>&&&\x00\x01 trailing garbage </rss>"),
        Stored(1, titles=("Before the garbage",)),
    ),
    Case(
        "malformed-undefined-entities",
        "HTML entities XML does not know (&nbsp;, &eacute;) and an unknown one (&bogus;).",
        serve(rss(story(1, "Caf&eacute;&nbsp;news &bogus; here", raw=True))),
        Stored(1, check=texts_contain("Café")),
    ),
    Case(
        "malformed-control-characters",
        "Raw control characters, forbidden in XML 1.0, in the title and text.",
        serve(rss(story(1, "Control\x01\x02\x0b\x1b[31m characters", "Bell\x07 and NUL-free " + MS29))),
        Stored(1),
    ),
    Case(
        "not-a-feed-json",
        "JSON served as application/rss+xml.",
        serve(b'{"items": [{"title": "not xml"}]}'),
        Refused(r"The feed could not be read: the response is not XML \(it begins '\{\"items\": "),
    ),
    Case(
        "not-a-feed-html",
        "An HTML page where the feed should be (a login wall, a moved feed).",
        serve(b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><p>Please sign in</p></body></html>"),
        Refused(r"the response is an HTML page, not an RSS or Atom feed"),
    ),
    Case(
        "empty-body",
        "200 OK with nothing in it.",
        serve(b""),
        Refused(r"the response is empty"),
    ),
    # --- entities ----------------------------------------------------------------------------
    Case(
        "billion-laughs",
        "Nested entities that would expand to 3 GB ('billion laughs'), one declaration a line.",
        serve(_billion_laughs(one_line=False)),
        Stored(1, check=lambda articles: all("lollol" not in a.title + a.text for a in articles)),
        max_memory=40_000_000,
    ),
    Case(
        "billion-laughs-one-line",
        "The same bomb on one line: feedparser's own DTD filter misses it, so it reached expat.",
        serve(_billion_laughs(one_line=True)),
        Stored(1, check=lambda articles: all("lollol" not in a.title + a.text for a in articles)),
        max_memory=40_000_000,
    ),
    Case(
        "entity-quadratic-blowup",
        "One 50 kB entity referenced 4,000 times: 60 kB of feed, 200 MB expanded (400 MB peak).",
        serve(_quadratic_blowup()),
        Stored(1, check=lambda articles: all("aaaaaaaaaa" not in a.title + a.text for a in articles)),
        max_memory=40_000_000,
    ),
    Case(
        "xxe-local-file",
        "An external entity naming /etc/passwd, used in the title and the text.",
        serve(_xxe("file:///etc/passwd")),
        Stored(1),
        never_stored=("root:",),
    ),
    Case(
        "xxe-loopback-url",
        "An external entity naming a loopback URL (a service only the server can reach).",
        lambda base: _xxe_loopback(base),
        Stored(1),
        never_requested=("secret",),
        never_stored=(SECRET,),
    ),
    Case(
        "xxe-parameter-entity",
        "An external parameter entity, expanded in the DTD itself (the out-of-band XXE shape).",
        lambda base: _xxe_loopback(base, parameter=True),
        Stored(1),
        never_requested=("secret",),
        never_stored=(SECRET,),
    ),
    # --- size ---------------------------------------------------------------------------------
    Case(
        "gzip-bomb",
        "Content-Encoding: gzip, 2 MB that inflate to 2 GB of zeros.",
        lambda base: {
            "feed.xml": Route(body=gzip_bomb(2048), headers={"Content-Type": FEED_TYPE, "Content-Encoding": "gzip"})
        },
        Refused(r"is larger than 5,000,000 bytes\.$"),
        max_memory=32_000_000,
    ),
    Case(
        "gzip-bomb-double",
        "Content-Encoding: gzip, gzip: 5 kB, then 2 MB, then 2 GB.",
        lambda base: {
            "feed.xml": Route(
                body=double_gzip_bomb(), headers={"Content-Type": FEED_TYPE, "Content-Encoding": "gzip, gzip"}
            )
        },
        Refused(r"is larger than 5,000,000 bytes\.$"),
        max_memory=32_000_000,
    ),
    Case(
        "brotli-bomb",
        "Content-Encoding: br, 200 kB that inflate to 1 GB.",
        lambda base: {
            "feed.xml": Route(body=brotli_bomb(), headers={"Content-Type": FEED_TYPE, "Content-Encoding": "br"})
        },
        Refused(r"is larger than 5,000,000 bytes\.$"),
        max_memory=32_000_000,
    ),
    Case(
        "body-50mb-declared",
        "A 50 MB body with a true Content-Length: refused on the header, before reading it.",
        lambda base: {
            "feed.xml": Route(
                stream=endless(b"x" * 65536, total=50_000_000),
                headers={"Content-Type": FEED_TYPE, "Content-Length": "50000000"},
            )
        },
        Refused(r"is larger than 5,000,000 bytes \(it declares 50,000,000\)\.$"),
        max_memory=32_000_000,
        max_sent=16_000_000,  # unread, but loopback's socket buffers take megabytes before the close
    ),
    Case(
        "body-50mb-undeclared",
        "A 50 MB body with no Content-Length: cut off at the limit.",
        lambda base: {"feed.xml": Route(stream=endless(b"<rss>" * 13107, total=50_000_000))},
        Refused(r"is larger than 5,000,000 bytes\.$"),
        max_memory=32_000_000,
        max_sent=16_000_000,  # the 5 MB read, and what loopback's socket buffers hold
    ),
    Case(
        "content-length-too-short",
        "Declares 100 bytes and sends 50 MB: only the 100 declared are read.",
        lambda base: {
            "feed.xml": Route(stream=endless(b"<rss>" * 13107, total=50_000_000), headers={"Content-Length": "100"})
        },
        Refused(r"The feed could not be read"),
    ),
    Case(
        "content-length-conflicting",
        "Two Content-Length values that disagree (a request smuggling shape).",
        lambda base: {"feed.xml": Route(body=rss(story(1, "Smuggled")), headers={"Content-Length": "3, 50000000"})},
        Refused(r"Content-Length contained multiple unmatching values"),
    ),
    # --- time ---------------------------------------------------------------------------------
    Case(
        "trickle-body",
        "An endless body, one byte every 0.2 s: each read is quick, the whole never ends.",
        lambda base: {"feed.xml": Route(stream=endless(b" "), pause=0.2, headers={"Content-Type": FEED_TYPE})},
        Refused(r"^.* after [\d.]+ seconds \(the total time allowed\)\.$", transient=True),
        wait="deadline",
    ),
    Case(
        "slow-headers",
        "The status line, then one header line every 0.4 s, 95 of them: under http.client's "
        "limit of 100, and no read waits long, so only a hard total deadline stops it.",
        lambda base: {"feed.xml": Route(body=rss(), header_pause=0.4, padding_headers=95)},
        Refused(r"after [\d.]+ seconds \(the total time allowed\)\.$", transient=True),
        wait="deadline",
    ),
    Case(
        "stalled-headers",
        "The status line, then silence: the per-read timeout ends it.",
        lambda base: {"feed.xml": Route(body=rss(), header_pause=60, padding_headers=1)},
        Refused(r"did not answer within [\d.]+ seconds\.$", transient=True),
        wait="read",
    ),
    # --- redirects ----------------------------------------------------------------------------
    Case(
        "redirect-loop",
        "feed.xml → loop-b → feed.xml.",
        lambda base: {
            "feed.xml": Route(status=301, headers={"Location": "loop-b"}),
            "loop-b": Route(status=301, headers={"Location": "feed.xml"}),
        },
        Refused(r"is a redirect loop \(it was already visited\)\.$"),
    ),
    Case(
        "redirect-to-itself",
        "A redirect to the same URL.",
        lambda base: {"feed.xml": Route(status=302, headers={"Location": f"{base}/feed.xml"})},
        Refused(r"is a redirect loop"),
    ),
    Case(
        "redirect-chain-20",
        "Twenty redirects before the feed: refused after the fifth, the rest never asked for.",
        _redirects(20),
        Refused(r"too many redirects \(more than 5\)\.$"),
        never_requested=tuple(f"hop-{n}" for n in range(7, 21)),
    ),
    Case(
        "redirect-to-file",
        "A redirect to file:///etc/passwd.",
        lambda base: {"feed.xml": Route(status=302, headers={"Location": "file:///etc/passwd"})},
        Refused(r"only http and https URLs are fetched, not file:\.$"),
        never_stored=("root:",),
    ),
    Case(
        "redirect-to-javascript",
        "A redirect to a javascript: URL.",
        lambda base: {"feed.xml": Route(status=302, headers={"Location": f"javascript:{JS}"})},
        Refused(r"only http and https URLs are fetched, not javascript:\.$"),
    ),
    Case(
        "redirect-without-location",
        "302 Found and no Location.",
        lambda base: {"feed.xml": Route(status=302)},
        Refused(r"answered 302 Found without saying where to"),
    ),
    # --- encodings ----------------------------------------------------------------------------
    Case(
        "charset-header-lies",
        "The HTTP header says ISO-8859-1; the body is UTF-8 Russian.",
        serve(rss(story(1, RUSSIAN_TITLE, RUSSIAN_TEXT)), "application/rss+xml; charset=iso-8859-1"),
        Stored(1, titles=(RUSSIAN_TITLE,)),
    ),
    Case(
        "charset-declaration-lies",
        "The XML declaration says UTF-8; the body is windows-1251.",
        serve(rss(story(1, RUSSIAN_TITLE, RUSSIAN_TEXT), encoding="cp1251"), "application/rss+xml"),
        Stored(1, titles=(RUSSIAN_TITLE,), check=texts_contain(RUSSIAN_TEXT)),
    ),
    Case(
        "charset-missing-latin1",
        "No charset anywhere, and the body is Latin-1 (not the XML default, UTF-8).",
        serve(
            rss(story(1, FRENCH_TITLE, "Le vaisseau a décollé de Baïkonour."), head="<?xml version='1.0'?>")
            .decode()
            .encode("latin-1"),
            "text/xml",
        ),
        Stored(1, titles=(FRENCH_TITLE,)),
    ),
    Case(
        "charset-mixed",
        "UTF-8 with Latin-1 bytes pasted into it: each part is read as what it is.",
        serve(rss(story(1, RUSSIAN_TITLE, "МКС: Café")).replace("Café".encode(), "Café".encode("latin-1"))),
        Stored(1, titles=(RUSSIAN_TITLE,), check=texts_contain("МКС: Café")),
    ),
    Case(
        "charset-unknown",
        "A charset no codec knows, on a UTF-8 body.",
        serve(rss(story(1, RUSSIAN_TITLE), head="<?xml version='1.0' encoding='x-no-such-charset'?>"), "text/xml"),
        Stored(1, titles=(RUSSIAN_TITLE,)),
    ),
    Case(
        "bom-utf8",
        "A UTF-8 byte order mark (twice) before the declaration.",
        serve(b"\xef\xbb\xbf\xef\xbb\xbf" + rss(story(1, RUSSIAN_TITLE))),
        Stored(1, titles=(RUSSIAN_TITLE,)),
    ),
    Case(
        "bom-utf16-declared-utf8",
        "A UTF-16 byte order mark, and a declaration that says UTF-8.",
        serve(rss(story(1, RUSSIAN_TITLE), encoding="utf-16")),
        Stored(1, titles=(RUSSIAN_TITLE,)),
    ),
    Case(
        "utf16-without-bom",
        "UTF-16 (big-endian) with no byte order mark.",
        serve(rss(story(1, RUSSIAN_TITLE), head="<?xml version='1.0' encoding='UTF-16'?>", encoding="utf-16-be")),
        Stored(1, titles=(RUSSIAN_TITLE,)),
    ),
    # --- binary and not HTTP -----------------------------------------------------------------
    Case(
        "png-as-feed",
        "A PNG image served as application/rss+xml.",
        serve(PNG),
        Refused(r"the response is binary data \(a PNG image\), not XML\.$"),
    ),
    Case(
        "random-bytes-as-feed",
        "64 kB of random bytes served as text/xml.",
        serve(random_bytes(), "text/xml"),
        Refused(r"the response is binary data, not XML\.$"),
    ),
    Case(
        "png-as-page",
        "A PNG image where an HTML page should be.",
        lambda base: {"page.html": Route(body=PNG, headers={"Content-Type": "text/html"})},
        Refused(r"The page is binary data \(a PNG image\), not HTML\.$"),
        kind="page",
        entry="page.html",
    ),
    Case(
        "not-http",
        "The server answers with bytes that are not HTTP at all.",
        lambda base: {"feed.xml": Route(raw=PNG + b"\r\n\r\n")},
        Refused(r"did not answer in HTTP"),
    ),
    # --- huge and heavy ----------------------------------------------------------------------
    Case(
        "huge-title",
        "A 1 MB title.",
        serve(rss(story(1, "Huge " + "title " * 170_000))),
        Stored(1, check=lambda articles: all(len(a.title) == 500 for a in articles)),
        max_memory=64_000_000,
    ),
    Case(
        "huge-title-of-markup",
        "A 1 MB title of '&lt;b' (once 13 s of regular-expression backtracking per 200 kB).",
        serve(rss(story(1, "Markup " + "&lt;b" * 200_000, raw=True))),
        Stored(1),
    ),
    Case(
        "huge-link",
        "A 5,000-character link, longer than the URL column (PostgreSQL refused the row).",
        serve(rss(item("long-link", "Long link", "https://hostile.example.org/" + "a" * 5000, MS29))),
        Stored(1, check=no_links),
    ),
    Case(
        "attribute-bomb",
        "An element with 20,000 attributes: parsers slow down with their square.",
        serve(rss().replace(b"<channel>", f"<channel {ATTRIBUTE_BOMB}>".encode())),
        Refused(r"an element has 20,000 attributes"),
    ),
    Case(
        "attribute-bomb-page",
        "An HTML page whose paragraph has 20,000 attributes.",
        lambda base: {
            "page.html": Route(
                body=f"<html><body><article><p {ATTRIBUTE_BOMB}>{MS29}</p></article></body></html>".encode(),
                headers={"Content-Type": "text/html; charset=utf-8"},
            )
        },
        Refused(r"The page could not be read: an element has 20,000 attributes"),
        kind="page",
        entry="page.html",
    ),
    Case(
        "deep-nesting",
        "50,000 nested elements in one entry's description.",
        serve(rss(story(1, "Deep", "<div>" * 50_000 + esc(MS29) + "</div>" * 50_000, raw=True))),
        Stored(1),
    ),
    # --- duplicates -----------------------------------------------------------------------------
    Case(
        "duplicate-guids-in-one-feed",
        "Three entries with one GUID and different titles and links: one article, the first (feeds put the "
        "newest first), and no rewrite of it on the next poll.",
        serve(
            rss(
                item("dup", "Duplicate first", "https://hostile.example.org/dup/1", MS29),
                item("dup", "Duplicate second", "https://hostile.example.org/dup/2", MS29 + " Updated."),
                item("dup", "Duplicate third", "https://hostile.example.org/dup/3", MS29 + " Updated again."),
            )
        ),
        Stored(1, titles=("Duplicate first",)),
    ),
    Case(
        "duplicate-guid-across-polls",
        "The GUID of an entry stored by the poll before, with new content: updated in place.",
        serve(rss(item("across", "Across polls, second version", "https://hostile.example.org/across/2", MS29))),
        Stored(1, titles=("Across polls, second version",)),
        earlier=rss(item("across", "Across polls, first version", "https://hostile.example.org/across/1", MS29)),
    ),
    Case(
        "url-of-another-sources-article",
        "An entry linking to the trusted source's article, with other text: it must not rewrite it.",
        serve(rss(item("hijack", f"Hijacked {PAYLOADS[0]}", TRUSTED_URL, "Rewritten by a hostile feed."))),
        Stored(0),
        never_stored=("Rewritten by a hostile feed",),
    ),
    # --- dates ----------------------------------------------------------------------------------
    Case(
        "dates-far-future",
        "Year 9999 and 2100: such a story would head every 'latest news' list for ever.",
        serve(
            rss(
                story(1, "Year 9999", date="Fri, 31 Dec 9999 23:59:59 GMT"),
                story(2, "Year 2100", date="Fri, 01 Jan 2100 00:00:00 GMT"),
            )
        ),
        Stored(2, check=no_dates),
    ),
    Case(
        "dates-far-past",
        "Year 1 (and a store step that subtracted a day from it), and 1066.",
        serve(
            rss(
                story(1, "Year one", date="Mon, 01 Jan 0001 00:00:00 GMT"),
                story(2, "Year 1066", date="Sat, 14 Oct 1066 09:00:00 GMT"),
            )
        ),
        Stored(2, check=no_dates),
    ),
    Case(
        "dates-epoch-zero",
        "1 January 1970, what an unset date becomes.",
        serve(rss(story(1, "Epoch zero", date="Thu, 01 Jan 1970 00:00:00 GMT"))),
        Stored(1, check=no_dates),
    ),
    Case(
        "dates-invalid",
        "Dates no calendar has: 30 February, hour 25, words, an empty element.",
        serve(
            rss(
                story(1, "February 30", date="Mon, 30 Feb 2026 10:00:00 GMT"),
                story(2, "Hour 25", date="Wed, 25 Feb 2026 25:61:00 GMT"),
                story(3, "In words", date="yesterday, around lunch"),
                story(4, "Empty date", date=" "),
            )
        ),
        Stored(4, check=no_dates),
    ),
    # --- script payloads in every field ---------------------------------------------------------
    *[
        Case(
            f"payload-{field}",
            f"Script payloads in the {field}, each escaped, CDATA-wrapped, escaped twice and as numeric entities.",
            serve(rss(*payload_items(field), namespaces=NAMESPACES)),
            Stored(PAYLOAD_COUNT, check=check),
            payload=True,
            never_stored=never,
        )
        for field, check, never in [
            ("title", None, ()),
            ("summary", None, ()),
            ("content", None, ()),
            # Neither is stored at all: the payload must not turn up anywhere.
            ("author", None, ("onerror", "<script")),
            ("category", None, ("onerror", "<script")),
        ]
    ],
    Case(
        "payload-link",
        "javascript:, data:, vbscript: and file: links, disguised; broken ports and brackets; "
        "an http link with markup in it.",
        serve(rss(*link_items())),
        Stored(
            len(BAD_LINKS) + 1,
            check=lambda articles: (
                [a.url for a in articles if not a.url.startswith("urn:news:")]
                == [
                    "https://hostile.example.org/a%22%3E%3Cscript%3Ewindow.__pwned=1;alert(%27PWNED%27)%3C/script%3E"
                    "?q=%3Cimg+src%3Dx+onerror%3Dwindow.__pwned%3D1%3Balert%28%27PWNED%27%29%3E"
                ]
            ),
        ),
        payload=True,
    ),
    Case(
        "payload-guid",
        "Script payloads as GUIDs (entries with no link, so the GUID is their identity).",
        serve(rss(*guid_items())),
        Stored(8, check=guids_hashed),
        payload=True,
    ),
    Case(
        "payload-atom",
        "Atom entries with XHTML content (markup as elements), html titles, summaries and authors.",
        serve(atom_payloads(), "application/atom+xml"),
        Stored(6),
        payload=True,
    ),
    Case(
        "payload-page",
        "An HTML page (a 'page' source) full of scripts, handlers and javascript: links.",
        lambda base: {"page.html": Route(body=payload_page(), headers={"Content-Type": "text/html; charset=utf-8"})},
        Stored(1),
        kind="page",
        entry="page.html",
        payload=True,
    ),
    # --- linked pages ---------------------------------------------------------------------------
    Case(
        "teasers-linking-to-trickles",
        "Six teaser entries whose linked pages trickle: each linked fetch has a deadline of its own, "
        "so without a budget for them all a poll held the worker for six deadlines.",
        lambda base: {
            "feed.xml": Route(
                body=rss(*(item(f"teaser-{n}", f"Teaser {n}", f"{base}/page-{n}", "Short teaser.") for n in range(6))),
                headers={"Content-Type": FEED_TYPE},
            ),
            **{f"page-{n}": Route(stream=endless(b" "), pause=0.2) for n in range(6)},
        },
        Stored(6, check=lambda articles: all(a.text == "Short teaser." for a in articles)),
        wait="linked",
        fetch_linked_pages=True,
    ),
    # --- a server error, retried ------------------------------------------------------------------
    Case(
        "server-error",
        "503 Service Unavailable: transient, retried, and the retry stores nothing twice.",
        lambda base: {"feed.xml": Route(status=503, body=b"try later")},
        Refused(r"answered 503 Service Unavailable\.$", transient=True),
    ),
]

BY_NAME = {case.name: case for case in CORPUS}
assert len(BY_NAME) == len(CORPUS), "case names must be unique"
PAYLOAD_CASES = [case for case in CORPUS if case.payload]
