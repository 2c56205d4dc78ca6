"""Feeds as they come in the wild: character references that name no character, Russian in
a single-byte encoding that declares nothing, feeds with no entries; and a poll that meets
an exception no step expected, recorded on the source like any other failure."""

import pytest

from tests.factories import make_loopback_source
from tests.feeds import CONTENT_NAMESPACE, rss
from tests.http_server import Route
from tracker.news import services, tasks
from tracker.news.models import Article
from tracker.news.parse import ParseError, parse_feed, parse_page, parse_text
from tracker.news.parse.encodings import decode, feed_text, russian_single_byte
from tracker.news.parse.text import valid_character_references

BASE = "https://example.org/"
RUSSIAN_TITLE = "Экипаж корабля Союз МС-29 вернулся на Землю"
RUSSIAN_TEXT = "Спускаемый аппарат с космонавтами приземлился в казахстанской степи сегодня утром."


def rss_item(title="Soyuz MS-29 news", link="https://example.org/1", guid="g1", description="Text.", extra=""):
    return (
        f"<item><title>{title}</title><link>{link}</link><guid isPermaLink='false'>{guid}</guid>"
        f"<description>{description}</description>{extra}</item>"
    )


def atom_feed(title: str, href: str = "https://example.org/a", ident: str = "urn:x:1") -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>"
        f"<entry><title>{title}</title><id>{ident}</id><link href='{href}'/><summary>s</summary></entry></feed>"
    ).encode()


# --- numeric character references that name no character ----------------------------------

BAD_REFERENCES = {
    "lone high surrogate": "&#xD800;",
    "lone low surrogate": "&#xDE80;",
    "decimal surrogate": "&#55296;",
    "past U+10FFFF": "&#x110000;",
    "twenty decimal digits": "&#12345678901234567890;",
    "twenty hex digits": "&#x12345678901234567890;",
}
PAIRS = {"hexadecimal pair": "&#xD83D;&#xDE80;", "decimal pair": "&#55357;&#56960;"}


@pytest.mark.parametrize("reference", BAD_REFERENCES.values(), ids=BAD_REFERENCES.keys())
@pytest.mark.parametrize(
    "feed",
    [
        lambda ref: rss(rss_item(title=f"Soyuz {ref} news")),
        lambda ref: rss(rss_item(description=f"Docked {ref} today.")),
        lambda ref: rss(
            rss_item(extra=f"<content:encoded>&lt;p&gt;Docked {ref} today.&lt;/p&gt;</content:encoded>"),
            namespaces=CONTENT_NAMESPACE,
        ),
        lambda ref: rss(
            rss_item(extra=f"<content:encoded><![CDATA[<p>Docked {ref} today.</p>]]></content:encoded>"),
            namespaces=CONTENT_NAMESPACE,
        ),
        lambda ref: rss(rss_item(guid=f"id{ref}", link=f"https://example.org/{ref}")),
        lambda ref: atom_feed(f"Soyuz {ref} news", href=f"https://example.org/a{ref}", ident=f"urn:x:{ref}"),
    ],
    ids=["title", "summary", "escaped-content", "cdata-content", "guid-and-link", "atom-title-and-href"],
)
def test_a_reference_that_names_no_character_becomes_the_replacement_character(feed, reference):
    (entry,) = parse_feed(feed(reference), base_url=BASE)
    stored = entry.title + entry.text + entry.url + entry.guid
    assert "\ufffd" in stored or "%EF%BF%BD" in stored
    assert not any(0xD800 <= ord(character) < 0xE000 for character in stored)


@pytest.mark.parametrize("pair", PAIRS.values(), ids=PAIRS.keys())
def test_an_emoji_written_as_two_surrogates_is_the_emoji(pair):
    (entry,) = parse_feed(
        rss(
            rss_item(title=f"Liftoff {pair}", extra=f"<content:encoded><![CDATA[Go {pair}]]></content:encoded>"),
            namespaces=CONTENT_NAMESPACE,
        ),
        base_url=BASE,
    )
    assert (entry.title, entry.text) == ("Liftoff 🚀", "Go 🚀")


def test_surrogates_are_paired_only_high_then_low_and_side_by_side():
    assert valid_character_references("&#xD83D;&#xDE80;") == "&#x1F680;"
    assert valid_character_references("&#xD83D;&#xD83D;&#xDE80;") == "&#xFFFD;&#x1F680;"
    assert valid_character_references("&#xDE80;&#xD83D;") == "&#xFFFD;&#xFFFD;"
    assert valid_character_references("&#xD83D; &#xDE80;") == "&#xFFFD; &#xFFFD;"
    assert valid_character_references("a&#xD83D;") == "a&#xFFFD;"


def test_references_to_real_characters_are_left_as_they_are():
    text = "It&#8217;s &#x1F680; &#0065; &#x10FFFF; &amp;#xD800; &#xE000;"
    assert valid_character_references(text) == text


