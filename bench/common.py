"""What the benchmarks share: logging, a fresh database, production-like settings, and a
description of the machine for docs/benchmarks.md. Imported by the scripts beside it."""

import contextlib
import os
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def fresh_database_url(database: str, workdir: Path, *, pg_name: str) -> str:
    """A new, empty database: a SQLite file in `workdir`, or PostgreSQL's `pg_name` recreated."""
    if database != "postgres":
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{pg_name}"')
    return f"{PG_URL}/{pg_name}"


def use_production_settings(workdir: Path, *, database_url: str, redis_url: str, settings_tail: str) -> dict:
    """The product's settings with DEBUG off, plus `settings_tail` (a few lines of Python) in
    a settings module in `workdir`, for this process and any server it starts."""
    (workdir / "bench_settings.py").write_text("from tracker.settings import *  # noqa: F403\n\n" + settings_tail)
    env = {
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": os.pathsep.join([str(workdir), str(REPO)]),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "TRACKER_DATA_DIR": str(workdir / "data"),
        "DEBUG": "false",
        "SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path[:0] = [str(workdir), str(REPO)]
    return env


def machine(**extra: str) -> dict:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import django

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "django": django.get_version(),
        "kernel": platform.release(),
        **extra,
    }


def database_version(database: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if database == "postgres":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("select sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


def drop_database(database: str, *, pg_name: str) -> None:
    """Remove the run's PostgreSQL database (a SQLite file goes with the temporary directory)."""
    if database != "postgres":
        return
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
