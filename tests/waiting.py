"""Waiting for what another process or thread does: a condition polled until a deadline.

The fault scenarios (tests/faults), the hostile corpus's worker run (tests/hostile) and the
Celery tests all wait this way, and never without a deadline.
"""

import time
from collections.abc import Callable


class WaitTimeout(AssertionError):
    """A condition waited for did not come within its deadline."""


def wait_until(
    condition: Callable[[], object],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    details: Callable[[], str] | None = None,
):
    """The first truthy value of `condition()`, polled every `interval` seconds; WaitTimeout
    once `timeout` seconds have passed without one. `what` names what was waited for, and
    `details()`, read only then, adds what explains the wait (a child process's log)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            message = f"timed out after {timeout:g} s waiting for {what}"
            raise WaitTimeout(f"{message}\n{details()}" if details else message)
        time.sleep(interval)
