"""A task ends while Redis is frozen: its acknowledgement times out, and the worker must still
take the next task once Redis answers again.

With acks_late the worker's main process acknowledges a task when its pool process reports
the result; with Redis frozen (SIGSTOP) that acknowledgement waits for the broker's 5 s socket
timeout and fails. kombu keeps the message in the channel's prefetch window until an ack
succeeds, so with a prefetch window of one (settings.py) a worker that merely logs the failed
ack never asks the broker for another task: it stays up, silent, and consumes nothing again.
This is the intermittent failure of redis_outage.py's frozen scenario, where it happened only
when the freeze fell between a task's end and its ack (a busy machine widens that gap); here
the gap is made on purpose with a task that naps across the freeze.
"""

import time
from dataclasses import dataclass

from tests.waiting import wait_until

from .context import FaultContext, scenario
from .stack import AppStack

NAP_SECONDS = 1.0
# The nap, then up to one 5 s socket timeout of whatever the worker's event loop was already
# asking Redis (its periodic checks), then the ack's own 5 s timeout, with room to spare.
FROZEN_SECONDS = 14.0
NEXT_TASK_TIMEOUT = 60.0


@dataclass
class LostAckResult:
    next_task_seconds: float | None  # from Redis back to the next task done; None: never
    first_task_runs: int  # how many times the task that napped across the freeze ran
    worker_running: bool


def run(context: FaultContext, *, log=print) -> LostAckResult:
    with scenario(context, "lost_ack") as world:
        stack = AppStack(world.services, workdir=world.directory, database_url=world.database_url,
                         redis_url=world.redis.url)  # fmt: skip
        worker = stack.start_worker("worker")
        broker = stack.broker()
        first = broker.send_task("faults.nap", args=[NAP_SECONDS])
        wait_until(
            lambda: f"faults.nap[{first.id}] received" in worker.log_text(),
            timeout=30,
            what="the worker to take the first task",
        )
        world.redis.freeze()
        log(f"Redis frozen while the worker naps for {NAP_SECONDS:g} s")
        time.sleep(FROZEN_SECONDS)
        world.redis.thaw()
        back_at = time.monotonic()
        log("Redis thawed; sending the next task")
        following = broker.send_task("faults.nap", args=[0])
        try:
            wait_until(
                lambda: f"faults.nap[{following.id}] succeeded" in worker.log_text(),
                timeout=NEXT_TASK_TIMEOUT,
                what="the worker to run the task sent after the freeze",
            )
            next_task_seconds = time.monotonic() - back_at
        except AssertionError:
            next_task_seconds = None
        log(f"next task done after {next_task_seconds} s; worker log:\n{worker.tail(30)}")
        return LostAckResult(
            next_task_seconds=next_task_seconds,
            first_task_runs=worker.log_text().count(f"faults.nap[{first.id}] succeeded"),
            worker_running=worker.running,
        )
