"""What the benchmarks share: logging, a fresh database, production-like settings, a
description of the machine for docs/benchmarks.md, gunicorn as in production and the
closed-loop load generator (bench/dashboard.py, bench/archive.py). Imported by the scripts beside it."""

import contextlib
import gzip
import http.client
import multiprocessing
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
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


# --- load generator (runs in child processes; imports nothing from Django) -------------------
#
# One schedule for all endpoints: a warm-up per endpoint, then `rounds` rounds in which each
# endpoint gets a measured slice in turn. Interleaving the endpoints this way means a burst of
# other work on the machine (a test run, a backup) lands on all of them alike, not on one row.
# A phase is (endpoint index, start, measured from, end); "measured from" is None for warm-ups,
# and the endpoint index is None for a pause in which the connections send nothing while the
# benchmark re-renders the cached pages: each round starts with fresh pages, so no page
# reaches the end of its PAGE_CACHE_SECONDS inside a measured slice.


# A search over 100,000 articles can take a minute on a busy machine (bench/archive.py).
CLIENT_TIMEOUT = 180

# What a good answer of each kind of endpoint looks like (checked on one response in
# CHECK_EVERY: decompressing each would spend the shared CPU on the client).
CHECK_EVERY = 20
CHECKS = {
    "page": lambda body: body.lstrip().startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>"),
    "fragment": lambda body: body.lstrip().startswith(b'<div id="crossflights"') and b"<html" not in body[:200],
    "healthz": lambda body: body == b"ok",
    "json": lambda body: body.lstrip().startswith(b"{") and body.rstrip().endswith(b"}"),
    "atom": lambda body: b"<feed" in body[:500] and body.rstrip().endswith(b"</feed>"),
}


def _checker(kind):
    return CHECKS[kind]


def _client_thread(port, endpoints, phases, out):
    """One keep-alive connection, closed loop: the next request goes as soon as the last is answered."""
    checks = [_checker(kind) for _, _, kind in endpoints]
    latencies = [[] for _ in endpoints]
    errors, nbytes, samples = [0] * len(endpoints), [0] * len(endpoints), []
    conn = http.client.HTTPConnection(HOST, port, timeout=CLIENT_TIMEOUT)
    checked = 0
    for index, _start, measured_from, end in phases:
        if index is None:
            time.sleep(max(0.0, end - time.time()))
            continue
        path, headers, _ = endpoints[index]
        while True:
            sent_at = time.time()
            if sent_at >= end:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                # Every response must be a 200 with a body; what the page says is checked on one
                # in CHECK_EVERY (decompressing each would spend the shared CPU on the client).
                checked += 1
                ok = response.status == 200 and bool(body)
                if ok and checked % CHECK_EVERY == 0:
                    page = gzip.decompress(body) if response.getheader("Content-Encoding") == "gzip" else body
                    ok = checks[index](page)
                problem = None if ok else f"{path}: HTTP {response.status}, {len(body)} bytes: {body[:80]!r}"
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{path}: {type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=CLIENT_TIMEOUT)
                body = b""
            elapsed = time.perf_counter() - started
            if measured_from is not None and sent_at >= measured_from:
                latencies[index].append(elapsed)
                nbytes[index] += len(body)
                if problem:
                    errors[index] += 1
                    if len(samples) < 3:
                        samples.append(problem)
    conn.close()
    out.append((latencies, errors, nbytes, samples))


