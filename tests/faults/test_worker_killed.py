"""A real worker killed with SIGKILL mid-ingest loses and duplicates nothing (kill_rounds.py)."""

import random

import pytest

from tests.faults import kill_rounds

pytestmark = pytest.mark.faults

KILLS = 5  # bench/faults.py runs 20
LOCK_SECONDS = 3


def test_a_worker_killed_mid_ingest_five_times_stores_every_story_exactly_once(fault_context):
    seed = random.randrange(2**32)
    print(f"kill delays drawn with seed {seed}")
    result = kill_rounds.run(fault_context, kills=KILLS, entries=300, lock_seconds=LOCK_SECONDS, seed=seed, log=print)

    assert len(result.rounds) == KILLS
    assert (result.duplicate_guids, result.duplicate_urls) == (0, 0)
    assert (result.lost, result.stale) == (0, 0)
    assert result.stored == result.expected == 300 + KILLS * 250
    assert result.failed_tasks == 0
    assert result.leftover == {"queued": 0, "unacked": 0, "lock_keys": 0}
    # The kills hit polls at work, and what the dead poll held was released by expiry alone.
    assert any(not kill.finished_at_kill for kill in result.rounds), result.rounds
    assert all(kill.lock_ttl_ms <= LOCK_SECONDS * 1000 for kill in result.rounds), result.rounds


def test_a_killed_pool_process_is_requeued_at_once_and_waits_out_the_dead_polls_lock(fault_context):
    # Longer than the up to 5 s the worker's main process takes to notice its pool process died,
    # so the requeued poll surely meets the dead poll's lock.
    lock_seconds = 8
    result = kill_rounds.run_pool_process_kill(fault_context, entries=300, lock_seconds=lock_seconds, log=print)

    assert 0 < result.lock_ttl_after_kill_ms <= lock_seconds * 1000
    # Requeued at once, marked redelivered: it met the dead poll's lock, retried after its
    # expiry instead of skipping the round, and stored the feed.
    retried, stored = result.outcomes
    assert retried.startswith("retry: Retry in ")
    assert "'Station feed: 300 entries, 300 new, 0 updated, 0 unchanged" in stored
    assert result.lock_ttl_after_kill_ms / 1000 <= result.recovery < lock_seconds + 30
    assert (result.stored, result.duplicate_guids, result.lost) == (300, 0, 0)
