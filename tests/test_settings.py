"""Settings come from the environment and a bad value stops start-up with its name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tracker.settings'; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_embedded_defaults_use_sqlite_and_the_filesystem_broker(tmp_path):
    result = start(TRACKER_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_production_takes_postgres_and_redis_from_the_environment(tmp_path):
    result = start(
        TRACKER_DATA_DIR=str(tmp_path),
        DEBUG="false",
        SECRET_KEY="x" * 60,
        DATABASE_URL="postgres://tracker@db.example:5432/tracker",
        REDIS_URL="redis://cache.example:6379/2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "redis://cache.example:6379/2"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "false"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL='nosuchdb://x'"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL='localhost:6379' must start with redis://"),
        (
            {"CELERY_VISIBILITY_TIMEOUT": "soon", "REDIS_URL": "redis://x:6379/0"},
            "CELERY_VISIBILITY_TIMEOUT='soon' is not an integer",
        ),
    ],
    ids=["debug", "secret-key", "database-url", "redis-url", "visibility-timeout"],
)
def test_a_bad_value_fails_at_start_up_naming_the_variable(tmp_path, env, message):
    result = start(TRACKER_DATA_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert message in result.stderr
