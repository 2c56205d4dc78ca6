"""A cap on what one feed can make us store: the newest entries up to the cap each poll,
the rest left for the next one (counted on the source's row), and no ETag kept until they
are read, so an unchanged feed still gives them up (tracker/news/entry_cap.py)."""

import datetime as dt
import random
import re
import time

import pytest
from django.db import IntegrityError, transaction

from tests.factories import make_loopback_source, make_news_source
from tests.test_news_celery import finished, polls, record, worker  # noqa: F401 (fixtures)
from tests.waiting import wait_until
from tracker.news import services
from tracker.news.models import Article, NewsSource
from tracker.news.parse import feeds, parse_newest
from tracker.news.tasks import poll_source

ETAG = '"long-feed-v1"'
DAY_ONE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BASE = "https://news.example.org/"


def long_feed(count: int, *, shuffled: bool = True) -> bytes:
    """`count` stories, story n published n hours after DAY_ONE, listed in random order (a
    feed is not always newest first); short items, so that thousands fit the fetch's limit."""
    numbers = list(range(count))
    if shuffled:
        random.Random(count).shuffle(numbers)
    items = "".join(
        f"<item><guid isPermaLink='false'>story-{n}</guid><title>Story {n}</title><link>{BASE}{n}</link>"
        f"<pubDate>{(DAY_ONE + dt.timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        f"<description>Orbit raised, story {n}.</description></item>"
        for n in numbers
    )
    return f"<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Long</title>{items}</channel></rss>".encode()


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def nothing_stored(keys):
    return set()


def long_source(feed_server, count: int, **fields) -> NewsSource:
    return make_loopback_source(feed_server, long_feed(count), name="Long feed", path="/long.xml", etag=ETAG, **fields)


def stored_numbers() -> set[int]:
    return {int(title.split()[-1]) for title in Article.objects.values_list("title", flat=True)}


# --- reading a feed up to the cap (pure) ----------------------------------------------------


def test_a_feed_longer_than_the_cap_gives_its_newest_entries_whatever_their_order():
    newest = parse_newest(long_feed(10), base_url=BASE, limit=3, stored=nothing_stored)
    assert titles(newest.entries) == ["Story 9", "Story 8", "Story 7"]
    assert newest.left == 7


def test_entries_already_stored_are_passed_over_so_the_next_read_takes_the_following_ones():
    def stored(keys):
        return {(guid, url) for guid, url in keys if guid in {"story-9", "story-8", "story-7"}}

    newest = parse_newest(long_feed(10), base_url=BASE, limit=3, stored=stored)
    assert titles(newest.entries) == ["Story 6", "Story 5", "Story 4"]
    assert newest.left == 4


def test_a_feed_within_the_cap_is_read_whole_stored_entries_included():
    asked = []
    newest = parse_newest(long_feed(5), base_url=BASE, limit=5, stored=asked.append)
    assert titles(newest.entries) == [f"Story {n}" for n in range(4, -1, -1)] and newest.left == 0
    assert asked == []  # no lookup: a changed story in a short feed is still updated


def test_undated_entries_come_after_dated_ones_in_the_feeds_order():
    body = re.sub(rb"<pubDate>[^<]*</pubDate>", b"", long_feed(3, shuffled=False), count=1)  # Story 0's
    newest = parse_newest(body, base_url=BASE, limit=2, stored=nothing_stored)
    assert titles(newest.entries) == ["Story 2", "Story 1"] and newest.left == 1


def test_only_the_entries_taken_are_made_into_plain_text(monkeypatch):
    made = []
    real_entry = feeds._entry
    monkeypatch.setattr(feeds, "_entry", lambda item, base_url: made.append(item) or real_entry(item, base_url))
    newest = parse_newest(long_feed(2000), base_url=BASE, limit=20, stored=nothing_stored)
    assert len(newest.entries) == 20 and newest.left == 1980
    assert len(made) == 20


# --- a poll with the cap (the plain function, a real HTTP server) ------------------------------


@pytest.mark.django_db
def test_a_poll_stores_the_newest_up_to_the_sources_cap_and_counts_the_rest_on_its_row(feed_server):
    source = long_source(feed_server, 50, max_entries_per_poll=20)
    outcome = services.poll(source)
    assert outcome.describe().endswith(
        "20 new, 0 updated, 0 unchanged, 0 proposals. 30 entries left for the next poll."
    )
    assert stored_numbers() == set(range(30, 50))
    source.refresh_from_db()
    assert (source.entries_left, source.articles_found, source.etag, source.last_error) == (30, 20, "", "")


@pytest.mark.django_db
def test_the_next_polls_of_an_unchanged_feed_take_the_rest_then_keep_its_etag(feed_server):
    source = long_source(feed_server, 50, max_entries_per_poll=20)
    lefts = []
    for _ in range(3):
        services.poll(source)
        source.refresh_from_db()
        lefts.append(source.entries_left)
    assert lefts == [30, 10, 0]
    assert stored_numbers() == set(range(50)) and source.articles_found == 50
    # The backlog drained, the validators are kept: the fourth poll is a 304.
    assert source.etag == ETAG
    assert services.poll(source).not_modified
    asked_with_etag = ["If-None-Match" in headers for _, headers in feed_server.requests]
    assert asked_with_etag == [False, False, False, True]


@pytest.mark.django_db
def test_a_source_without_a_cap_of_its_own_takes_the_setting(feed_server, settings):
    settings.NEWS_MAX_ENTRIES_PER_POLL = 7
    source = long_source(feed_server, 10)
    services.poll(source)
    assert stored_numbers() == set(range(3, 10))
    assert NewsSource.objects.get(pk=source.pk).entries_left == 3


@pytest.mark.django_db
def test_a_cap_of_zero_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_news_source("Nothing", max_entries_per_poll=0)


@pytest.mark.django_db
def test_the_admin_says_how_many_entries_wait(editor_client, feed_server):
    source = long_source(feed_server, 12, max_entries_per_poll=10)
    services.poll(source)
    html = editor_client.get("/admin/news/newssource/").content.decode()
    assert "ok, 2 entries left for the next poll (the cap per poll)" in html
    russian = editor_client.get("/admin/news/newssource/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "в порядке, 2 записи ждут следующего опроса (ограничение на один опрос)" in russian


# --- a real worker, a long feed ----------------------------------------------------------------


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_worker_reads_a_long_feed_a_cap_at_a_time(broker, record, feed_server, finished):  # noqa: F811
    source = long_source(feed_server, 2_000, max_entries_per_poll=100)
    with worker():
        started = time.monotonic()
        poll_source.delay(source.pk)
        [first] = wait_until(lambda: polls(finished), timeout=120, what="the first poll")
        took = time.monotonic() - started
        poll_source.delay(source.pk)
        second = wait_until(lambda: (done := polls(finished))[1:] and done[1], timeout=120, what="the second poll")

    assert (
        first
        == "Long feed: 100 entries, 100 new, 0 updated, 0 unchanged, 0 proposals. 1900 entries left for the next poll."
    )
    assert second.endswith("100 new, 0 updated, 0 unchanged, 0 proposals. 1800 entries left for the next poll.")
    assert stored_numbers() == set(range(1_800, 2_000))
    # Reading the feed is most of it; storing all 2,000 entries would take minutes.
    assert took < 60
    source.refresh_from_db()
    assert (source.entries_left, source.articles_found, source.etag) == (1_800, 200, "")
