"""The parts the fault scenarios rely on, one by one, on a Redis this module starts itself:
the poll lock's renewal and expiry, the fail-soft cache, and the 503 for an unreachable
database."""

import logging
import threading
import time

import pytest
from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from tracker.core.middleware import DatabaseUnavailableMiddleware
from tracker.lib import fail_soft_cache
from tracker.lib.fail_soft_cache import FailSoftRedisCache
from tracker.lib.locks import exclusive, seconds_left

from .processes import RedisServer, Services, free_port

pytestmark = pytest.mark.faults


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    directory = tmp_path_factory.mktemp("redis")
    with Services(log_dir=directory / "logs", cwd=directory) as services:
        server = RedisServer(services, directory / "data")
        server.start()
        yield server


@pytest.fixture
def locks_on(own_redis, settings):
    settings.CELERY_BROKER_URL = own_redis.url
    with own_redis.client() as client:
        client.flushdb()
    return own_redis


def test_a_live_holder_keeps_its_lock_past_its_lifetime_by_renewing_it(locks_on):
    with exclusive("job", timeout=1, keep_for=60) as held:
        assert held is True
        time.sleep(2.5)  # two and a half lifetimes
        with exclusive("job", timeout=1) as second:
            assert second is False
        assert 0 < seconds_left("job", default=99) <= 1
    assert seconds_left("job", default=99) == 0  # released on exit


def test_a_holder_that_hangs_loses_its_lock_once_keep_for_has_passed(locks_on):
    with exclusive("job", timeout=1, keep_for=1) as held:
        assert held is True
        time.sleep(2.5)  # renewed for a second, then left to expire a second later
        with exclusive("job", timeout=1) as second:
            assert second is True


def test_without_keep_for_a_lock_lives_exactly_its_lifetime(locks_on):
    with exclusive("job", timeout=1) as held:
        assert held is True
        time.sleep(1.3)
        assert seconds_left("job", default=99) == 0


def test_a_lock_renewed_in_another_thread_is_still_released_by_its_holder(locks_on):
    done = threading.Event()

    def hold():
        with exclusive("job", timeout=1, keep_for=60):
            time.sleep(1.5)
        done.set()

    thread = threading.Thread(target=hold)
    thread.start()
    thread.join(timeout=10)
    assert done.is_set()
    assert seconds_left("job", default=99) == 0


def unreachable_cache() -> FailSoftRedisCache:
    return FailSoftRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})


def test_the_cache_answers_misses_when_redis_is_unreachable_and_logs_it_once(caplog):
    cache = unreachable_cache()
    with caplog.at_level(logging.WARNING, logger="tracker.lib.fail_soft_cache"):
        assert cache.get("page", "missing") == "missing"
        assert cache.add("version", "v1") is False
        cache.set("page", b"body", 60)
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("page") is False
        assert cache.get_or_set("version", "v2") == "v2"
    assert [record.getMessage().split(" (")[0] for record in caplog.records] == ["Redis cache unreachable"]


def test_the_cache_asks_redis_again_after_a_pause_and_says_when_it_is_back(own_redis, monkeypatch, caplog):
    monkeypatch.setattr(fail_soft_cache, "RETRY_SECONDS", 0.2)
    cache, other_thread = FailSoftRedisCache(own_redis.url, {}), FailSoftRedisCache(own_redis.url, {})
    cache._cache.get_client(write=True).flushdb()
    cache._failed(ConnectionError("refused"))  # as if the last call had failed
    assert cache.get("key", "skipped") == "skipped"  # within the pause: Redis is not asked
    assert other_thread.add("key", "value") is False  # nor by the other threads' cache objects
    time.sleep(0.3)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tracker.lib.fail_soft_cache"):
        cache.set("key", "value")
        assert cache.get("key") == "value"
    assert [record.getMessage() for record in caplog.records] == ["Redis cache reachable again"]


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_an_unreachable_database_is_answered_503_with_retry_after(error):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/missions/x/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert b"Temporarily unavailable" in response.content
    assert b"closed" not in response.content  # nothing of the exception reaches the page


def test_other_errors_are_left_to_the_usual_500_handling():
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("bug")) is None
