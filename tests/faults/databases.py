"""The scenarios' databases, shared between the app's child processes and the scenario itself.

pytest-django's SQLite test database lives in memory, which no worker process can open; so
each scenario gets a database of its own that every process can reach: a SQLite file in the
scenario's directory, or a PostgreSQL database `<prefix>_<scenario>` (the test run's
`test_<name>` prefix, so it never meets another run's). One database is migrated and given
the reference record once; each scenario starts from a copy of it.

The scenario reads and writes that database through the ORM under a connection alias of its
own (`attached`), registered at run time beside the test settings' `default`.
"""

import contextlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg

REPO = Path(__file__).resolve().parents[2]
PREPARE_TIMEOUT = 180


def sqlite_options() -> dict:
    # As the app's settings do for SQLite: wait for the workers' write lock instead of failing.
    return {"timeout": 20}


class DatabaseFactory:
    """Copies of one prepared database. `engine` is "sqlite" or "postgres"; for PostgreSQL,
    `server_url` is the server (no database name) and `prefix` the names' prefix."""

    def __init__(self, *, engine: str, workdir: Path, server_url: str = "", prefix: str = "faults"):
        self.engine = engine
        self.workdir = workdir
        self.server_url = server_url.rstrip("/")
        self.prefix = prefix
        self._template: str | None = None
        self._made: list[str] = []

    def _admin(self):
        return psycopg.connect(f"{self.server_url}/postgres", autocommit=True, connect_timeout=5)

    def _recreate(self, name: str, template: str | None = None) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self._made.append(name)
        return f"{self.server_url}/{name}"

    def template(self, prepare_env: dict[str, str]) -> str:
        """The prepared database's URL (prepared on first use)."""
        if self._template is None:
            if self.engine == "postgres":
                url = self._recreate(f"{self.prefix}_template")
            else:
                url = f"sqlite:///{self.workdir / 'template.sqlite3'}"
            prepare(url, prepare_env)
            self._template = url
        return self._template

    def copy(self, label: str, prepare_env: dict[str, str]) -> str:
        """A new database with the template's content, for one scenario."""
        template = self.template(prepare_env)
        if self.engine == "postgres":
            return self._recreate(f"{self.prefix}_{label}", template=template.rsplit("/", 1)[1])
        path = self.workdir / f"{label}-{uuid.uuid4().hex[:6]}.sqlite3"
        shutil.copyfile(template.removeprefix("sqlite:///"), path)
        return f"sqlite:///{path}"

    def drop_all(self) -> None:
        if self.engine != "postgres":
            return  # SQLite files go with the work directory
        with contextlib.suppress(psycopg.Error), self._admin() as conn:
            for name in self._made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.clear()


def prepare(url: str, env: dict[str, str]) -> None:
    """Migrate `url`, load the reference record and create the editor, in a child process."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.prepare"],
        env={**env, "DATABASE_URL": url},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=PREPARE_TIMEOUT,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode:
        raise RuntimeError(f"preparing {url} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


@contextlib.contextmanager
def attached(url: str, alias: str):
    """The database at `url` as the ORM connection alias `alias`, for this block."""
    from django.db import connections

    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
    # configure_settings fills in every default (TIME_ZONE, AUTOCOMMIT...) but insists on a
    # `default`; a copy of ours is passed and dropped.
    configured = connections.configure_settings({"default": dict(connections.settings["default"]), alias: config})
    connections.settings[alias] = configured[alias]
    try:
        yield alias
    finally:
        with contextlib.suppress(Exception):
            connections[alias].close()
        with contextlib.suppress(AttributeError, KeyError):
            del connections[alias]
        connections.settings.pop(alias, None)
