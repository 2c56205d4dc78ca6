"""The ingestion pipeline over real HTTP on loopback: fetch → parse → store → extract → propose."""

import datetime as dt
import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_loopback_source
from tests.feeds import rss
from tests.http_server import Route
from tracker.news.fetch import FetchError
from tracker.news.models import Article, Mention, NewsSource, ProposalStatus, ProposedUpdate
from tracker.news.parse import Entry, ParseError, canonical_url, parse_feed, parse_page, parse_text
from tracker.news.services import ingest_entry, poll, poll_sources_now
from tracker.news.tasks import dispatch_due_sources

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_c1fbf78071392ec2.txt"
SEED_COPY = Path(__file__).resolve().parent / "data" / "seed-urdupoint-2022-09-29.txt"
# The record has MS-29's launch target on July 14: this report moves it.
MS29 = "Soyuz MS-29 is scheduled to launch on August 2, 2026 with NASA astronaut Anil Menon aboard."


# --- parse -------------------------------------------------------------------------------


def test_tracking_parameters_and_fragments_are_not_part_of_an_articles_url():
    assert canonical_url("HTTPS://Example.org/a?utm_source=x&id=3&fbclid=1#top") == "https://example.org/a?id=3"


def test_a_plain_text_page_keeps_the_article_and_drops_the_page_around_it():
    entry, headers = parse_text(SEED_COPY.read_text(), default_url="file:seed")
    assert entry.title == "Russia Willing To Cooperate With US In Space Despite Strained Relations - Foreign Ministry"
    assert entry.text.startswith("MOSCOW (UrduPoint News / Sputnik")
    for furniture in ("Recent Stories", "Mohammad Rizwan", "Maryam Nawaz", "About Us", "UrduPoint Network is"):
        assert furniture not in entry.text


def test_the_shipped_seed_copy_is_the_seed_page():
    if SEED.exists():  # beside a checkout of the steering repository
        assert SEED.read_text() == SEED_COPY.read_text()
    assert "Soyuz MS-22" in SEED_COPY.read_text()


def test_text_headers_give_url_date_and_title():
    entry, _ = parse_text(
        "URL: https://example.org/x?utm_medium=rss\nDATE: 2026-02-25\nTITLE: Hello there friends\n\n" + MS29,
        default_url="x",
    )
    assert (entry.url, entry.published.date(), entry.title) == (
        "https://example.org/x",
        dt.date(2026, 2, 25),
        "Hello there friends",
    )


def test_a_date_header_that_is_no_date_is_a_warning_and_the_article_is_still_read():
    entry, headers = parse_text("DATE: yesterday\n\n" + MS29, default_url="x")
    assert entry.published is None and entry.text == MS29
    assert headers["warnings"] == [
        "DATE: 'yesterday' is not an ISO date (YYYY-MM-DD): the date is looked for in the text instead."
    ]


def test_an_html_page_is_reduced_to_its_main_text():
    page = (
        "<html><head><title>Launch news</title><script>alert(1)</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/sport'>Cricket scores</a></nav>"
        f"<article><h1>Soyuz MS-29 launch date</h1><p>{MS29}</p><p>{MS29.replace('14', '15')} Or so they said, at length, in a long paragraph.</p></article>"
        "<aside><h2>Recent Stories</h2><ul><li>Mohammad Rizwan shows the light to Pakistan</li></ul></aside></body></html>"
    ).encode()
    entry = parse_page(page, url="https://example.org/launch?utm_source=feed")
    assert "Soyuz MS-29 is scheduled" in entry.text
    assert "Rizwan" not in entry.text and "alert(1)" not in entry.text and "Cricket" not in entry.text
    assert entry.url == "https://example.org/launch"


def test_a_feed_with_hostile_markup_becomes_plain_text():
    body = rss(
        (
            "g1",
            "<img src=x onerror=alert(1)>Soyuz MS-29 news",
            "javascript:alert(2)",
            f"<script>alert(3)</script><b>{MS29}</b>",
        )
    )
    (entry,) = parse_feed(body, base_url="https://example.org/feed")
    assert "<" not in entry.title + entry.text and "alert(3)" not in entry.text
    assert entry.url == ""  # a javascript: link is no link; the GUID identifies the entry


def test_a_malformed_feed_is_a_clear_error():
    with pytest.raises(ParseError, match="feed could not be read"):
        parse_feed(b"<rss><channel><item><title>broken", base_url="https://example.org/")


def test_binary_content_is_not_a_page():
    with pytest.raises(ParseError, match="binary"):
        parse_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00", url="https://example.org/x.png")


