"""Django's Redis cache, failing soft: an unreachable Redis is a cache miss, not a 500.

Everything the app keeps in the cache can be made again: pages are rendered from the
database, and the record's version (page_cache.py) starts afresh, which only means no
cached page is served. So while Redis is down every page is rendered from the database,
every write to the cache is dropped, and the pages keep answering 200.

After a failure, Redis is left alone for RETRY_SECONDS by every thread of the process (Django
makes a cache object per thread; the pause is shared by all those of one LOCATION): a Redis
that times out instead of refusing would otherwise cost each cache call a socket timeout. The
outage is logged once when it starts and once when it ends, not once per call.

Not wrapped: incr/decr (a counter cannot pretend; the app keeps none in the cache).
"""

import functools
import logging
import threading
import time

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
FAILURES = (redis.RedisError, OSError)

# LOCATION -> monotonic time until which Redis is not asked (0: it answers). Shared by the
# threads' cache objects of one process.
_unreachable_until: dict[str, float] = {}
_state_lock = threading.Lock()


def _fail_soft(fallback):
    """Run the cache operation; on a Redis failure return `fallback(*args, **kwargs)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            pause = _unreachable_until.get(self._location, 0.0)
            if time.monotonic() < pause:
                return fallback(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except FAILURES as error:
                self._failed(error)
                return fallback(*args, **kwargs)
            if pause:
                self._recovered()
            return result

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


def _nothing(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _no_values(*args, **kwargs):
    return {}


def _all_failed(data, *args, **kwargs):
    return list(data)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)

    def _failed(self, error: Exception) -> None:
        with _state_lock:
            first = not _unreachable_until.get(self._location)
            _unreachable_until[self._location] = time.monotonic() + RETRY_SECONDS
        if first:
            logger.warning(
                "Redis cache unreachable (%s: %s): serving without the cache, trying again every %g s",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )

    def _recovered(self) -> None:
        with _state_lock:
            was_down = bool(_unreachable_until.pop(self._location, 0.0))
        if was_down:
            logger.warning("Redis cache reachable again")

    get = _fail_soft(_default)(RedisCache.get)
    add = _fail_soft(_false)(RedisCache.add)
    set = _fail_soft(_nothing)(RedisCache.set)
    touch = _fail_soft(_false)(RedisCache.touch)
    delete = _fail_soft(_false)(RedisCache.delete)
    has_key = _fail_soft(_false)(RedisCache.has_key)
    get_many = _fail_soft(_no_values)(RedisCache.get_many)
    set_many = _fail_soft(_all_failed)(RedisCache.set_many)
    delete_many = _fail_soft(_nothing)(RedisCache.delete_many)
    clear = _fail_soft(_false)(RedisCache.clear)
