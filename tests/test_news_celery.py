"""News polling through a real Celery worker over the test run's Redis.

The worker runs in this process (celery.contrib.testing), so what each task returned is
read from Celery's task_success signal: the poll tasks ignore their results, and a result
backend would only test the backend. transaction=True: the worker's threads use their own
database connections and must see committed rows, so each test puts the record back.
"""

import contextlib
import datetime as dt
import time
from collections import Counter
from types import SimpleNamespace

import pytest
from celery import signals
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from tests.factories import make_loopback_source
from tests.faults.processes import free_port
from tests.feeds import rss
from tests.http_server import Route
from tests.waiting import wait_until
from tracker.celery import app
from tracker.lib.locks import exclusive
from tracker.news import services, tasks
from tracker.news.models import Article, Mention, NewsSource, ProposalEvidence, ProposedUpdate
from tracker.news.tasks import dispatch_due_sources, poll_source
from tracker.record.models import Mission
from tracker.record.reference_data import load_reference_data

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

ENTRIES = 50
ETAG = '"feed-v1"'
BUSY = "another worker is polling it"
CREWS = [
    ("Soyuz MS-28", "Sergey Kud-Sverchkov"),
    ("SpaceX Crew-12", "Jessica Meir"),
    ("Soyuz MS-28", "Christopher Williams"),
    ("SpaceX Crew-12", "Andrey Fedyaev"),
]


def station_feed(count: int = ENTRIES) -> bytes:
    """`count` distinct stories, each naming a crew in flight and repeating one fact the
    record lacks (a new Soyuz MS-29 launch target); every fifth also a later Crew-13 NET."""
    items = []
    for n in range(count):
        mission, person = CREWS[n % len(CREWS)]
        text = (
            f"{person} of {mission} completed station experiment number {n} this week. "
            "Soyuz MS-29 is scheduled to launch on August 2, 2026."
        )
        if n % 5 == 0:
            text += " SpaceX Crew-13 is set to launch no earlier than October 2026."
        items.append((f"station-report-{n}", f"Station report {n}", f"https://news.example.org/reports/{n}", text))
    return rss(*items)


_REFERENCE_ROWS: dict = {}


@pytest.fixture
def record():
    """transaction=True leaves each test an empty database, and the extractor needs the
    record. The loader validates every row (thousands of queries), so it runs once; later
    tests get the same rows back with one bulk insert per table."""
    present = Mission.objects.exists()  # the session's record lasts until the first flush
    if _REFERENCE_ROWS and not present:
        with transaction.atomic():  # foreign keys are checked at commit: any table order
            for model, rows in _REFERENCE_ROWS.items():
                model._base_manager.bulk_create(rows)
        return
    if not present:
        load_reference_data()
    if not _REFERENCE_ROWS:
        models = apps.get_app_config("record").get_models(include_auto_created=True)
        _REFERENCE_ROWS.update({model: list(model._base_manager.all()) for model in models})


@pytest.fixture
def finished():
    """(task name, args, what it returned or raised) for each task the worker finished."""
    done: list[tuple[str, tuple, object]] = []

    def on_success(sender, result, **kwargs):
        done.append((sender.name, tuple(sender.request.args or ()), result))

    def on_failure(sender, task_id, exception, args, **kwargs):
        done.append((sender.name, tuple(args or ()), exception))

    signals.task_success.connect(on_success, weak=False)
    signals.task_failure.connect(on_failure, weak=False)
    yield done
    signals.task_success.disconnect(on_success)
    signals.task_failure.disconnect(on_failure)


@contextlib.contextmanager
def worker(*, pool: str = "solo", concurrency: int = 1):
    with start_worker(
        app, pool=pool, concurrency=concurrency, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30
    ):
        yield


def polls(done, source_id: int | None = None) -> list[object]:
    """What the poll tasks returned, in the order they finished (of one source, if given)."""
    return [
        result
        for name, args, result in done
        if name == "news.poll_source" and (source_id is None or args[:1] == (source_id,))
    ]


def wait_for_polls(done, count: int, source_id: int | None = None) -> list[object]:
    return wait_until(
        lambda: (found := polls(done, source_id)) and len(found) >= count and found,
        timeout=20,
        what=f"{count} poll(s) to finish",
        interval=0.05,
    )


def station_source(feed_server, *, name: str = "Station feed", path: str = "/feed.xml", **fields) -> NewsSource:
    """A source polling the station feed, served on loopback."""
    return make_loopback_source(feed_server, station_feed(), name=name, path=path, etag=ETAG, **fields)


def snapshot() -> dict:
    """Everything a poll may write, to compare before and after."""
    return {
        "articles": list(Article.objects.order_by("pk").values_list("pk", "url", "content_hash", "updated_at")),
        "mentions": Mention.objects.count(),
        "proposals": list(ProposedUpdate.objects.order_by("pk").values_list("pk", "fact_key", "status", "confidence")),
        "evidence": ProposalEvidence.objects.count(),
    }


