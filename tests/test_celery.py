"""The Celery app is configured from Django settings and a real worker serves it over Redis."""

import os

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from tracker.celery import app

pytestmark = pytest.mark.celery


@pytest.fixture(scope="module")
def test_redis():
    url = settings.TEST_REDIS_URL
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("TEST_REDIS_URL is not set: bin/test points the suite at a Redis database")
        pytest.skip("TEST_REDIS_URL is not set; run the suite with bin/test, which provides a Redis")
    client = redis.Redis.from_url(url)
    client.flushdb()  # this run's own database number: purge what an earlier run left
    return client


def test_the_app_takes_its_broker_and_reliability_settings_from_django(test_redis):
    assert app.conf.broker_url == settings.TEST_REDIS_URL
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] == 3600


def test_a_real_worker_answers_over_redis(test_redis):
    app.loader.import_task_module("celery.contrib.testing.tasks")  # registers celery.ping
    with start_worker(app, perform_ping_check=True, loglevel="WARNING"):
        replies = app.control.ping(timeout=2)
        assert replies, "no worker answered the broadcast ping"
        assert app.send_task("celery.ping").get(timeout=10) == "pong"