# --- store: one article per story -------------------------------------------------------


def entry(
    url="https://example.org/a",
    guid="",
    title="Soyuz MS-29 target",
    text=MS29,
    published=dt.datetime(2026, 4, 30, tzinfo=dt.UTC),
):
    return Entry(url=url, guid=guid, title=title, published=published, text=text)


def test_the_same_url_twice_is_one_article(source):
    assert ingest_entry(entry(), source=source).status == "created"
    assert ingest_entry(entry(), source=source).status == "unchanged"
    assert Article.objects.filter(source=source).count() == 1


def test_the_same_guid_under_a_new_url_is_one_article(source):
    ingest_entry(entry(guid="abc"), source=source)
    assert ingest_entry(entry(url="https://example.org/moved", guid="abc"), source=source).status == "unchanged"
    assert Article.objects.filter(source=source).count() == 1


def test_the_same_title_from_the_same_source_within_a_day_is_one_article(source):
    ingest_entry(entry(), source=source)
    later = entry(url="https://example.org/b", published=dt.datetime(2026, 4, 30, 20, tzinfo=dt.UTC))
    assert ingest_entry(later, source=source).status == "unchanged"
    next_week = entry(url="https://example.org/c", published=dt.datetime(2026, 5, 8, tzinfo=dt.UTC))
    assert ingest_entry(next_week, source=source).status == "created"


def test_a_changed_article_is_updated_not_duplicated(source):
    first = ingest_entry(entry(), source=source).article
    changed = ingest_entry(entry(text=MS29 + " The crew includes Anna Kikina."), source=source)
    assert changed.status == "updated" and changed.article.pk == first.pk
    assert Article.objects.get(pk=first.pk).mentions.filter(person__name="Anna Kikina").exists()


def test_an_article_is_linked_to_the_missions_and_people_it_names(source):
    article = ingest_entry(entry(), source=source).article
    assert set(article.mentions.values_list("mission__name", flat=True)) - {None} == {"Soyuz MS-29"}
    assert set(article.mentions.values_list("person__name", flat=True)) - {None} == {"Anil Menon"}


def test_a_proposal_carries_the_article_and_the_sentence_that_supports_it(source):
    result = ingest_entry(entry(), source=source)
    (proposal,) = result.proposals
    assert proposal.summary == "Soyuz MS-29 launch: 2026-08-02, planned"
    assert proposal.status == ProposalStatus.PENDING
    evidence = proposal.evidence.get()
    assert evidence.article == result.article and evidence.sentence == MS29


def test_what_the_record_already_says_proposes_nothing(source):
    text = "Soyuz MS-22 launched on September 21, 2022 with NASA astronaut Francisco Rubio."
    assert (
        ingest_entry(entry(text=text, published=dt.datetime(2022, 9, 22, tzinfo=dt.UTC)), source=source).proposals == []
    )


def test_a_coarser_report_that_holds_the_records_date_proposes_nothing(source):
    text = "Launched last month, Soyuz MS-22 carried NASA astronaut Francisco Rubio to the station."
    published = dt.datetime(2022, 10, 20, tzinfo=dt.UTC)
    assert ingest_entry(entry(text=text, published=published), source=source).proposals == []


def test_a_coarser_report_that_contradicts_the_record_is_still_proposed(source):
    text = "Launched in November 2022, Soyuz MS-22 carried NASA astronaut Francisco Rubio to the station."
    published = dt.datetime(2022, 12, 20, tzinfo=dt.UTC)
    (proposal,) = ingest_entry(entry(text=text, published=published), source=source).proposals
    assert (proposal.kind, proposal.date, proposal.precision) == ("launch", dt.date(2022, 11, 1), "month")


def test_nothing_changes_the_record_without_review(source, mission):
    ingest_entry(entry(), source=source)
    ms29 = mission("Soyuz MS-29")
    assert (ms29.launch_at.date(), ms29.launch_certainty) == (dt.date(2026, 7, 14), "target")


# --- polling a source over HTTP ----------------------------------------------------------


def test_polling_a_feed_stores_its_entries_and_records_health(feed_server):
    source = make_loopback_source(
        feed_server, rss(("g1", "Soyuz MS-29 date", "https://example.org/1", MS29)), etag='"v1"'
    )
    result = poll(source)
    assert result.count("created") == 1
    source.refresh_from_db()
    assert source.last_error == "" and source.consecutive_failures == 0 and source.articles_found == 1
    assert source.etag == '"v1"' and source.last_success_at is not None


