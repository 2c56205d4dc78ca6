"""Every case of the hostile-input corpus, polled through the real path: the Celery task
(its lock, retry decision and retries) run in this process, then once more all together
through a real worker subprocess on real Redis.

For each case: no exception escapes; the source row records a clear error, or what is
stored is safe (plain text, http(s) links); the seed article and another source's article
are untouched; the poll ends in bounded time and memory; a retry writes nothing twice.
"""

import contextlib
import re
import time
import tracemalloc
from dataclasses import dataclass

import pytest
from django.conf import settings

from tests.feeds import rss
from tests.hostile.conftest import article_rows, hostile_source, poll
from tests.hostile.corpus import (
    CORPUS,
    MS29,
    SUITE_LIMITS,
    SUITE_LINKED_PAGES_SECONDS,
    TRUSTED_URL,
    Case,
    Refused,
    assert_safe,
    check_outcome,
    item,
    mount,
    seed_feed,
)
from tests.hostile.worker import SharedDatabase, Worker, worker_env
from tests.http_server import Route
from tests.waiting import wait_until
from tracker.news import tasks
from tracker.news.models import Article, Mention, NewsSource, ProposalEvidence

pytestmark = pytest.mark.hostile

RETRIES = 1  # the task's retries of a transient failure, in this suite (4 in production)


def work_done() -> tuple:
    """What a poll writes besides articles."""
    return Mention.objects.count(), ProposalEvidence.objects.count()


@dataclass
class Before:
    """The state a hostile poll starts from."""

    seed: dict  # the source's seed article, by primary key
    others: dict  # every other source's articles (the trusted one among them)
    succeeded_at: object  # the source's last success (the seed poll)
    hits: int  # requests the server had for the case's entry
    sent: int  # body bytes it had sent from there


@pytest.mark.django_db
@pytest.mark.parametrize("case", CORPUS, ids=lambda case: case.name)
def test_hostile_case(case: Case, corpus_server, trusted, monkeypatch):
    monkeypatch.setattr(tasks, "MAX_RETRIES", RETRIES)
    source, before = source_at(case, corpus_server)

    outcome, elapsed, peak = timed_poll(source, measure_memory=case.max_memory is not None)

    source.refresh_from_db()
    attempts = 1 + RETRIES if isinstance(case.expect, Refused) and case.expect.transient else 1
    assert isinstance(outcome, str) and outcome.startswith(f"{source.name}: "), outcome
    assert elapsed < attempts * case.seconds(SUITE_LIMITS), f"took {elapsed:.2f} s"
    if case.max_memory is not None:
        assert peak < case.max_memory, f"peaked at {peak:,} bytes of Python allocations"
    assert_requests(case, corpus_server, before, attempts)
    assert_nothing_else_changed(case, source, before)
    assert Article.objects.get(url=TRUSTED_URL).text == trusted.text
    stored = list(Article.objects.filter(source=source).exclude(pk__in=before.seed).order_by("pk"))
    if isinstance(case.expect, Refused):
        assert re.search(case.expect.error, source.last_error), source.last_error
        assert outcome.removeprefix(f"{source.name}: ") in source.last_error  # the task says what the row says
        assert source.consecutive_failures == attempts
        assert source.last_success_at == before.succeeded_at
        assert stored == []
    else:
        assert_stored(case, source, stored)


def source_at(case: Case, server) -> tuple[NewsSource, Before]:
    """A source that has stored its seed (and the case's earlier feed, if it has one), now
    pointed at the case."""
    source = hostile_source(server, case)
    assert poll(source).endswith("1 entries, 1 new, 0 updated, 0 unchanged, 1 proposals.")
    seed = article_rows(source=source)
    NewsSource.objects.filter(pk=source.pk).update(url=server.url(case.path()))
    if case.earlier is not None:
        mount(server, case, routes={case.entry: Route(body=case.earlier)})
        assert "1 entries, 1 new" in poll(source)
    mount(server, case)
    source.refresh_from_db()
    others = {pk: row for pk, row in article_rows().items() if row[1] != source.pk}
    path = case.path()
    return source, Before(seed, others, source.last_success_at, server.hits(path), server.sent.get(path, 0))


def assert_requests(case: Case, server, before: Before, attempts: int) -> None:
    """One request per attempt (a retry only after a transient error), none where the case
    must not lead, and no more of a body than it takes to refuse it."""
    assert server.hits(case.path()) - before.hits == attempts
    for path in case.never_requested:
        assert server.hits(case.path(path)) == 0, f"{path} was requested"
    if case.max_sent is not None:
        time.sleep(0.2)  # the server notices the closed connection at its next write
        sent = server.sent.get(case.path(), 0) - before.sent
        assert sent < case.max_sent, f"the server sent {sent:,} bytes: the body was downloaded"


def assert_nothing_else_changed(case: Case, source: NewsSource, before: Before) -> None:
    """The seed and every other source's articles as they were; every article safe; what
    must not land, nowhere (the source's error included)."""
    rows = article_rows()
    assert {pk: row for pk, row in rows.items() if pk in before.seed} == before.seed
    assert {pk: row for pk, row in rows.items() if row[1] != source.pk} == before.others
    for article in Article.objects.all():
        assert_safe(article)
        for secret in case.never_stored:
            assert secret not in f"{article.title}\n{article.text}\n{article.url}\n{article.guid}"
    for secret in case.never_stored:
        assert secret not in source.last_error


