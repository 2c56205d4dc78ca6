"""Worker killed mid-ingest: SIGKILL a real worker's whole process group at a random point of
a polling round, start a new worker, and count what is stored.

Each round serves a new version of one source's feed (`entries` stories: most of them new,
the rest carried over from the round before, half of those with changed text) under a new
ETag, enqueues a poll, waits for the worker to fetch it, and kills the worker's process
group after a random delay drawn from the time an uninterrupted round takes (measured by a
first, calibration round). No process acknowledges the task and no lock is released: the
task comes back only because the broker redelivers it after the visibility timeout, and the
per-source lock only frees itself by expiring. A new worker is started at once; the round is
over when a redelivered poll has stored the feed (the source holds the round's ETag). A poll
killed after it had stored its round (but before its acknowledgement) is redelivered too,
during a later round, where it meets that round's poll like any concurrent one: it may store
that round's feed itself, or retry once that poll's lock is gone (the retries in the figures).

Afterwards every story must be stored exactly once (no two articles with one GUID or one
URL), none may be missing, each at its latest text, and nothing may be left in the broker
(unacknowledged or queued) or in the lock.
"""

import os
import random
import re
import signal
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db.models import Count

from tests.http_server import Route
from tests.waiting import wait_until
from tracker.news.models import Article, NewsSource

from .context import FaultContext, Run, scenario
from .stack import AppStack, SlowAnswers, entry_key, feed_body, station_entries

FEED_PATH = "/station.xml"
RSS = {"Content-Type": "application/rss+xml"}
SOURCE_NAME = "Station feed"


@dataclass
class KillRound:
    number: int
    delay: float  # seconds from the feed's fetch to the SIGKILL
    stored_at_kill: int  # this round's new stories already committed when the worker died
    finished_at_kill: bool  # the poll had already stored the whole feed when the worker died
    lock_ttl_ms: int  # the poll lock's remaining lifetime just after the kill (-2: no lock)
    recovery: float  # seconds from the kill to the redelivered poll having stored the round


@dataclass
class KillResult:
    entries: int
    visibility_timeout: int
    lock_seconds: int
    calibration: float  # seconds an uninterrupted round takes, fetch to stored
    rounds: list[KillRound] = field(default_factory=list)
    expected: int = 0
    stored: int = 0
    duplicate_guids: int = 0
    duplicate_urls: int = 0
    lost: int = 0
    stale: int = 0  # stored, but not at the text of its latest version
    polls: dict[str, int] = field(default_factory=dict)  # what the workers' polls reported
    failed_tasks: int = 0
    leftover: dict[str, int] = field(default_factory=dict)  # broker and lock state at the end

    def as_dict(self) -> dict:
        return asdict(self)


def stored_stories(alias: str, source_id: int) -> dict:
    """Counts of the source's articles: total, duplicated GUIDs and URLs, and every GUID's text."""
    articles = Article.objects.using(alias).filter(source_id=source_id)

    def surplus(field_name: str) -> int:
        groups = articles.values(field_name).annotate(n=Count("id")).filter(n__gt=1)
        return sum(group["n"] - 1 for group in groups)

    return {
        "count": articles.count(),
        "duplicate_guids": surplus("guid"),
        "duplicate_urls": surplus("url"),
        "texts": dict(articles.values_list("guid", "text")),
    }


def poll_outcomes(log: str) -> tuple[dict[str, int], int]:
    """What the workers' logs say each poll did, by kind, and how many tasks failed."""
    kinds = Counter()
    for line in log.splitlines():
        if "news.poll_source" not in line:
            continue
        if " succeeded in " in line:
            if "not modified" in line:
                kinds["not modified (304)"] += 1
            elif "another worker is polling it" in line:
                kinds["skipped: lock held"] += 1
            elif match := re.search(r"(\d+) new, (\d+) updated, (\d+) unchanged", line):
                kinds["stored the feed" if match.group(1) != "0" else "stored the feed (nothing new)"] += 1
            else:
                kinds["other"] += 1
        elif " retry: " in line:
            kinds["retried"] += 1
    failed = sum(1 for line in log.splitlines() if "news.poll_source" in line and "raised unexpected" in line)
    return dict(kinds), failed


def broker_leftovers(run: Run, source_id: int) -> dict[str, int]:
    with run.redis.client() as client:
        return {
            "queued": client.llen("celery"),
            "unacked": client.hlen("unacked"),
            "lock_keys": client.exists(f"lock:news:poll:{source_id}"),
        }


