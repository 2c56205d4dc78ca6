"""Celery tasks: thin. Take ids, load the row, call the pipeline, decide on retry."""

import logging
import random

import redis
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tracker.lib.locks import exclusive, seconds_left

from . import services
from .fetch import FetchError
from .models import NewsSource
from .parse import ParseError

logger = logging.getLogger(__name__)

# Longer than any poll may take (fetch deadlines × redirects × linked pages): a live poller
# keeps its source's lock (renewing it) for at most this long. A worker killed while holding
# it frees the source sooner: settings.NEWS_POLL_LOCK_SECONDS after its last renewal.
POLL_LOCK_SECONDS = 15 * 60
MAX_RETRIES = 4


@shared_task(name="news.dispatch_due_sources", ignore_result=True)
def dispatch_due_sources() -> int:
    """Every minute (beat): claim each due source for one interval and enqueue its poll."""
    now = timezone.now()
    enqueued = 0
    for source in NewsSource.objects.due(now).only("pk", "poll_interval", "next_poll_at"):
        # The claim is a conditional UPDATE: two dispatchers (or a slow previous round)
        # cannot both enqueue the same source for the same slot.
        claimed = NewsSource.objects.due(now).filter(pk=source.pk).update(next_poll_at=now + source.poll_interval)
        if claimed:
            transaction.on_commit(lambda pk=source.pk: poll_source.delay(pk))
            enqueued += 1
    return enqueued


@shared_task(
    name="news.poll_source",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def poll_source(self, source_id: int) -> str:
    source = NewsSource.objects.filter(pk=source_id).first()
    if source is None:
        return f"source {source_id} no longer exists"
    try:
        return _poll_under_lock(self, source)
    except redis.RedisError as error:
        # The lock lives in Redis: with Redis down or frozen the poll cannot start, and a retry
        # could not be queued either. Give back the slot the dispatcher claimed, so its first
        # round once Redis answers polls the source, not one a whole interval later.
        NewsSource.objects.filter(pk=source_id).update(next_poll_at=timezone.now())
        return f"{source.name}: not polled, Redis unreachable ({error}); left due"


def _poll_under_lock(task, source: NewsSource) -> str:
    """poll_source's work once the source's lock is held; `task` is the bound task, to retry."""
    source_id = source.pk
    lock = f"news:poll:{source_id}"
    with exclusive(lock, timeout=settings.NEWS_POLL_LOCK_SECONDS, keep_for=POLL_LOCK_SECONDS) as held:
        if not held:
            if (task.request.delivery_info or {}).get("redelivered") and task.request.retries < MAX_RETRIES:
                # A redelivered task's first run died (SIGKILL, out of memory, lost machine)
                # and the lock may be that dead run's own, left to expire: skipping now would
                # lose the round it began. Run again once the lock has expired. (A poll that
                # merely meets a live one is skipped: the live one stores the feed.)
                countdown = seconds_left(lock, default=settings.NEWS_POLL_LOCK_SECONDS) + random.uniform(0.5, 2)
                raise task.retry(countdown=countdown) from None
            return f"{source.name}: another worker is polling it"
        # Read the row again under the lock: the poll that held it until a moment ago may
        # have stored a new ETag and failure count, or the source may have gone since.
        source = NewsSource.objects.filter(pk=source_id).first()
        if source is None:
            return f"source {source_id} no longer exists"
        try:
            return services.poll_source(source).describe()
        except FetchError as error:
            if error.transient and task.request.retries < MAX_RETRIES:
                # Exponential backoff with full jitter, so failing sources do not retry in step.
                countdown = random.uniform(0, 30 * 2**task.request.retries)
                raise task.retry(exc=error, countdown=countdown) from None
            return f"{source.name}: {error}"
        except ParseError as error:
            return f"{source.name}: {error}"
        except Exception as error:
            # Recorded on the source row by services.poll_source; the traceback is for the log.
            # Not retried: a parser that breaks on this response breaks on it again.
            logger.exception("poll of %s failed unexpectedly", source.name)
            return f"{source.name}: {services.unexpected(error)}"
