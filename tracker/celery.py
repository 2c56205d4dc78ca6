"""The Celery app, configured from Django settings (every CELERY_* setting)."""

import logging
import os

from celery import Celery, Task
from celery.worker.request import Request

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

logger = logging.getLogger(__name__)


class AckOrReconnectRequest(Request):
    """A task request whose failed acknowledgement is a lost connection, not a log line.

    With acks_late, the worker acknowledges a task when it ends. Celery logs a broker error
    on that ack ("Couldn't ack … Timeout reading from socket", as when Redis is frozen or
    partitioned for longer than the broker's socket timeout) and goes on; but kombu keeps the
    message in the channel's prefetch window until an ack succeeds, and with a window of one
    (CELERY_WORKER_PREFETCH_MULTIPLIER) the worker never asks for another task: it stays up
    and consumes nothing until restarted. Letting the error through instead makes the
    consumer do what it does on any lost connection: reconnect (once Redis answers), with a
    fresh channel and window. The task's work is done and stays done; its message, still
    unacknowledged in Redis, comes back after the visibility timeout (settings.py), and
    news.poll_source runs again harmlessly (the lock, idempotent storage)."""

    def acknowledge(self):
        if not self.acknowledged:
            self._on_ack(logger, ())  # no connection errors to swallow: they reach the consumer
            self.acknowledged = True

    def reject(self, requeue=False):
        if not self.acknowledged:
            self._on_reject(logger, (), requeue)  # as acknowledge
            self.acknowledged = True
            self.send_event("task-rejected", requeue=requeue)


class TrackerTask(Task):
    Request = AckOrReconnectRequest


app = Celery("tracker", task_cls=TrackerTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