def _client_process(port, endpoints, phases, threads, queue):
    out = []
    workers = [threading.Thread(target=_client_thread, args=(port, endpoints, phases, out)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    # This process's CPU time in each endpoint's measured slices: what the load generator costs.
    cpu = [0.0] * len(endpoints)
    for index, _start, measured_from, end in phases:
        if measured_from is None:
            continue
        time.sleep(max(0.0, measured_from - time.time()))
        before = time.process_time()
        time.sleep(max(0.0, end - time.time()))
        cpu[index] += time.process_time() - before
    for worker in workers:
        worker.join()
    queue.put((out, cpu))


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def server_cpu_seconds(master_pid: int) -> float:
    """utime + stime of the gunicorn master and its workers, from /proc (Linux only)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        if pid == master_pid or ppid == master_pid:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def run_load(port, endpoints, *, concurrency, processes, warmup, duration, rounds, master_pid, refresh, pause):
    """Closed loop over `concurrency` keep-alive connections: `warmup` seconds per endpoint,
    then `duration` measured seconds per endpoint in `rounds` interleaved slices (each slice
    preceded by a short unmeasured settle while the connections switch endpoint). Each round
    begins with a `pause` in which `refresh()` re-renders the cached pages."""
    settle = 0.5
    start = time.time() + 1.5  # let the processes spawn before the clock starts
    phases, clock = [], start
    for index in range(len(endpoints)):
        phases.append((index, clock, None, clock + warmup))
        clock += warmup
    for _ in range(rounds):
        phases.append((None, clock, None, clock + pause))
        clock += pause
        for index in range(len(endpoints)):
            phases.append((index, clock, clock + settle, clock + settle + duration / rounds))
            clock += settle + duration / rounds
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    processes = max(1, min(processes, concurrency))
    shares = [concurrency // processes + (1 if i < concurrency % processes else 0) for i in range(processes)]
    loadavg = os.getloadavg()[0]
    procs = [
        ctx.Process(target=_client_process, args=(port, endpoints, phases, share, queue), daemon=True)
        for share in shares
    ]
    for proc in procs:
        proc.start()
    server_cpu = [0.0] * len(endpoints)
    for index, phase_start, measured_from, end in phases:
        if index is None:
            time.sleep(max(0.0, phase_start - time.time()))
            refresh()
            if pause and time.time() > end:
                log(f"warning: re-rendering the pages took {time.time() - phase_start:.1f} s, longer than the pause")
        if measured_from is None:
            continue
        time.sleep(max(0.0, measured_from - time.time()))
        before = server_cpu_seconds(master_pid)
        time.sleep(max(0.0, end - time.time()))
        server_cpu[index] += server_cpu_seconds(master_pid) - before
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    rows = []
    for index in range(len(endpoints)):
        threads = [thread for out, _ in results for thread in out]
        latencies = sorted(lat for thread in threads for lat in thread[0][index])
        count = len(latencies)
        errors = sum(thread[1][index] for thread in threads)
        nbytes = sum(thread[2][index] for thread in threads)
        client_cpu = sum(cpu[index] for _, cpu in results)
        rows.append(
            {
                "requests": count,
                "rps": count / duration,
                "p50_ms": percentile(latencies, 0.50) * 1000,
                "p95_ms": percentile(latencies, 0.95) * 1000,
                "max_ms": (latencies[-1] * 1000) if latencies else float("nan"),
                "errors": errors,
                "error_samples": [
                    s for thread in threads for s in thread[3] if s.startswith(endpoints[index][0] + ":")
                ][:3],
                "kib_per_response": (nbytes / count / 1024) if count else 0.0,
                "server_cpu_ms_per_request": (server_cpu[index] / count * 1000) if count else float("nan"),
                "client_cpu_ms_per_request": (client_cpu / count * 1000) if count else float("nan"),
                "loadavg_before": loadavg,
            }
        )
    return rows


def fetch(port, path, headers=None, timeout=120):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- gunicorn -----------------------------------------------------------------------------------


ACCESS_LOG_FORMAT = "%(r)s|%(s)s|%(D)s"


def server_times(access_log: Path) -> dict[str, list[float]]:
    """Seconds gunicorn spent on each request, by request target (path and query), sorted."""
    times: dict[str, list[float]] = {}
    with contextlib.suppress(OSError):
        for line in access_log.read_text(errors="replace").splitlines():
            request, _status, micros = line.rsplit("|", 2)
            parts = request.split(" ")
            if len(parts) == 3 and micros.isdigit():
                times.setdefault(parts[1], []).append(int(micros) / 1e6)
    return {target: sorted(values) for target, values in times.items()}


@contextlib.contextmanager
def gunicorn(env: dict, port: int, args, workdir: Path, *, access_log: Path | None = None):
    """gunicorn serving the app on `port` until the block ends. `access_log`: one line per
    request, "request line, status, microseconds" (ACCESS_LOG_FORMAT), for server-side times."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "tracker.wsgi",
        "--workers", str(args.workers), "--threads", str(args.threads),
        "--bind", f"{HOST}:{port}", "--timeout", "120", "--graceful-timeout", "5",
        "--error-logfile", str(workdir / "gunicorn.log"),
    ]  # fmt: skip
    if access_log is not None:
        command += ["--access-logfile", str(access_log), "--access-logformat", ACCESS_LOG_FORMAT]
    proc = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, **env}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{read_tail(workdir / 'gunicorn.log')}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, body, _ = fetch(port, "/healthz", timeout=5)
                if status == 200 and body == b"ok":
                    break
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"gunicorn did not answer /healthz within 60 s:\n{read_tail(workdir / 'gunicorn.log')}"
                )
            time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # our own process only
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # the session this script started
                proc.wait(timeout=5)


def read_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