def test_an_unchanged_feed_costs_no_parsing_and_no_article_writes(feed_server, django_assert_max_num_queries):
    source = make_loopback_source(
        feed_server, rss(("g1", "Soyuz MS-29 date", "https://example.org/1", MS29)), etag='"v1"'
    )
    poll(source)
    source.refresh_from_db()
    with django_assert_max_num_queries(1):  # the health row, nothing else
        assert poll(source).not_modified
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1"'


@pytest.mark.parametrize(
    ("route", "message"),
    [
        (Route(status=503, body=b"down"), "answered 503"),
        (Route(body=b"<rss><channel><item><title>broken"), "feed could not be read"),
        (Route(body=b"x" * 6_000_000), "larger than 5,000,000 bytes"),
        (
            Route(body=gzip.compress(b"\0" * 20_000_000), headers={"Content-Encoding": "gzip"}),
            "larger than 5,000,000 bytes",
        ),
        (Route(status=404, body=b"gone"), "answered 404"),
    ],
    ids=["server-error", "malformed-xml", "oversized", "gzip-bomb", "not-found"],
)
def test_a_failing_source_records_a_clear_error_and_keeps_earlier_articles(feed_server, route, message):
    source = make_loopback_source(feed_server, rss(("g1", "Soyuz MS-29 date", "https://example.org/1", MS29)))
    poll(source)
    feed_server.routes["/feed.xml"] = route
    with pytest.raises((FetchError, ParseError)):
        poll(source)
    source.refresh_from_db()
    assert message in source.last_error
    assert source.consecutive_failures == 1
    assert Article.objects.filter(source=source).count() == 1


def test_an_unreachable_host_is_a_transient_error_on_the_source(feed_server):
    source = NewsSource.objects.create(name="Nowhere", url="http://127.0.0.1:9/feed", allow_private_network=True)
    with pytest.raises(FetchError) as raised:
        poll(source)
    assert raised.value.transient
    source.refresh_from_db()
    assert "127.0.0.1" in source.last_error and source.consecutive_failures == 1


def test_a_source_on_a_private_network_is_refused_unless_allowed(feed_server):
    source = make_loopback_source(feed_server, rss(("g1", "t", "https://example.org/1", MS29)))
    source.allow_private_network = False
    source.save()
    with pytest.raises(FetchError, match="loopback"):
        poll(source)
    source.refresh_from_db()
    assert "allow private networks" in source.last_error
    assert feed_server.requests == []


def test_a_wrongly_declared_charset_still_reads_the_text(feed_server):
    body = rss(
        (
            "g1",
            "Кикина полетит на Союз МС-29",
            "https://example.org/ru",
            "Анна Кикина полетит на МКС на корабле Союз МС-29.",
        )
    )
    source = make_loopback_source(feed_server, body)
    feed_server.routes["/feed.xml"].headers["Content-Type"] = "application/rss+xml; charset=iso-8859-1"
    poll(source)
    article = Article.objects.get(source=source)
    assert "Кикина" in article.title or "Кикина" in article.text


def test_hostile_markup_never_reaches_a_page_unescaped(client, feed_server):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    body = rss(("g1", f"Soyuz MS-29 {payload}", "https://example.org/h", f"{MS29} {payload}"))
    poll(make_loopback_source(feed_server, body))
    html = client.get("/").content.decode() + client.get("/missions/soyuz-ms-29/").content.decode()
    assert "Soyuz MS-29" in html
    assert "<script>alert" not in html and "onerror=alert" not in html


