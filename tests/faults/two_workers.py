"""Two workers, one source: the per-source lock holds, and a crashed holder's lock expires.

Two worker processes (prefork, one pool process each) consume one queue; the feed server
answers every request 1.5 s late, so a poll holds its source's lock at least that long.

1. The lock holds: two polls of the source are enqueued at once and each worker takes one.
   One poll fetches and stores the feed; the other finds the lock taken and ends without
   fetching. Counted: feed requests, articles, duplicates, and each task's logged result.
2. A crashed holder's lock expires: a new version of the feed is polled and the worker
   holding the lock is killed (SIGKILL, whole process group) while it waits for the feed.
   The lock's remaining lifetime is read at once (it must be within NEWS_POLL_LOCK_SECONDS),
   a poll enqueued right then meets the dead holder's lock and skips, the lock expires by
   itself, and a poll enqueued after that stores the feed. The killed task, redelivered
   after the visibility timeout, then finds the feed unchanged (304).
"""

import re
import time
from dataclasses import asdict, dataclass, field

from tests.http_server import Route
from tests.waiting import wait_until
from tracker.news.models import NewsSource

from .context import FaultContext, scenario
from .kill_rounds import RSS, broker_leftovers, stored_stories
from .stack import AppStack, SlowAnswers, feed_body, station_entries

FEED_PATH = "/shared.xml"
FEED_DELAY = 1.5
BUSY = "another worker is polling it"


@dataclass
class TwoWorkersResult:
    entries: int
    lock_seconds: int
    visibility_timeout: int
    # 1. the lock holds
    concurrent_results: dict[str, str] = field(default_factory=dict)  # worker -> its poll's logged result
    concurrent_fetches: int = 0
    # 2. a crashed holder's lock expires
    holder: str = ""
    lock_ttl_after_kill_ms: int = 0
    poll_during_dead_lock: str = ""
    lock_expired_after: float = 0.0  # seconds from the kill until the lock key was gone
    poll_after_expiry: str = ""
    redelivered_killed_poll: str = ""
    # at the end
    expected: int = 0
    stored: int = 0
    duplicate_guids: int = 0
    duplicate_urls: int = 0
    lost: int = 0
    leftover: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def task_result(log: str, task_id: str) -> str | None:
    """What the task `task_id` returned, as the worker logged it; None until it has finished."""
    found = re.search(rf"\[{re.escape(task_id)}\] succeeded in [0-9.e-]+s: '(.*)'", log)
    return found.group(1) if found else None


def run(
    context: FaultContext,
    *,
    entries: int = 300,
    lock_seconds: int = 3,
    visibility_timeout: int = 6,
    log=print,
) -> TwoWorkersResult:
    result = TwoWorkersResult(entries, lock_seconds, visibility_timeout)
    with scenario(context, "two") as world:
        stack = AppStack(
            world.services,
            workdir=world.directory,
            database_url=world.database_url,
            redis_url=world.redis.url,
            visibility_timeout=visibility_timeout,
            lock_seconds=lock_seconds,
        )
        slow = SlowAnswers(world.feeds, FEED_DELAY)
        first = station_entries("v1", range(entries))
        world.feeds.route(FEED_PATH, Route(body=feed_body(first), headers=RSS, etag='"v1"'))
        source = NewsSource.objects.using(world.alias).create(
            name="Shared feed",
            url=world.feeds.url(FEED_PATH),
            enabled=True,
            allow_private_network=True,
            fetch_linked_pages=False,
            max_entries_per_poll=entries,  # one poll takes the whole feed: the cap is not the subject here
        )
        lock_key = f"lock:news:poll:{source.pk}"
        workers = {name: stack.start_worker(name) for name in ("worker-a", "worker-b")}
        broker = stack.broker()

        def finished(task_id: str) -> tuple[str, str] | None:
            for name, worker in workers.items():
                if (found := task_result(worker.log_text(), task_id)) is not None:
                    return name, found
            return None

        def wait_finished(task_id: str, what: str, timeout: float = 60) -> tuple[str, str]:
            return wait_until(lambda: finished(task_id), timeout=timeout, what=what, interval=0.05)

        try:
            # 1. Two polls at once: one stores, the other meets the lock.
            ids = [broker.send_task("news.poll_source", args=[source.pk]).id for _ in range(2)]
            for task_id in ids:
                name, said = wait_finished(task_id, "both concurrent polls to finish")
                result.concurrent_results[name] = said
            result.concurrent_fetches = world.feeds.hits(FEED_PATH)
            log(f"two polls at once: {result.concurrent_results}; feed fetched {result.concurrent_fetches} time(s)")

            # 2. Kill the holder of the lock while it waits for the feed.
            second = station_entries("v2", range(entries))
            world.feeds.route(FEED_PATH, Route(body=feed_body(second), headers=RSS, etag='"v2"'))
            started = slow.started
            killed_id = broker.send_task("news.poll_source", args=[source.pk]).id
            wait_until(lambda: slow.started > started, timeout=30, what="the poll to fetch", interval=0.005)
            result.holder = next(n for n, w in workers.items() if f"[{killed_id}] received" in w.log_text())
            workers[result.holder].kill()
            killed_at = time.monotonic()
            with world.redis.client() as client:
                result.lock_ttl_after_kill_ms = client.pttl(lock_key)
            survivor = next(name for name in workers if name != result.holder)

            blocked_id = broker.send_task("news.poll_source", args=[source.pk]).id
            result.poll_during_dead_lock = wait_finished(blocked_id, "the poll that meets the dead lock")[1]

            def lock_gone():
                with world.redis.client() as client:
                    return not client.exists(lock_key)

            wait_until(lock_gone, timeout=lock_seconds + 10, what="the dead holder's lock to expire", interval=0.01)
            result.lock_expired_after = time.monotonic() - killed_at
            later_id = broker.send_task("news.poll_source", args=[source.pk]).id
            result.poll_after_expiry = wait_finished(later_id, "the poll after the lock expired")[1]
            log(
                f"holder {result.holder} killed; lock TTL then {result.lock_ttl_after_kill_ms} ms; "
                f"a poll meanwhile: {result.poll_during_dead_lock!r}; lock gone {result.lock_expired_after:.2f} s "
                f"after the kill; the next poll: {result.poll_after_expiry!r}"
            )
            # The killed task comes back to the survivor after the visibility timeout.
            result.redelivered_killed_poll = wait_finished(
                killed_id, "the killed poll's redelivery", timeout=visibility_timeout + 60
            )[1]
            log(f"{survivor} ran the killed poll again: {result.redelivered_killed_poll!r}")
            wait_until(
                lambda: broker_leftovers(world, source.pk) == {"queued": 0, "unacked": 0, "lock_keys": 0},
                timeout=30,
                what="the broker to hold no task and the lock to be free",
            )
            workers[survivor].stop()
        finally:
            broker.close()
        stories = stored_stories(world.alias, source.pk)
        expected = {guid for guid, *_ in first + second}
        result.expected = len(expected)
        result.stored = stories["count"]
        result.duplicate_guids = stories["duplicate_guids"]
        result.duplicate_urls = stories["duplicate_urls"]
        result.lost = len(expected - set(stories["texts"]))
        result.leftover = broker_leftovers(world, source.pk)
        return result
