"""Feed documents for ingestion tests: an RSS builder, and a gzip bomb.

The pipeline, search, Celery and wild-feed tests, the fault scenarios (tests/faults) and the
hostile-input corpus (tests/hostile/corpus.py) all build their feeds with `rss`; the corpus
adds its own item builder (values XML-escaped) and its other bombs on top.
"""

import functools
import zlib

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"
PUBLISHED = "Wed, 25 Feb 2026 10:00:00 GMT"
CONTENT_NAMESPACE = " xmlns:content='http://purl.org/rss/1.0/modules/content/'"


def rss(
    *items: str | tuple[str, str, str, str],
    head: str = XML_DECLARATION,
    namespaces: str = "",
    encoding: str = "utf-8",
) -> bytes:
    """An RSS 2.0 feed, encoded in `encoding`.

    An item is either an `<item>` element the caller wrote, or a (guid, title, link, text)
    tuple: an item published 2026-02-25, its values taken as XML as they are, its text in
    CDATA. `head` is what comes before `<rss>` (a declaration that names no encoding, or
    nothing); `namespaces` are the xmlns attributes the items' extra elements need."""
    entries = "".join(item if isinstance(item, str) else _item(*item) for item in items)
    return (
        f"{head}<rss version='2.0'{namespaces}><channel><title>Test feed</title>"
        f"<link>https://example.org/</link><description>test</description>{entries}</channel></rss>"
    ).encode(encoding)


def _item(guid: str, title: str, link: str, text: str) -> str:
    return (
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>{PUBLISHED}</pubDate><description><![CDATA[{text}]]></description></item>"
    )


@functools.cache
def gzip_bomb(megabytes: int) -> bytes:
    """`megabytes` MB of zeros, gzipped about a thousand to one, built without holding them:
    gzip members of at most 64 MB, the full ones repeated (a gzip stream may hold many
    members, and decoders read them all). Cached: the 2 GB bomb takes seconds to build."""
    full, rest = divmod(megabytes, 64)
    return _gzipped_zeros(64) * full + (_gzipped_zeros(rest) if rest else b"")


def _gzipped_zeros(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    return b"".join(compressor.compress(zeros) for _ in range(megabytes)) + compressor.flush()