def assert_stored(case: Case, source: NewsSource, stored: list[Article]) -> None:
    """What the case expects stored; and, polled again, nothing written twice: no article,
    mention or proposal changes."""
    assert source.last_error == "" and source.consecutive_failures == 0, source.last_error
    assert len(stored) == case.expect.count, [(a.title, a.url) for a in stored]
    if case.expect.titles is not None:
        assert sorted(a.title for a in stored) == sorted(case.expect.titles)
    if case.expect.check is not None:
        case.expect.check(stored)
    written = article_rows(), work_done()
    again = poll(source)
    assert (article_rows(), work_done()) == written
    assert " 0 new, 0 updated, " in again, again


def timed_poll(source: NewsSource, *, measure_memory: bool) -> tuple[str, float, int]:
    """The poll's outcome, its wall time and (if asked) its peak of Python allocations."""
    if measure_memory:
        tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = poll(source)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1] if measure_memory else 0
    finally:
        if measure_memory:
            tracemalloc.stop()
    return outcome, elapsed, peak


# --- the whole corpus through a real worker -------------------------------------------------


WORKER_PEAK_RSS = 400_000_000  # bytes; the worker idles at ~100 MB
SENTINEL_FEED = "/sentinel/feed.xml"


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_the_whole_corpus_through_a_real_worker(broker, record, trusted, corpus_server, tmp_path):
    """Every case at once on a real worker process (4 threads) over real Redis: the worker
    survives them all, stays within its memory, and every source row gets its outcome."""
    sources = {case.name: hostile_source(corpus_server, case).pk for case in CORPUS}
    sentinel = NewsSource.objects.create(
        name="Sentinel",
        url=corpus_server.route(SENTINEL_FEED, Route(body=seed_feed(CORPUS[0]).replace(b"seed-", b"sentinel-"))),
        enabled=True,
        allow_private_network=True,
        fetch_linked_pages=False,
    )
    with contextlib.ExitStack() as stack:
        database = stack.enter_context(SharedDatabase(tmp_path))
        env = worker_env(database_url=database.url, redis_url=settings.TEST_REDIS_URL, data_dir=tmp_path)
        worker = stack.enter_context(Worker(env=env, log_path=tmp_path / "worker.log", options=SUITE_WORKER))
        polling_round(database, worker, [*sources.values(), sentinel.pk])
        seeds = database.execute("SELECT * FROM news_article ORDER BY id")
        for case in CORPUS:
            mount(corpus_server, case)
            point = "UPDATE news_newssource SET url = %s, last_checked_at = NULL WHERE id = %s"
            database.execute(point, (corpus_server.url(case.path()), sources[case.name]))
        elapsed = polling_round(database, worker, list(sources.values()))

        # Still alive, and still working: a good feed polled after all that is stored.
        assert worker.alive, worker.output()
        calm = item("sentinel-after", "After the storm", "https://sentinel.example.org/after", MS29)
        corpus_server.route(SENTINEL_FEED, Route(body=rss(calm)))
        tasks.poll_source.delay(sentinel.pk)
        stored = "SELECT COUNT(*) FROM news_article WHERE title = 'After the storm'"
        wait_until(
            lambda: database.execute(stored)[0][0] == 1,
            timeout=30,
            what="the worker to store the calm feed's article",
            details=worker.output,
        )
        peak = worker.status("VmHWM")
        assert worker.alive, worker.output()
        rows_after = set(database.execute("SELECT * FROM news_article ORDER BY id"))

    assert elapsed < 60, f"the corpus took {elapsed:.0f} s"
    assert peak < WORKER_PEAK_RSS, f"the worker peaked at {peak / 1e6:.0f} MB"
    seed_ids = {row[0] for row in seeds}
    for case in CORPUS:
        source = NewsSource.objects.get(pk=sources[case.name])
        try:
            check_outcome(case, source, list(source.articles.exclude(pk__in=seed_ids).order_by("pk")))
        except AssertionError as error:
            raise AssertionError(f"{case.name}: {error}") from None
    for article in Article.objects.all():
        assert_safe(article)
    # The seeds and the trusted article, as they were before the hostile round.
    assert [row for row in seeds if row not in rows_after] == []
    assert Article.objects.get(url=TRUSTED_URL).text == trusted.text


SUITE_WORKER = [
    f"--connect-timeout={SUITE_LIMITS.connect_timeout:g}",
    f"--read-timeout={SUITE_LIMITS.read_timeout:g}",
    f"--total-timeout={SUITE_LIMITS.total_timeout:g}",
    f"--linked-pages-seconds={SUITE_LINKED_PAGES_SECONDS:g}",
]
UNPOLLED = "SELECT COUNT(*) FROM news_newssource WHERE id IN ({}) AND last_checked_at IS NULL"


def polling_round(database, worker, pks: list[int]) -> float:
    """Enqueue a poll of each source; the seconds until every one has recorded an outcome."""
    started = time.monotonic()
    for pk in pks:
        tasks.poll_source.delay(pk)
    unpolled = UNPOLLED.format(", ".join(map(str, pks)))
    wait_until(
        lambda: database.execute(unpolled)[0][0] == 0,
        timeout=90,
        what="the worker to poll every source",
        details=worker.output,
    )
    return time.monotonic() - started
