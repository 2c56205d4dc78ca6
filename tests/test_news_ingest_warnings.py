"""`manage.py ingest` reads what it is given as far as it makes sense: a note in a header is a
warning (on stderr and in the JSON), never a refused article; an article with no date still
gets its mentions; a feed in a single-byte Russian encoding on disk is read as Russian; an
empty feed is said to be empty; and an exception nobody expected is one line, not a traceback."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

MS29 = "Soyuz MS-29 is scheduled to launch with NASA astronaut Anil Menon aboard, Roscosmos said."
RUSSIAN_TITLE = "Экипаж корабля Союз МС-29 вернулся на Землю"
RUSSIAN_TEXT = "Спускаемый аппарат с космонавтами Анной Кикиной приземлился в казахстанской степи утром."


def run_ingest_command(*targets, **options) -> tuple[list[dict], str]:
    """`manage.py ingest --json` on `targets`: its reports, one per article, and its stderr."""
    out, err = StringIO(), StringIO()
    call_command("ingest", *map(str, targets), "--json", stdout=out, stderr=err, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def article(tmp_path, headers: str, text: str = MS29, name: str = "story.txt"):
    path = tmp_path / name
    path.write_text(f"{headers}\n\n{text}\n")
    return path


def test_a_date_header_with_a_note_takes_the_leading_date_and_warns(tmp_path):
    path = article(tmp_path, "DATE: 2024-06-05 (from the dateline)")
    (report,), err = run_ingest_command(path)
    warning = "DATE: '2024-06-05 (from the dateline)' is more than a date: read as 2024-06-05, the rest left out."
    assert report["published"] == "2024-06-05" and report["warnings"] == [warning]
    assert err.strip() == f"{path}: warning: {warning}"
    assert report["missions"] == ["Soyuz MS-29"] and report["people"] == ["Anil Menon"]


def test_a_date_header_with_a_time_and_zone_is_the_utc_day(tmp_path):
    (report,), _ = run_ingest_command(article(tmp_path, "DATE: 2024-06-05T01:30:00+03:00"))
    assert (report["published"], report["warnings"]) == ("2024-06-04", [])


def test_an_article_with_no_usable_date_still_gets_its_mentions_with_a_warning(tmp_path):
    (report,), err = run_ingest_command(article(tmp_path, "DATE: sometime in spring"))
    assert report["published"] is None
    assert report["missions"] == ["Soyuz MS-29"] and report["people"] == ["Anil Menon"]
    assert [warning.split(":")[0] for warning in report["warnings"]] == [
        "DATE",
        "no publication date (none in a header, the feed or the text)",
    ]
    assert err.count("warning:") == 2


def test_a_date_in_words_in_the_header_is_read_from_it(tmp_path):
    (report,), _ = run_ingest_command(article(tmp_path, "DATE: June 5, 2024"))
    assert report["published"] == "2024-06-05"
    assert report["warnings"] == [
        "DATE: 'June 5, 2024' is not an ISO date (YYYY-MM-DD): the date is looked for in the text instead."
    ]


def test_a_url_header_with_a_note_keeps_the_link(tmp_path):
    (report,), _ = run_ingest_command(
        article(tmp_path, "URL: https://example.org/story (archived copy)\nDATE: 2024-06-05")
    )
    assert report["url"] == "https://example.org/story"
    assert report["warnings"] == [
        "URL: 'https://example.org/story (archived copy)' is more than a link: read as https://example.org/story, "
        "the rest left out."
    ]


def test_a_url_header_that_is_no_link_leaves_the_files_own(tmp_path):
    path = article(tmp_path, "URL: see the print edition\nDATE: 2024-06-05")
    (report,), _ = run_ingest_command(path)
    assert report["url"] == f"file://{path.resolve()}"
    assert report["warnings"][0].startswith("URL: 'see the print edition' was left out:")


def test_a_clean_header_gives_no_warnings(tmp_path):
    (report,), err = run_ingest_command(article(tmp_path, "DATE: 2024-06-05\nTITLE: Soyuz MS-29 crew named"))
    assert report["warnings"] == [] and "warning" not in err


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_russian_feed_file_without_a_declared_encoding_is_read_as_russian(tmp_path, encoding):
    path = tmp_path / "feed.xml"
    path.write_bytes(
        (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Новости</title><item>"
            f"<title>{RUSSIAN_TITLE}</title><link>https://example.org/ru</link>"
            f"<pubDate>Wed, 27 Sep 2023 12:00:00 GMT</pubDate><description>{RUSSIAN_TEXT}</description>"
            "</item></channel></rss>"
        ).encode(encoding)
    )
    (report,), _ = run_ingest_command(path)
    assert (report["title"], report["language"]) == (RUSSIAN_TITLE, "ru")
    assert "Anna Kikina" in report["people"]


def test_a_feed_file_with_references_to_no_character_is_read(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(
        "<rss version='2.0'><channel><item><title>Soyuz MS-29 &#xD800; &#x110000; &#xD83D;&#xDE80;</title>"
        f"<link>https://example.org/1</link><description>{MS29} &#12345678901234567890;</description>"
        "</item></channel></rss>"
    )
    (report,), err = run_ingest_command(path)
    assert report["title"] == "Soyuz MS-29 \ufffd \ufffd 🚀" and "Traceback" not in err


def test_a_feed_without_entries_is_said_to_have_none_and_is_no_failure(tmp_path):
    path = tmp_path / "empty.xml"
    path.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    reports, err = run_ingest_command(path)
    assert reports == [] and err.strip() == f"{path}: the feed has no entries."


def test_an_unexpected_exception_is_one_line_not_a_traceback(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr("tracker.news.management.commands.ingest.parse_feed", broken)
    path = tmp_path / "feed.xml"
    path.write_text("<rss/>")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was ingested"):
        call_command("ingest", str(path), stderr=err)
    assert err.getvalue() == (
        f"{path}: failed unexpectedly: UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' "
        "in position 0: surrogates not allowed\n"
    )
    with pytest.raises(UnicodeEncodeError):  # the details, for whoever asks
        call_command("ingest", str(path), "--traceback", stderr=StringIO())


def test_one_unreadable_target_does_not_stop_the_others(tmp_path):
    good = article(tmp_path, "DATE: 2024-06-05")
    reports, err = run_ingest_command(tmp_path / "missing.txt", good)
    assert [report["published"] for report in reports] == ["2024-06-05"]
    assert "missing.txt" in err


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_a_russian_text_file_in_a_single_byte_encoding_is_read_as_russian(tmp_path, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(f"DATE: 2023-09-27\n\n{RUSSIAN_TITLE}\n\n{RUSSIAN_TEXT}\n".encode(encoding))
    (report,), _ = run_ingest_command(path)
    assert (report["language"], report["published"]) == ("ru", "2023-09-27")
    assert "Anna Kikina" in report["people"]