class Rounds:
    """The feed's versions, round by round, and the latest revision of each story."""

    def __init__(self, entries: int):
        self.entries = entries
        self.carried = max(2, entries // 6)  # stories each round carries over from the one before
        self.latest: dict[str, int] = {}  # guid -> revision last served
        self.previous: list[str] = []

    def feed(self, number: int) -> tuple[bytes, list[str]]:
        """The round's feed and the GUIDs of its new stories."""
        carried = self.previous[-self.carried :]
        prefix = f"r{number}"
        new_keys = [entry_key(prefix, n) for n in range(self.entries - len(carried))]
        items = station_entries(prefix, range(len(new_keys)))
        self.latest.update(dict.fromkeys(new_keys, 0))
        # Carried over: the first half with changed text, the rest as they were.
        for index, key in enumerate(carried):
            old_prefix, n = key.rsplit("-", 1)
            revision = number if index < len(carried) // 2 else self.latest[key]
            items += station_entries(old_prefix, [int(n)], revision=revision)
            self.latest[key] = revision
        self.previous = new_keys
        return feed_body(items), new_keys

    def stale(self, texts: dict[str, str]) -> int:
        def current(key: str, text: str) -> bool:
            revision = self.latest[key]
            return f"(revision {revision})" in text if revision else "Updated:" not in text

        return sum(1 for key, text in texts.items() if key in self.latest and not current(key, text))


def run(
    context: FaultContext,
    *,
    kills: int = 20,
    entries: int = 300,
    visibility_timeout: int = 5,
    lock_seconds: int = 3,
    seed: int | None = None,
    log=print,
) -> KillResult:
    rng = random.Random(seed)
    with scenario(context, "kill") as world:
        stack = AppStack(
            world.services,
            workdir=world.directory,
            database_url=world.database_url,
            redis_url=world.redis.url,
            visibility_timeout=visibility_timeout,
            lock_seconds=lock_seconds,
        )
        source = NewsSource.objects.using(world.alias).create(
            name=SOURCE_NAME,
            url=world.feeds.url(FEED_PATH),
            enabled=True,
            allow_private_network=True,  # the feed is served on loopback
            fetch_linked_pages=False,  # the stories' links are not served: the feed text is the story
            max_entries_per_poll=entries,  # one poll takes the whole feed: the cap is not the subject here
        )
        rounds = Rounds(entries)
        broker = stack.broker()
        worker = stack.start_worker("worker")
        result = KillResult(entries, visibility_timeout, lock_seconds, calibration=0.0)
        try:
            for number in range(kills + 1):
                body, new_keys = rounds.feed(number)
                etag = f'"round-{number}"'
                world.feeds.route(FEED_PATH, Route(body=body, headers=RSS, etag=etag))
                fetched_before = world.feeds.hits(FEED_PATH)
                broker.send_task("news.poll_source", args=[source.pk])
                wait_until(
                    lambda before=fetched_before: world.feeds.hits(FEED_PATH) > before,
                    timeout=30,
                    what=f"round {number}'s fetch",
                    interval=0.001,
                )
                fetched_at = time.monotonic()

                def stored(etag=etag):
                    return NewsSource.objects.using(world.alias).filter(pk=source.pk, etag=etag).exists()

                if number == 0:  # calibration: how long an uninterrupted round takes
                    wait_until(stored, timeout=60, what="the calibration round", interval=0.005)
                    result.calibration = time.monotonic() - fetched_at
                    log(f"calibration round: {entries} entries stored {result.calibration:.2f} s after the fetch")
                    continue
                delay = rng.uniform(0, result.calibration)
                time.sleep(max(0.0, fetched_at + delay - time.monotonic()))
                worker.kill()
                killed_at = time.monotonic()
                finished = stored()
                stored_now = Article.objects.using(world.alias).filter(guid__in=new_keys).count()
                with world.redis.client() as client:
                    lock_ttl = client.pttl(f"lock:news:poll:{source.pk}")
                worker = stack.start_worker("worker")
                wait_until(
                    stored,
                    timeout=visibility_timeout + lock_seconds + 90,
                    what=f"round {number}'s redelivered poll to store the feed",
                    interval=0.05,
                )
                recovery = time.monotonic() - killed_at
                result.rounds.append(KillRound(number, delay, stored_now, finished, lock_ttl, recovery))
                log(
                    f"kill {number}/{kills}: killed {delay:.3f} s after the fetch with {stored_now}/{len(new_keys)} "
                    f"new stories stored{' (poll already done)' if finished else ''}, lock TTL {lock_ttl} ms; "
                    f"stored by the redelivered poll {recovery:.1f} s after the kill"
                )
            # A finished poll killed before its acknowledgement comes back once more (and gets a 304).
            wait_until(
                lambda: broker_leftovers(world, source.pk) == {"queued": 0, "unacked": 0, "lock_keys": 0},
                timeout=visibility_timeout + lock_seconds + 30,
                what="the broker to hold no task and the lock to be free",
                interval=0.1,
            )
            worker.stop()
        finally:
            broker.close()
        stories = stored_stories(world.alias, source.pk)
        result.expected = len(rounds.latest)
        result.stored = stories["count"]
        result.duplicate_guids = stories["duplicate_guids"]
        result.duplicate_urls = stories["duplicate_urls"]
        result.lost = len(set(rounds.latest) - set(stories["texts"]))
        result.stale = rounds.stale(stories["texts"])
        result.polls, result.failed_tasks = poll_outcomes(world.services.logs("worker"))
        result.leftover = broker_leftovers(world, source.pk)
        return result


# --- a pool process killed -------------------------------------------------------------------------


@dataclass
class PoolKillResult:
    lock_seconds: int
    lock_ttl_after_kill_ms: int
    outcomes: list[str]  # the poll task's logged outcomes, in order
    recovery: float  # seconds from the kill until the feed was stored
    stored: int
    duplicate_guids: int
    lost: int

    def as_dict(self) -> dict:
        return asdict(self)


def pool_processes(worker) -> list[int]:
    with open(f"/proc/{worker.pid}/task/{worker.pid}/children") as children:
        return [int(pid) for pid in children.read().split()]


def run_pool_process_kill(context: FaultContext, *, entries: int = 300, lock_seconds: int = 3, log=print):
    """SIGKILL only the pool process running a poll (as the out-of-memory killer would): the
    worker's main process sees it die and, the task being `reject_on_worker_lost`, requeues it
    at once, marked redelivered. Its new pool process then meets the dead poll's lock, which
    has not expired yet; it must wait for the expiry and poll, not skip the round.

    The visibility timeout is left at its production hour, so nothing but the requeue can
    bring the task back within the test."""
    with scenario(context, "pool") as world:
        stack = AppStack(
            world.services,
            workdir=world.directory,
            database_url=world.database_url,
            redis_url=world.redis.url,
            lock_seconds=lock_seconds,
        )
        slow = SlowAnswers(world.feeds, 1.5)
        world.feeds.route(
            FEED_PATH, Route(body=feed_body(station_entries("p", range(entries))), headers=RSS, etag='"p"')
        )
        source = NewsSource.objects.using(world.alias).create(
            name=SOURCE_NAME,
            url=world.feeds.url(FEED_PATH),
            enabled=True,
            allow_private_network=True,
            fetch_linked_pages=False,
            max_entries_per_poll=entries,  # one poll takes the whole feed: the cap is not the subject here
        )
        worker = stack.start_worker("worker")
        broker = stack.broker()
        try:
            task_id = broker.send_task("news.poll_source", args=[source.pk]).id
            wait_until(lambda: slow.started, timeout=30, what="the poll to fetch", interval=0.005)
            for pid in pool_processes(worker):
                os.kill(pid, signal.SIGKILL)
            killed_at = time.monotonic()
            with world.redis.client() as client:
                lock_ttl = client.pttl(f"lock:news:poll:{source.pk}")
            wait_until(
                lambda: NewsSource.objects.using(world.alias).filter(pk=source.pk, etag='"p"').exists(),
                timeout=lock_seconds + 60,
                what="the requeued poll to store the feed",
                interval=0.05,
            )
            recovery = time.monotonic() - killed_at
            wait_until(
                lambda: f"[{task_id}] succeeded" in worker.log_text(),
                timeout=30,
                what="the worker to log the poll's result",
                interval=0.05,
            )
            outcomes = [
                line.split(f"[{task_id}] ", 1)[1]
                for line in worker.log_text().splitlines()
                if f"[{task_id}] " in line and "received" not in line
            ]
            log(f"pool process killed; lock TTL {lock_ttl} ms; stored {recovery:.1f} s after the kill; {outcomes}")
            worker.stop()
        finally:
            broker.close()
        stories = stored_stories(world.alias, source.pk)
        return PoolKillResult(
            lock_seconds=lock_seconds,
            lock_ttl_after_kill_ms=lock_ttl,
            outcomes=outcomes,
            recovery=recovery,
            stored=stories["count"],
            duplicate_guids=stories["duplicate_guids"],
            lost=entries - len(set(stories["texts"])),
        )
