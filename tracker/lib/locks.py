"""A lock shared by every worker on every machine, so two never do the same job at once.

Redis when the project has one (production, and the laptop's private Redis); without
Redis (the filesystem-broker fallback runs on one machine) the cache's atomic add."""

import contextlib
import uuid

import redis
from django.conf import settings
from django.core.cache import cache


def _redis_url() -> str | None:
    url = settings.CELERY_BROKER_URL
    return url if isinstance(url, str) and url.startswith(("redis://", "rediss://", "unix://")) else None


@contextlib.contextmanager
def exclusive(name: str, *, timeout: int):
    """Yields True if this process holds the lock named `name`, False if another does.

    `timeout` is the lock's lifetime: a holder that crashes releases it when it expires."""
    url = _redis_url()
    if url:
        client = redis.Redis.from_url(url)
        lock = client.lock(f"lock:{name}", timeout=timeout, blocking=False)
        acquired = lock.acquire(blocking=False)
        try:
            yield acquired
        finally:
            if acquired:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()
            client.close()
        return
    token = uuid.uuid4().hex
    acquired = cache.add(f"lock:{name}", token, timeout)
    try:
        yield acquired
    finally:
        if acquired and cache.get(f"lock:{name}") == token:
            cache.delete(f"lock:{name}")
