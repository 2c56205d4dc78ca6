"""What every scenario starts from: a directory, its child processes, a Redis of its own, a
copy of the prepared database, and a feed server on loopback."""

import contextlib
from dataclasses import dataclass
from pathlib import Path

from tests.http_server import FeedServer

from .databases import REPO, DatabaseFactory, attached
from .processes import RedisServer, Services
from .stack import base_env


@dataclass
class FaultContext:
    """One run of the suite (or of bench/faults.py): where scenarios put their files, and the
    database every scenario's copy is made from."""

    workdir: Path
    databases: DatabaseFactory

    @property
    def engine(self) -> str:
        return self.databases.engine


@dataclass
class Run:
    directory: Path
    services: Services
    feeds: FeedServer
    redis: RedisServer | None
    database_url: str
    alias: str  # the ORM alias of the run's database in this process


@contextlib.contextmanager
def scenario(context: FaultContext, label: str, *, with_redis: bool = True):
    """A scenario's world for the duration of the block; every process it started is killed
    when the block ends, however it ends."""
    directory = context.workdir / label
    directory.mkdir(parents=True, exist_ok=True)
    database_url = context.databases.copy(label, base_env(context.workdir / "prepare"))
    with (
        Services(log_dir=directory / "logs", cwd=REPO) as services,
        FeedServer() as feeds,
        attached(database_url, f"faults_{label}") as alias,
    ):
        redis_server = None
        try:
            if with_redis:
                redis_server = RedisServer(services, directory / "redis")
                redis_server.start()
            yield Run(directory, services, feeds, redis_server, database_url, alias)
        except Exception as error:
            error.add_note(f"logs of the {label} scenario's processes:\n{services.tails()}")
            raise