def test_a_polling_round_stores_each_entry_once_with_its_mentions_and_proposals(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker():
        poll_source.delay(source.pk)
        [result] = wait_for_polls(finished, 1)

    assert result == "Station feed: 50 entries, 50 new, 0 updated, 0 unchanged, 60 proposals."
    assert Article.objects.count() == ENTRIES
    assert set(Article.objects.values_list("guid", flat=True)) == {f"station-report-{n}" for n in range(ENTRIES)}
    assert set(Article.objects.values_list("source", flat=True)) == {source.pk}
    # Every story names its crew's mission and one of its people, and Soyuz MS-29.
    missions = Counter(Mention.objects.filter(kind="mission").values_list("mission__name", flat=True))
    assert missions == {"Soyuz MS-28": 25, "SpaceX Crew-12": 25, "Soyuz MS-29": 50, "SpaceX Crew-13": 10}
    people = Counter(Mention.objects.filter(kind="person").values_list("person__name", flat=True))
    assert people == {
        person: ENTRIES // len(CREWS) + (index < ENTRIES % len(CREWS)) for index, (_, person) in enumerate(CREWS)
    }
    launch = ProposedUpdate.objects.get(mission__name="Soyuz MS-29")
    assert launch.summary == "Soyuz MS-29 launch: 2026-08-02, planned"
    assert launch.evidence.count() == ENTRIES
    assert ProposedUpdate.objects.get(mission__name="SpaceX Crew-13").evidence.count() == ENTRIES // 5
    source.refresh_from_db()
    assert (source.articles_found, source.etag, source.last_error) == (ENTRIES, ETAG, "")
    assert source.last_success_at is not None and source.consecutive_failures == 0


def test_a_second_round_gets_304_and_changes_nothing(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker():
        poll_source.delay(source.pk)
        wait_for_polls(finished, 1)
        before = snapshot()
        first_success = NewsSource.objects.get(pk=source.pk).last_success_at

        poll_source.delay(source.pk)
        second = wait_for_polls(finished, 2)[1]

    assert second == "Station feed: not modified since the last poll."
    assert snapshot() == before
    (_, first_headers), (_, second_headers) = feed_server.requests
    assert "If-None-Match" not in first_headers
    assert second_headers["If-None-Match"] == ETAG
    source.refresh_from_db()
    assert source.last_success_at > first_success
    assert (source.last_error, source.consecutive_failures, source.articles_found) == ("", 0, ENTRIES)


def test_a_new_etag_over_the_same_entries_rewrites_nothing(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker():
        poll_source.delay(source.pk)
        wait_for_polls(finished, 1)
        before = snapshot()
        feed_server.routes["/feed.xml"].etag = '"feed-v2"'

        poll_source.delay(source.pk)
        second = wait_for_polls(finished, 2)[1]

    assert second == "Station feed: 50 entries, 0 new, 0 updated, 50 unchanged, 0 proposals."
    assert snapshot() == before
    assert NewsSource.objects.get(pk=source.pk).etag == '"feed-v2"'


def test_concurrent_polls_of_one_source_store_no_duplicates(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker(pool="threads", concurrency=4):
        for _ in range(8):
            poll_source.delay(source.pk)
        results = wait_for_polls(finished, 8)

    failures = [result for result in results if not isinstance(result, str)]
    assert not failures, failures
    assert Article.objects.count() == ENTRIES
    assert Article.objects.values("guid").distinct().count() == ENTRIES
    assert ProposalEvidence.objects.count() == ENTRIES + ENTRIES // 5
    # One poll stored the feed; those that started while it ran found the lock taken, and
    # any that started after it were told the feed had not changed.
    assert [r for r in results if "50 new" in r] == [
        "Station feed: 50 entries, 50 new, 0 updated, 0 unchanged, 60 proposals."
    ]
    assert any(BUSY in r for r in results), results
    others = [r for r in results if "50 new" not in r]
    assert all(r in (f"Station feed: {BUSY}", "Station feed: not modified since the last poll.") for r in others)
    assert feed_server.hits("/feed.xml") == 1 + sum("not modified" in r for r in results)
    source.refresh_from_db()
    assert (source.articles_found, source.last_error, source.consecutive_failures) == (ENTRIES, "", 0)


def test_the_dispatcher_claims_a_due_source_once(broker, record, feed_server, finished):
    due = station_source(feed_server, poll_interval=dt.timedelta(minutes=30))
    later = timezone.now() + dt.timedelta(minutes=10)
    station_source(feed_server, name="Not due yet", path="/later.xml", next_poll_at=later)
    station_source(feed_server, name="Disabled", path="/disabled.xml", enabled=False)

    started = timezone.now()
    assert dispatch_due_sources() == 1
    assert dispatch_due_sources() == 0
    assert broker.llen("celery") == 1
    due.refresh_from_db()
    assert started + dt.timedelta(minutes=30) <= due.next_poll_at <= timezone.now() + dt.timedelta(minutes=30)

    with worker():
        [result] = wait_for_polls(finished, 1)
        time.sleep(0.3)  # room for a second poll, were one queued
    assert result.startswith("Station feed: 50 entries, 50 new")
    assert len(polls(finished)) == 1
    assert feed_server.hits("/feed.xml") == 1
    assert feed_server.hits("/later.xml") == feed_server.hits("/disabled.xml") == 0


def test_the_dispatcher_runs_as_a_task_on_the_worker(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker():
        dispatch_due_sources.delay()
        dispatch_due_sources.delay()
        [result] = wait_for_polls(finished, 1)
        time.sleep(0.3)
    dispatched = [result for name, _, result in finished if name == "news.dispatch_due_sources"]
    assert dispatched == [1, 0]
    assert result.startswith("Station feed: 50 entries, 50 new")
    assert Article.objects.filter(source=source).count() == ENTRIES


def test_a_poll_of_a_deleted_source_ends_cleanly_and_the_worker_goes_on(broker, record, feed_server, finished):
    gone = station_source(feed_server, name="Gone", path="/gone.xml")
    gone_id = gone.pk
    gone.delete()
    source = station_source(feed_server)
    with worker():
        poll_source.delay(gone_id)
        poll_source.delay(source.pk)
        wait_for_polls(finished, 1, source.pk)

    assert polls(finished, gone_id) == [f"source {gone_id} no longer exists"]
    assert polls(finished, source.pk)[0].startswith("Station feed: 50 entries, 50 new")
    assert feed_server.hits("/gone.xml") == 0


def test_a_503_is_retried_with_backoff_then_recorded_on_the_source(broker, record, feed_server, finished, monkeypatch):
    source = station_source(feed_server)
    countdowns = []

    def uniform(low, high):
        countdowns.append((low, high))
        return 0.05  # the real jitter is up to 30 s × 2^retries: too long to wait for here

    monkeypatch.setattr(tasks, "random", SimpleNamespace(uniform=uniform))
    with worker():
        poll_source.delay(source.pk)
        wait_for_polls(finished, 1)
        before = snapshot()
        succeeded_at = NewsSource.objects.get(pk=source.pk).last_success_at
        feed_server.route("/feed.xml", Route(status=503, body=b"try later"))

        poll_source.delay(source.pk)
        final = wait_for_polls(finished, 2)[1]

    assert final == f"Station feed: {feed_server.url('/feed.xml')} answered 503 Service Unavailable."
    assert countdowns == [(0, 30), (0, 60), (0, 120), (0, 240)]
    assert feed_server.hits("/feed.xml") == 1 + 1 + tasks.MAX_RETRIES
    source.refresh_from_db()
    assert "503" in source.last_error
    assert source.consecutive_failures == 1 + tasks.MAX_RETRIES
    assert source.last_success_at == succeeded_at
    assert source.etag == ETAG  # kept for the next conditional GET
    assert snapshot() == before


def test_the_lock_of_a_crashed_poller_expires(broker, record, feed_server, finished):
    source = station_source(feed_server)
    with worker():
        # A holder that dies without releasing: entered, never exited.
        crashed = exclusive(f"news:poll:{source.pk}", timeout=1)
        assert crashed.__enter__() is True
        taken_at = time.monotonic()
        assert 0 < broker.pttl(f"lock:news:poll:{source.pk}") <= 1000
        poll_source.delay(source.pk)
        assert wait_for_polls(finished, 1) == [f"Station feed: {BUSY}"]
        assert feed_server.hits("/feed.xml") == 0

        time.sleep(max(0.0, taken_at + 1.5 - time.monotonic()))
        poll_source.delay(source.pk)
        second = wait_for_polls(finished, 2)[1]
    assert second.startswith("Station feed: 50 entries, 50 new")
    assert Article.objects.count() == ENTRIES


def test_a_poll_reads_its_source_again_once_it_holds_the_lock(broker, record, feed_server, finished, monkeypatch):
    """A task loads its source, then waits for the lock; the poll that held it may have
    stored a new ETag meanwhile, which this poll must send."""
    source = station_source(feed_server)
    real_exclusive = services.exclusive

    @contextlib.contextmanager
    def exclusive_after_another_poll(name, **options):
        # The row as the task first read it had no ETag; the other poll stores it now.
        NewsSource.objects.filter(pk=source.pk).update(etag=ETAG)
        with real_exclusive(name, **options) as held:
            yield held

    with worker():
        poll_source.delay(source.pk)
        wait_for_polls(finished, 1)
        before = snapshot()
        NewsSource.objects.filter(pk=source.pk).update(etag="")
        monkeypatch.setattr(services, "exclusive", exclusive_after_another_poll)

        poll_source.delay(source.pk)
        second = wait_for_polls(finished, 2)[1]

    assert second == "Station feed: not modified since the last poll."
    assert feed_server.requests[-1][1]["If-None-Match"] == ETAG
    assert snapshot() == before


def test_a_poll_that_cannot_reach_redis_for_its_lock_leaves_its_source_due(feed_server, settings):
    source = station_source(feed_server, next_poll_at=timezone.now() + dt.timedelta(minutes=30))  # as claimed
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"  # where the lock lives: refused

    outcome = poll_source.apply(args=(source.pk,)).get()

    assert outcome.startswith("Station feed: not polled, Redis unreachable")
    source.refresh_from_db()
    assert source.next_poll_at <= timezone.now()
    assert feed_server.hits("/feed.xml") == 0