def test_a_teaser_entry_gets_its_linked_pages_main_text(feed_server):
    page = f"<html><body><nav>Menu</nav><article><h1>Soyuz</h1><p>{MS29} The crew will stay about eight months aboard the station.</p></article></body></html>"
    link = feed_server.route("/story", Route(body=page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    source = make_loopback_source(feed_server, rss(("g1", "Soyuz MS-29", link, "Short teaser.")))
    source.fetch_linked_pages = True
    source.save()
    poll(source)
    assert "scheduled to launch on August 2, 2026" in Article.objects.get(source=source).text


def test_the_dispatcher_enqueues_each_due_source_once(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr("tracker.news.tasks.poll_source.delay", lambda pk: queued.append(pk))
    NewsSource.objects.update(enabled=False)
    due = NewsSource.objects.create(name="Due", url="https://example.org/f", enabled=True)
    NewsSource.objects.create(name="Off", url="https://example.org/g", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_sources() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_sources() == 0  # claimed for one interval
    assert queued == [due.pk]


# --- the sample source and the commands --------------------------------------------------


def test_the_sample_source_works_offline_and_proposes_updates():
    (line,) = poll_sources_now(name="Sample news (offline)")
    assert line == "Sample news (offline): 5 entries, 5 new, 0 updated, 0 unchanged, 3 proposals."
    # The record has the stories' targets and crews; they give the times of day it lacks.
    assert set(ProposedUpdate.objects.values_list("summary", flat=True)) == {
        "Soyuz MS-28 launch: 2025-11-27 09:27 UTC, happened",
        "Soyuz MS-28 docking: 2025-11-27 12:34 UTC, happened",
        "SpaceX Crew-12 launch: 2026-02-13 10:15 UTC, happened",
    }
    (again,) = poll_sources_now(name="Sample news (offline)")
    assert again == "Sample news (offline): 5 entries, 0 new, 0 updated, 5 unchanged, 0 proposals."


def test_a_russian_article_is_linked_to_the_record():
    poll_sources_now(name="Sample news (offline)")
    article = Article.objects.get(language="ru")
    assert set(Mention.objects.filter(article=article).values_list("person__name", flat=True)) >= {"Andrey Fedyaev"}
    assert article.mentions.filter(mission__name="SpaceX Crew-12").exists()


def test_ingest_json_reports_the_seed_pages_facts():
    out = StringIO()
    call_command("ingest", str(SEED_COPY), "--json", stdout=out)
    (line,) = out.getvalue().strip().splitlines()
    report = json.loads(line)
    assert report["published"] == "2022-09-29" and report["language"] == "en"
    # "Kikina will fly to the ISS on the US-made Crew Dragon" a week before Crew-5 launched: Crew-5.
    assert report["missions"] == ["Soyuz MS-22", "SpaceX Crew-5"]
    assert set(report["people"]) == {"Sergey Prokopyev", "Dmitry Petelin", "Francisco Rubio", "Anna Kikina"}
    launch = next(event for event in report["events"] if event["type"] == "launch")
    assert launch == {**launch, "mission": "Soyuz MS-22", "date": "2022-09-21", "happened": True}
    assert "September 21" in launch["evidence"]
    assert report["proposals"] == []  # the record already says all of it


def test_ingest_json_gives_each_event_its_utc_day_time_state_mission_and_evidence(tmp_path):
    story = tmp_path / "landing.txt"
    story.write_text(
        "URL: https://example.org/landing\nDATE: 2025-04-20\nSOURCE: Test\n\n"
        "Soyuz MS-26 landing\n\n"
        "Soyuz MS-26 landed in Kazakhstan at 6:20 a.m. local time, which was 9:20 p.m. EDT Saturday, "
        "bringing home NASA astronaut Don Pettit and two cosmonauts after seven months on the station.\n"
    )
    out = StringIO()
    call_command("ingest", str(story), "--json", stdout=out)
    (landing,) = [e for e in json.loads(out.getvalue())["events"] if e["type"] == "landing"]
    assert {k: landing[k] for k in ("mission", "date", "time", "happened")} == {
        "mission": "Soyuz MS-26",
        "date": "2025-04-20",
        "time": "01:20",
        "happened": True,
    }
    assert landing["evidence"].startswith("Soyuz MS-26 landed in Kazakhstan")


def test_ingest_reads_a_feed_over_http(feed_server):
    url = feed_server.route(
        "/f.xml",
        Route(
            body=rss(("g1", "Soyuz MS-29 date", "https://example.org/1", MS29)),
            headers={"Content-Type": "application/rss+xml"},
        ),
    )
    out = StringIO()
    call_command("ingest", url, "--json", "--allow-private-network", stdout=out)
    report = json.loads(out.getvalue())
    assert report["proposals"] == ["Soyuz MS-29 launch: 2026-08-02, planned"]


def test_ingest_refuses_loopback_without_the_flag(feed_server):
    url = feed_server.route("/f.xml", Route(body=b"x"))
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was ingested"):
        call_command("ingest", url, stderr=err)
    assert "loopback" in err.getvalue()


def test_poll_sources_names_an_unknown_source():
    with pytest.raises(CommandError, match="No news source is named 'Nope'"):
        call_command("poll_sources", "--source", "Nope")


def test_the_dashboard_shows_the_latest_news_linked_to_missions(client):
    poll_sources_now(name="Sample news (offline)")
    html = client.get("/").content.decode()
    news = html[html.index('id="latest-news"') :]
    assert "Soyuz MS-29 crew targets July launch" in news
    assert '<a class="chip" href="/missions/soyuz-ms-29/">Soyuz MS-29</a>' in news
