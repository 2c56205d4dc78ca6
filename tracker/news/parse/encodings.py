"""Bytes to text when the bytes and what they declare disagree: byte order marks, wide
encodings without one, a wrong or missing charset, UTF-8 with stray single-byte characters."""

import codecs
import re

from charset_normalizer import from_bytes

# UTF-32's marks first: UTF-16's little-endian one is the start of UTF-32's.
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
XML_DECLARATION_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?\sencoding\s*=\s*)(["'])[^"']*\2""")
# Single-byte encodings a non-UTF-8 feed of ours is likely in: Western European, Russian.
SINGLE_BYTE = ["cp1252", "cp1251", "koi8_r"]
NON_ASCII = bytes(range(0x80, 0x100))
# Fewer non-ASCII bytes than this are too little evidence to guess a language from.
GUESS_MIN_BYTES = 20


def _stray_byte(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: a byte that is not UTF-8 is read as windows-1252 (latin-1
    where windows-1252 leaves it undefined), the usual source of a stray byte."""
    byte = error.object[error.start : error.start + 1]
    try:
        return byte.decode("cp1252"), error.start + 1
    except UnicodeDecodeError:
        return byte.decode("latin-1"), error.start + 1


codecs.register_error("news_stray_byte", _stray_byte)


def repair_decode(body: bytes) -> str:
    """Text of bytes whose declared encoding (if any) is wrong. Mostly UTF-8 with stray
    single-byte characters pasted in: UTF-8, strays read as windows-1252. Not UTF-8 at
    all: the likeliest of windows-1252, windows-1251 and KOI8-R for the text, or
    windows-1252 when there is too little text to tell."""
    strays = len(body) - len(body.decode("utf-8", errors="ignore").encode())
    text = body.decode("utf-8", errors="news_stray_byte")
    high = len(body) - len(body.translate(None, NON_ASCII))
    if high - strays >= strays:  # more bytes in valid UTF-8 sequences than outside them
        return text
    if high >= GUESS_MIN_BYTES and (best := from_bytes(body, cp_isolation=SINGLE_BYTE).best()) is not None:
        return str(best)
    return body.decode("cp1252", errors="news_stray_byte")


# How an XML document without a byte order mark starts in UTF-32 and UTF-16 (XML 1.0,
# appendix F): "<?" with the zero bytes of a wide encoding around it.
WIDE_STARTS = [
    (b"<\x00\x00\x00?\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<\x00\x00\x00?", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
]


def utf8_feed(body: bytes) -> tuple[bytes, bool]:
    """A byte order mark settles the encoding, whatever the XML declaration says, and so
    does a wide encoding's "<?": decode by it and hand feedparser UTF-8 saying so (its own
    checks then see the document as it is). Returns (body, whether it was re-encoded)."""
    for start, encoding in BOMS + WIDE_STARTS:
        if body.startswith(start):
            try:
                text = body.decode(encoding)
            except UnicodeDecodeError:
                return body, False  # the marks lie too: leave it to feedparser
            return declare_utf8(text.lstrip("\ufeff")).encode(), True
    return body, False


def declare_utf8(text: str) -> str:
    return XML_DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1)


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text: by the byte order mark, else as UTF-8 when the bytes are UTF-8 (a
    page that is valid UTF-8 with non-ASCII in it is UTF-8, whatever it declares), else
    the declared charset if it works, else repaired (see repair_decode)."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            try:
                return body.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", charset):
        if not encoding:
            continue
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return repair_decode(body)
