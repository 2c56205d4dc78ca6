"""Bytes to text when the bytes and what they declare disagree: byte order marks, wide
encodings without one, a wrong or missing charset, UTF-8 with stray single-byte characters,
Russian in windows-1251 or KOI8-R that declares nothing (or a Western charset)."""

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
# The letters of windows-1251 and KOI8-R (each has both cases in 0xC0-0xFF, in a different
# order), and what Western charsets are called once codecs.lookup has named them.
CYRILLIC_LETTER_BYTES = bytes(range(0xC0, 0x100))
CYRILLIC_WORD_BYTES = re.compile(rb"[\xc0-\xff]{3,}")
CYRILLIC_MIN_LETTERS = 6
COMMON_RUSSIAN_LETTERS = "оеаинтсрвлОЕАИНТСРВЛ"
WESTERN = {"ascii", "iso8859-1", "iso8859-15", "cp1252", "latin-1"}


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
    if russian := russian_single_byte(body):
        return body.decode(russian)
    if high >= GUESS_MIN_BYTES and (best := from_bytes(body, cp_isolation=SINGLE_BYTE).best()) is not None:
        return str(best)
    return body.decode("cp1252", errors="news_stray_byte")


def russian_single_byte(body: bytes) -> str | None:
    """ "cp1251" or "koi8_r" when the bytes read as Russian words in one of them, else None.

    Russian words are runs of high bytes in both encodings; Western text in windows-1252 has
    a single accented letter among ASCII ones ("décollé"), rarely three high bytes in a row.
    Which of the two: the one in which the commonest Russian letters are common (read in the
    other, "о" is "П" and most letters change case), which holds for a lone headline in
    capitals too. Deterministic and cheap, where a general detector is unsure on short text."""
    letters = len(body) - len(body.translate(None, CYRILLIC_LETTER_BYTES))
    in_words = sum(len(word) for word in CYRILLIC_WORD_BYTES.findall(body))
    if letters < CYRILLIC_MIN_LETTERS or in_words * 3 < letters * 2:
        return None
    sample = body[:200_000]
    scores = {
        encoding: sum(sample.decode(encoding, errors="replace").count(letter) for letter in COMMON_RUSSIAN_LETTERS)
        for encoding in ("cp1251", "koi8_r")
    }
    return max(scores, key=scores.get)


# How an XML document without a byte order mark starts in UTF-32 and UTF-16 (XML 1.0,
# appendix F): "<?" with the zero bytes of a wide encoding around it.
WIDE_STARTS = [
    (b"<\x00\x00\x00?\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<\x00\x00\x00?", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
]


XML_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def feed_text(body: bytes, charset: str | None = None) -> str:
    """The text of a feed. By its byte order mark, or a wide encoding's "<?"; as UTF-8 when
    the bytes are UTF-8, whatever is declared (non-ASCII text that is valid UTF-8 is hardly
    ever anything else); else by what is declared, the XML declaration before the HTTP
    charset (a server's default charset is a worse witness than the document's own words);
    else by what the bytes are (repair_decode). A declared Western charset whose bytes read
    as Russian words is a server's default, not the truth: those bytes are read as Russian."""
    for start, encoding in BOMS + WIDE_STARTS:
        if body.startswith(start):
            try:
                return body.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                break  # the marks lie: go by the bytes
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = XML_DECLARED.match(body)
    for name in (declared and declared[1].decode("ascii"), charset):
        codec = _codec(name)
        if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")):
            continue  # unknown; or a wide one without its marks, or UTF-8 that is not
        if codec in WESTERN and (russian := russian_single_byte(body)):
            return body.decode(russian)
        try:
            return body.decode(codec)
        except UnicodeDecodeError:
            continue
    return repair_decode(body).lstrip("\ufeff")  # a UTF-8 mark on bytes that are not all UTF-8


def declare_utf8(text: str) -> str:
    return XML_DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1)


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text: by the byte order mark, else as UTF-8 when the bytes are UTF-8 (a
    page that is valid UTF-8 with non-ASCII in it is UTF-8, whatever it declares), else
    the declared charset if it works (a Western one only if the bytes are not Russian
    words), else repaired (see repair_decode)."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            try:
                return body.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", charset):
        if not encoding:
            continue
        if _codec(encoding) in WESTERN and (russian := russian_single_byte(body)):
            return body.decode(russian)  # a server's default charset on a Russian page
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return repair_decode(body)
