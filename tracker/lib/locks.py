"""A lock shared by every worker on every machine, so two never do the same job at once.

Redis when the project has one (production, and the laptop's private Redis); without
Redis (the filesystem-broker fallback runs on one machine) the cache's atomic add."""

import contextlib
import logging
import threading
import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _redis_url() -> str | None:
    url = settings.CELERY_BROKER_URL
    return url if isinstance(url, str) and url.startswith(("redis://", "rediss://", "unix://")) else None


class _Renewal(threading.Thread):
    """Renews a held lock every third of its lifetime until stopped or `keep_for` has passed.

    A worker killed with SIGKILL (or by the out-of-memory killer) runs no `finally`: its
    lock lives until it expires. Renewal lets that lifetime be short, so the source is free
    again soon after its poller died, while a live poller keeps it as long as it needs;
    `keep_for` still bounds a poller that hangs without dying."""

    def __init__(self, name: str, renew: Callable[[], bool], *, timeout: int, keep_for: int):
        super().__init__(name=f"renew lock:{name}", daemon=True)
        self.renew = renew
        self.every = timeout / 3
        self.until = time.monotonic() + keep_for
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every) and time.monotonic() < self.until:
            try:
                if not self.renew():
                    logger.warning("%s: the lock was lost (it expired and was taken)", self.name)
                    return
            except (redis.RedisError, OSError) as error:
                # Redis away for a moment: the lock lives on until its lifetime runs out.
                logger.warning("%s failed, will try again: %s", self.name, error)

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


@contextlib.contextmanager
def _renewed(name: str, renew: Callable[[], bool], *, timeout: int, keep_for: int | None):
    if not keep_for:
        yield
        return
    renewal = _Renewal(name, renew, timeout=timeout, keep_for=keep_for)
    renewal.start()
    try:
        yield
    finally:
        renewal.stop()


@contextlib.contextmanager
def exclusive(name: str, *, timeout: int, keep_for: int | None = None):
    """Yields True if this process holds the lock named `name`, False if another does.

    `timeout` is the lock's lifetime: a holder that crashes releases it when it expires.
    With `keep_for`, the holder renews that lifetime while it lives, for up to `keep_for`
    seconds in all (see _Renewal)."""
    url = _redis_url()
    if url:
        client = redis.Redis.from_url(url)
        # Not thread-local: the renewal thread must see the token this thread acquired.
        lock = client.lock(f"lock:{name}", timeout=timeout, blocking=False, thread_local=False)
        acquired = lock.acquire(blocking=False)
        try:
            if not acquired:
                yield False
                return

            def renew() -> bool:
                try:
                    return lock.reacquire()
                except redis.exceptions.LockError:  # expired, and maybe taken by another
                    return False

            with _renewed(name, renew, timeout=timeout, keep_for=keep_for):
                yield True
        finally:
            if acquired:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()
            client.close()
        return
    key, token = f"lock:{name}", uuid.uuid4().hex
    acquired = cache.add(key, token, timeout)
    try:
        if not acquired:
            yield False
            return

        def renew_in_cache() -> bool:
            return cache.get(key) == token and cache.touch(key, timeout)

        with _renewed(name, renew_in_cache, timeout=timeout, keep_for=keep_for):
            yield True
    finally:
        if acquired and cache.get(key) == token:
            cache.delete(key)


def seconds_left(name: str, *, default: float) -> float:
    """How long the lock named `name` lives on unless renewed: 0 if it is free, `default`
    when the backend cannot tell (the cache fallback)."""
    url = _redis_url()
    if not url:
        return default
    with redis.Redis.from_url(url) as client:
        milliseconds = client.pttl(f"lock:{name}")
    if milliseconds == -2:  # no such key: free
        return 0.0
    return default if milliseconds < 0 else milliseconds / 1000
