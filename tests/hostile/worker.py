"""A real Celery worker process for the hostile corpus, and the database it shares.

    python -m tests.hostile.worker [--total-timeout S] [--read-timeout S] [--connect-timeout S]
        [--max-retries N] -- <celery worker options>

runs `celery worker` with the fetch limits given (the product's defaults otherwise), with
--max-retries that many retries of a transient failure instead of the task's own, and with
--linked-pages-seconds that budget for a poll's linked pages.
The worker is the product's: same app, tasks, settings module as the environment says.

`Worker` starts one as a subprocess and reports on it (alive, peak resident memory), and
`SharedDatabase` hands it the test's database: PostgreSQL's test database as it is, or, for
SQLite (whose test database lives in this process's memory), a file copy that is copied
back when the worker is done.
"""

import argparse
import contextlib
import dataclasses
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    ours, celery_options = (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connect-timeout", type=float)
    parser.add_argument("--read-timeout", type=float)
    parser.add_argument("--total-timeout", type=float)
    parser.add_argument("--max-retries", type=int)
    parser.add_argument("--linked-pages-seconds", type=float)
    args = parser.parse_args(ours)

    from celery import signals

    from tracker.news import fetch

    given = {
        "connect_timeout": args.connect_timeout,
        "read_timeout": args.read_timeout,
        "total_timeout": args.total_timeout,
    }
    fetch.DEFAULT_LIMITS = dataclasses.replace(fetch.DEFAULT_LIMITS, **{k: v for k, v in given.items() if v})

    @signals.worker_init.connect(weak=False)
    def tune(**kwargs):  # once Django is set up: the modules below need it
        from tracker.news import services, tasks

        if args.max_retries is not None:
            tasks.MAX_RETRIES = args.max_retries
        if args.linked_pages_seconds is not None:
            services.LINKED_PAGES_SECONDS = args.linked_pages_seconds

    from tracker.celery import app

    app.worker_main(["worker", *celery_options])


class Worker:
    """`with Worker(env=..., log_path=..., options=[...]) as worker:` a worker subprocess on
    the broker the environment names, `options` for main() above; stopped (TERM, then KILL)
    on exit. Its output goes to `log_path`."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        log_path: Path,
        options: list[str],
        pool: str = "threads",
        celery_options: tuple[str, ...] = (),
    ):
        self.env = env
        self.log_path = log_path
        self.argv = [sys.executable, "-m", "tests.hostile.worker", *options, "--"]
        self.argv += ["--pool", pool, "--concurrency", "4" if pool == "threads" else "1", "--loglevel", "WARNING"]
        self.argv += ["--without-heartbeat", "--without-gossip", "--without-mingle", *celery_options]
        self.popen: subprocess.Popen | None = None

    def __enter__(self):
        self.log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            self.argv, cwd=REPO, env=self.env, stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT
        )
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> int | None:
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self.log.close()
        return self.popen.returncode

    def status(self, field: str) -> int:
        """A /proc/<pid>/status figure in bytes, e.g. "VmHWM" (peak resident memory)."""
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
        raise LookupError(field)

    def reset_peak_memory(self) -> None:
        """Start VmHWM again from the current resident size (Linux: clear_refs 5)."""
        with contextlib.suppress(OSError):
            Path(f"/proc/{self.popen.pid}/clear_refs").write_text("5")

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]


class SharedDatabase:
    """The test's database, handed to a worker process: `url` for its DATABASE_URL, and
    `execute(sql, params)` to read or change it while the worker runs ("%s" placeholders).
    Leaving the block makes what the worker wrote visible to the test's ORM again."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self._file: sqlite3.Connection | None = None

    def __enter__(self):
        from django.db import connection

        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
            self.url = f"postgres://{auth}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
            return self
        if connection.vendor != "sqlite":
            raise RuntimeError(f"the worker cannot share a {connection.vendor} test database")
        path = self.workdir / "worker.sqlite3"
        connection.ensure_connection()
        self._file = sqlite3.connect(path, timeout=20, isolation_level=None, check_same_thread=False)
        connection.connection.backup(self._file)
        self.url = f"sqlite:///{path}"
        return self

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._file is None:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else []
        return self._file.execute(sql.replace("%s", "?"), params).fetchall()

    def __exit__(self, *exc):
        if self._file is None:
            return
        from django.db import connection

        self._file.backup(connection.connection)
        self._file.close()


def worker_env(*, database_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    """The environment of a worker on the test settings, this run's Redis and `database_url`."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    pythonpath = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "tests.settings"),
        "DATABASE_URL": database_url,
        "TEST_REDIS_URL": redis_url,
        "TRACKER_DATA_DIR": str(data_dir),
        "PYTHONPATH": pythonpath,
        "PYTHONUNBUFFERED": "1",
    }


if __name__ == "__main__":
    main()
