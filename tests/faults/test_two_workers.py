"""Two workers, one source: the lock holds, and a crashed holder's lock expires (two_workers.py)."""

import pytest

from tests.faults import two_workers

pytestmark = pytest.mark.faults

LOCK_SECONDS = 3
BUSY = "Shared feed: another worker is polling it"
STORED = "Shared feed: 300 entries, 300 new, 0 updated, 0 unchanged, 360 proposals."


def test_two_workers_poll_one_source_once_and_a_dead_holders_lock_expires(fault_context):
    result = two_workers.run(fault_context, entries=300, lock_seconds=LOCK_SECONDS, log=print)

    # Both workers got a poll at once: one stored the feed, the other skipped without fetching.
    assert sorted(result.concurrent_results.values()) == sorted([BUSY, STORED])
    assert result.concurrent_fetches == 1
    # The holder was killed: its lock outlived it by at most its lifetime, then freed itself.
    assert 0 < result.lock_ttl_after_kill_ms <= LOCK_SECONDS * 1000
    assert result.poll_during_dead_lock == BUSY
    assert result.lock_expired_after <= LOCK_SECONDS + 0.5
    assert result.poll_after_expiry == STORED
    assert result.redelivered_killed_poll == "Shared feed: not modified since the last poll."
    assert (result.stored, result.duplicate_guids, result.duplicate_urls, result.lost) == (600, 0, 0, 0)
    assert result.leftover == {"queued": 0, "unacked": 0, "lock_keys": 0}
