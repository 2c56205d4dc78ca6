"""Celery tasks: thin. Take ids, load the row, call the pipeline, decide on retry."""

import logging
import random

import redis
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services
from .fetch import FetchError
from .models import NewsSource
from .parse import ParseError

logger = logging.getLogger(__name__)

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
    """Poll one source under its lock (services.poll_exclusively); retry a transient fetch
    failure with backoff, and a redelivered poll whose dead first run still holds the lock."""
    name = NewsSource.objects.filter(pk=source_id).values_list("name", flat=True).first()
    if name is None:
        return f"source {source_id} no longer exists"
    try:
        outcome = services.poll_exclusively(source_id)
    except services.SourceBusy as busy:
        if (self.request.delivery_info or {}).get("redelivered") and self.request.retries < MAX_RETRIES:
            # A redelivered task's first run died (SIGKILL, out of memory, lost machine)
            # and the lock may be that dead run's own, left to expire: skipping now would
            # lose the round it began. Run again once the lock has expired. (A poll that
            # merely meets a live one is skipped: the live one stores the feed.)
            raise self.retry(countdown=busy.seconds_left + random.uniform(0.5, 2)) from None
        return f"{name}: another worker is polling it"
    except redis.RedisError as error:
        # The lock lives in Redis: with Redis down or frozen the poll cannot start, and a retry
        # could not be queued either. Give back the slot the dispatcher claimed, so its first
        # round once Redis answers polls the source, not one a whole interval later.
        NewsSource.objects.filter(pk=source_id).update(next_poll_at=timezone.now())
        return f"{name}: not polled, Redis unreachable ({error}); left due"
    except FetchError as error:
        if error.transient and self.request.retries < MAX_RETRIES:
            # Exponential backoff with full jitter, so failing sources do not retry in step.
            raise self.retry(exc=error, countdown=random.uniform(0, 30 * 2**self.request.retries)) from None
        return f"{name}: {error}"
    except ParseError as error:
        return f"{name}: {error}"
    except Exception as error:
        # Recorded on the source row by services.poll; the traceback is for the log. Not
        # retried: a parser that breaks on this response breaks on it again.
        logger.exception("poll of %s failed unexpectedly", name)
        return f"{name}: {services.unexpected(error)}"
    return outcome.describe() if outcome is not None else f"source {source_id} no longer exists"
