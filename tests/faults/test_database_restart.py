"""A PostgreSQL restart under load: clean failures, and recovery without a restart of the app
(database_restart.py)."""

import os

import pytest
from django.conf import settings

from tests.faults import database_restart
from tests.faults.processes import postgres_bin_dir

# SQLite has no server to restart: the SQLite run deselects this (tests/conftest.py), and
# the PostgreSQL run of the suite executes it.
pytestmark = [pytest.mark.faults, pytest.mark.postgresql_only]


@pytest.fixture
def on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if postgres_bin_dir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI: no PostgreSQL server binaries (initdb, pg_ctl) to start a throwaway cluster with")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) to start a throwaway cluster with")


def test_requests_during_a_database_restart_fail_cleanly_and_the_app_recovers(on_postgresql, fault_context):
    result = database_restart.run(fault_context, clients=4, log=print)

    assert result.failed > 0, "no request met the restart: the scenario tested nothing"
    assert result.failures == {"503 with Retry-After": result.failed}
    assert result.leaks == 0
    assert result.recovery_seconds < 10
    assert result.requests_total > result.requests_during + 50  # and served on long after it
    assert not result.web_restarted