def test_a_reference_of_thousands_of_digits_is_replaced_without_reading_the_number():
    assert valid_character_references("&#" + "9" * 5000 + ";x") == "&#xFFFD;x"


def test_a_page_with_bad_references_is_read_with_replacement_characters():
    page = (
        "<html><body><article><h1>Soyuz &#xD800; news</h1><p>Soyuz MS-29 is scheduled to launch on July 14, "
        "2026 with NASA astronaut Anil Menon aboard &#xD83D;&#xDE80; and &#x110000; the crew of three.</p>"
        "</article></body></html>"
    )
    entry = parse_page(page.encode(), url=BASE + "page")
    assert "aboard 🚀 and \ufffd the crew" in entry.text


def test_a_plain_text_article_with_bad_references_is_read():
    entry, _ = parse_text(
        "Soyuz MS-29 is scheduled to launch on July 14, 2026 with NASA astronaut Anil Menon &#xD800; aboard.",
        default_url=BASE,
    )
    assert "Menon \ufffd aboard" in entry.text


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("<image><url>https://example.org/i.png</url></height></image>", "TypeError"),
        ("<item><title>t</title><link>https://example.org/1</link></creativeCommons:license></item>", "KeyError"),
    ],
    ids=["stray-height-end-tag", "stray-license-end-tag"],
)
def test_markup_that_breaks_feedparser_itself_is_a_feed_that_cannot_be_read(markup, error):
    with pytest.raises(ParseError, match=rf"^The feed could not be read: the feed parser failed on it \({error}: "):
        parse_feed(f"<rss version='2.0'><channel>{markup}</channel></rss>".encode(), base_url=BASE)


def test_a_namespace_with_a_no_break_space_is_a_feed_that_cannot_be_read():
    body = (
        "<rss version='2.0' xmlns:dc='http://purl.org/dc/\u00a0/'><channel><dc:creator>x</dc:creator></channel></rss>"
    )
    with pytest.raises(ParseError, match="the feed parser failed on it"):
        parse_feed(body.encode(), base_url=BASE)


# --- encodings -----------------------------------------------------------------------------


def russian_feed(encoding: str, *, head: str = "<?xml version='1.0'?>") -> bytes:
    return rss(rss_item(title=RUSSIAN_TITLE, description=RUSSIAN_TEXT), head=head, encoding=encoding)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
@pytest.mark.parametrize("head", ["<?xml version='1.0'?>", ""], ids=["declaration-without-encoding", "no-declaration"])
def test_a_russian_feed_that_declares_no_encoding_is_read_as_russian(encoding, head):
    (entry,) = parse_feed(russian_feed(encoding, head=head), base_url=BASE)
    assert (entry.title, entry.text) == (RUSSIAN_TITLE, RUSSIAN_TEXT)


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_headline_in_capitals_is_told_apart_too(encoding):
    assert russian_single_byte("ЭКИПАЖ СОЮЗА ВЕРНУЛСЯ НА ЗЕМЛЮ".encode(encoding)) == encoding


def test_western_text_is_not_taken_for_russian():
    assert russian_single_byte("Le vaisseau a décollé de Baïkonour à l'heure prévue. Größe".encode("cp1252")) is None


def test_the_content_type_charset_is_used_when_the_feed_declares_none():
    # ISO-8859-5 is no guess of ours: only the header can say it.
    body = russian_feed("iso8859_5")
    (entry,) = parse_feed(body, base_url=BASE, charset="iso-8859-5")
    assert entry.title == RUSSIAN_TITLE


def test_the_feeds_own_declaration_outranks_a_servers_default_charset():
    body = russian_feed("iso8859_5", head="<?xml version='1.0' encoding='ISO-8859-5'?>")
    assert feed_text(body, "windows-1252").startswith("<?xml") and RUSSIAN_TITLE in feed_text(body, "windows-1252")


def test_a_western_charset_on_russian_bytes_is_a_servers_default_not_the_truth():
    assert RUSSIAN_TITLE in feed_text(russian_feed("cp1251"), "iso-8859-1")
    assert RUSSIAN_TITLE in decode(RUSSIAN_TITLE.encode("koi8_r"), "iso-8859-1")


def test_a_russian_text_file_in_a_single_byte_encoding_is_read_as_russian():
    assert decode(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_TEXT}".encode("koi8_r"), None) == f"{RUSSIAN_TITLE}\n\n{RUSSIAN_TEXT}"


# --- feeds without entries -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<rss version='2.0'><channel></channel></rss>",
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>",
        b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'></feed>",
        b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'/>",
    ],
    ids=["rss-empty-channel", "rss-titled-channel", "atom", "rss-1.0"],
)
def test_a_well_formed_feed_without_entries_has_no_entries_and_no_error(body):
    assert parse_feed(body, base_url=BASE) == []


def test_xml_that_is_no_feed_is_still_an_error():
    with pytest.raises(ParseError, match="not an RSS or Atom feed"):
        parse_feed(b"<?xml version='1.0'?><catalog><book>Dune</book></catalog>", base_url=BASE)


# --- polling over HTTP ---------------------------------------------------------------------


@pytest.mark.django_db
def test_a_poll_of_a_feed_full_of_bad_references_stores_it(feed_server):
    references = " ".join([*BAD_REFERENCES.values(), *PAIRS.values()])
    source = make_loopback_source(feed_server, rss(rss_item(title=f"Soyuz MS-29 {references}")), name="Wild feed")
    assert (
        tasks.poll_source.apply(args=[source.pk]).get()
        == "Wild feed: 1 entries, 1 new, 0 updated, 0 unchanged, 0 proposals."
    )
    source.refresh_from_db()
    assert (source.last_error, source.consecutive_failures) == ("", 0)
    assert Article.objects.get(source=source).title == "Soyuz MS-29 " + "\ufffd " * 6 + "🚀 🚀"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_polled_russian_feed_without_a_charset_is_stored_as_russian(feed_server, encoding):
    source = make_loopback_source(feed_server, russian_feed(encoding), content_type="text/xml", name="Wild feed")
    services.poll(source)
    article = Article.objects.get(source=source)
    assert (article.title, article.text, article.language) == (RUSSIAN_TITLE, RUSSIAN_TEXT, "ru")


@pytest.mark.django_db
def test_a_polled_feed_is_decoded_by_its_content_type_charset(feed_server):
    source = make_loopback_source(
        feed_server, russian_feed("iso8859_5"), content_type="application/rss+xml; charset=ISO-8859-5", name="Wild feed"
    )
    services.poll(source)
    assert Article.objects.get(source=source).language == "ru"


@pytest.mark.django_db
def test_a_feed_without_entries_is_a_successful_poll_of_nothing(feed_server):
    source = make_loopback_source(
        feed_server, b"<?xml version='1.0'?><rss version='2.0'><channel></channel></rss>", name="Wild feed"
    )
    source.consecutive_failures, source.last_error = 2, "earlier trouble"
    source.save()
    assert tasks.poll_source.apply(args=[source.pk]).get() == "Wild feed: the feed has no entries."
    source.refresh_from_db()
    assert (source.last_error, source.consecutive_failures) == ("", 0) and source.last_success_at is not None


@pytest.mark.django_db
def test_a_polled_feed_that_breaks_feedparser_is_a_failure_recorded_on_the_source(feed_server):
    body = rss(rss_item()).replace(b"<channel>", b"<channel><image></height></image>")
    source = make_loopback_source(feed_server, body, name="Wild feed")
    outcome = tasks.poll_source.apply(args=[source.pk]).get(propagate=True)
    assert outcome.startswith("Wild feed: The feed could not be read: the feed parser failed on it (TypeError: ")
    source.refresh_from_db()
    assert "the feed parser failed on it (TypeError: " in source.last_error and source.consecutive_failures == 1


@pytest.mark.django_db
def test_an_unexpected_exception_in_a_poll_is_a_failure_recorded_on_the_source(feed_server, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise KeyError("no such thing\nat all")

    monkeypatch.setattr(services, "parse_newest", broken)
    source = make_loopback_source(feed_server, rss(rss_item()), name="Wild feed")
    outcome = tasks.poll_source.apply(args=[source.pk]).get(propagate=True)
    assert outcome == "Wild feed: failed unexpectedly: KeyError: 'no such thing\\nat all'"
    source.refresh_from_db()
    assert source.last_error == f"{source.url}: failed unexpectedly: KeyError: 'no such thing\\nat all'"
    assert source.consecutive_failures == 1
    tasks.poll_source.apply(args=[source.pk]).get(propagate=True)
    source.refresh_from_db()
    assert source.consecutive_failures == 2
    assert "Traceback" in caplog.text or any(record.exc_info for record in caplog.records)


@pytest.mark.django_db
def test_poll_sources_reports_an_unexpected_exception_in_a_line(feed_server, monkeypatch):
    monkeypatch.setattr(services, "parse_newest", lambda *args, **kwargs: 1 / 0)
    source = make_loopback_source(feed_server, rss(rss_item()), name="Wild feed")
    (line,) = services.poll_sources_now(name=source.name)
    assert line == "Wild feed: failed unexpectedly: ZeroDivisionError: division by zero"
    source.refresh_from_db()
    assert source.consecutive_failures == 1 and "ZeroDivisionError" in source.last_error


@pytest.mark.django_db
def test_a_linked_page_that_breaks_its_parser_keeps_the_feed_text(feed_server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("parser bug")

    link = feed_server.route("/story", Route(body=b"<html><body><p>x</p></body></html>"))
    monkeypatch.setattr(services, "parse_page", broken)
    source = make_loopback_source(feed_server, rss(rss_item(link=link, description="Teaser.")), name="Wild feed")
    source.fetch_linked_pages = True
    source.save()
    services.poll(source)
    source.refresh_from_db()
    assert Article.objects.get(source=source).text == "Teaser." and source.consecutive_failures == 0
