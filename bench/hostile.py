"""Hostile-input figures (not a test): the corpus of tests/hostile, once, through a real worker.

    .venv/bin/python bench/hostile.py [--database sqlite|postgres] [--markdown PATH] [--json]

1. Creates a fresh database (SQLite in a temporary directory, or `bench_hostile` on
   127.0.0.1:5432, dropped and recreated), migrates it and loads the reference record.
2. Serves every case of tests/hostile/corpus.py on loopback and makes one news source per
   case (private networks allowed: the server is on loopback).
3. Starts one Celery worker process as production runs it (production settings, DEBUG off;
   the solo pool, so that one case at a time has the process to itself) with the product's
   fetch limits (30 s deadline, 5 MB) unless --total-timeout and friends say otherwise, and
   no retries (each case is polled once, so its figures are its own).
4. Polls the cases one by one through the broker, and for each records: what the source row
   says (its error, or what was stored), whether that is the outcome the corpus expects,
   the wall time from enqueueing to the row's update, and the worker's peak resident memory
   during the poll (Linux: VmHWM, reset before each case through /proc/<pid>/clear_refs).
5. Prints a table; with --markdown PATH writes it (and the exact command) as a section of
   PATH, replacing the section an earlier run wrote; with --json prints JSON instead.

The broker is Redis database 15 (--redis-db) on 127.0.0.1:6379, on a queue and cache key
prefix of this run's own: nothing there is flushed or shared. Loopback only. Exits 1 if a
case's outcome is not the expected one, or the worker did not survive the corpus.
"""

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import (
    HOST,
    database_version,
    drop_database,
    fresh_database_url,
    log,
    machine,
    use_production_settings,
)

PG_DATABASE = "bench_hostile"
DEFAULT_REDIS_DB = 15
SECTION_START = "<!-- bench/hostile.py: start -->"
SECTION_END = "<!-- bench/hostile.py: end -->"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--redis-db", type=int, default=DEFAULT_REDIS_DB, help="not flushed: own queue and prefix")
    parser.add_argument("--total-timeout", type=float, help="the fetch deadline (default: the product's, 30 s)")
    parser.add_argument("--read-timeout", type=float, help="the per-read timeout (default: the product's, 15 s)")
    parser.add_argument("--connect-timeout", type=float, help="DNS and connect timeouts (default: 5 s)")
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument("--markdown", type=Path, metavar="PATH", help="write the results as a section of PATH")
    parser.add_argument("--json", action="store_true", help="print the results as JSON (the log goes to stderr)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    return parser.parse_args(argv)


def prepare(args, workdir: Path) -> dict:
    """Production settings on a fresh database, with this run's own queue and cache prefix."""
    import redis

    redis_url = f"redis://{HOST}:6379/{args.redis_db}"
    try:
        redis.Redis.from_url(redis_url, socket_timeout=5).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis at {redis_url} does not answer ({error}); the worker needs a broker.") from None
    run = f"bench-hostile-{os.urandom(4).hex()}"
    tail = (
        f"CELERY_TASK_DEFAULT_QUEUE = {run!r}\n"
        f"CACHES = {{'default': {{'BACKEND': 'django.core.cache.backends.redis.RedisCache', "
        f"'LOCATION': {redis_url!r}, 'KEY_PREFIX': {run!r}}}}}\n"
    )
    database_url = fresh_database_url(args.database, workdir, pg_name=PG_DATABASE)
    env = use_production_settings(workdir, database_url=database_url, redis_url=redis_url, settings_tail=tail)
    return {"env": env, "queue": run, "redis_url": redis_url}


def forget(redis_url: str, run: str) -> None:
    """Remove this run's queue, bindings and cache keys (and only those)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    keys = [*client.scan_iter(match=f"{run}*", count=1000), *client.scan_iter(match=f"*{run}:*", count=1000)]
    keys += list(client.scan_iter(match=f"_kombu.binding*{run}", count=1000))
    if keys:
        client.delete(*set(keys))


def sources_for(server, cases) -> dict:
    from tests.hostile.corpus import mount
    from tracker.news.models import NewsSource

    sources = {}
    for case in cases:
        url = mount(server, case)
        sources[case.name] = NewsSource.objects.create(
            name=f"Hostile {case.name}",
            url=url,
            kind=case.kind,
            enabled=True,
            allow_private_network=True,
            fetch_linked_pages=case.fetch_linked_pages,
        )
    return sources


def run_case(case, source, worker, server, queue: str) -> dict:
    """Poll `source` once through the worker; what happened, how long, how much memory."""
    from tests.hostile.corpus import Refused, check_outcome, mount
    from tests.http_server import Route
    from tracker.news.models import Article, NewsSource
    from tracker.news.tasks import poll_source

    def poll() -> float:
        NewsSource.objects.filter(pk=source.pk).update(last_checked_at=None)
        started = time.monotonic()
        poll_source.apply_async(args=[source.pk], queue=queue)
        while not NewsSource.objects.filter(pk=source.pk, last_checked_at__isnull=False).exists():
            if not worker.alive:
                raise SystemExit(f"the worker died on {case.name}:\n{worker.output()}")
            time.sleep(0.01)
        return time.monotonic() - started

    if case.earlier is not None:  # the poll before, that this case's entries answer
        mount(server, case, routes={case.entry: Route(body=case.earlier)})
        poll()
        mount(server, case)
    worker.reset_peak_memory()
    elapsed = poll()
    peak = worker.status("VmHWM")
    source.refresh_from_db()
    new = list(Article.objects.filter(source=source).order_by("pk"))
    expected, problem = case.expect, ""
    try:
        check_outcome(case, source, new)
    except AssertionError as error:
        problem = str(error).splitlines()[0] if str(error) else "not as expected"
    if source.last_error:
        outcome = source.last_error.replace(server.url(f"/{case.name}/"), "…/")
    else:
        outcome = f"stored {len(new)} article{'' if len(new) == 1 else 's'} safely" if new else "stored nothing"
    return {
        "case": case.name,
        "expected": "refused" if isinstance(expected, Refused) else "stored",
        "outcome": outcome,
        "as_expected": not problem,
        "problem": problem,
        "elapsed_ms": round(elapsed * 1000),
        "peak_rss_mb": round(peak / 1e6, 1),
    }


def print_table(rows: list[dict]) -> None:
    width = max(len(row["case"]) for row in rows)
    print(f"{'case':<{width}}  {'ms':>7}  {'RSS MB':>7}  ok  outcome")
    for row in rows:
        mark = "yes" if row["as_expected"] else "NO "
        print(f"{row['case']:<{width}}  {row['elapsed_ms']:>7}  {row['peak_rss_mb']:>7}  {mark} {row['outcome'][:110]}")


def markdown(ctx: dict) -> str:
    rows, mach = ctx["rows"], ctx["machine"]
    limits = ctx["limits"]
    lines = [
        SECTION_START,
        "## Hostile input",
        "",
        f"The {len(rows)} cases of `tests/hostile/corpus.py` (malformed XML, entity bombs and external entities, "
        "compression bombs, 50 MB and endless bodies, slow headers, redirect loops and chains, lying charsets "
        "and BOMs, binary content, 1 MB titles, attribute bombs, duplicate GUIDs, implausible dates, and script "
        "payloads in every field), each polled once through a real worker. The same corpus runs in CI as "
        "`pytest -m hostile` (with 2 s deadlines), with the SSRF suite and the payloads rendered in Chromium.",
        "",
        f"- Date: {ctx['date']}; command: `{ctx['command']}`",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), Linux {mach['kernel']}, Python {mach['python']}, "
        f"Django {mach['django']}, {ctx['db_version']}",
        f"- One Celery worker (solo pool, production settings), fetch limits: {limits['connect_timeout']:g} s "
        f"connect, {limits['read_timeout']:g} s per read, {limits['total_timeout']:g} s in all, "
        f"{limits['max_bytes']:,} bytes; no retries. Time is from enqueueing to the source row's update; "
        "memory is the worker's peak resident set during the case (VmHWM, reset before each case).",
        f"- {sum(r['as_expected'] for r in rows)} of {len(rows)} cases as the corpus expects; the worker "
        f"{'survived' if ctx['worker_alive'] else '**died**'}; its peak over the run was "
        f"{max(r['peak_rss_mb'] for r in rows):.0f} MB; slowest case {max(r['elapsed_ms'] for r in rows):,} ms.",
        "",
        "| case | outcome | as expected | ms | peak RSS (MB) |",
        "|---|---|---|---:|---:|",
    ]
    for row in rows:
        outcome = row["outcome"].replace("|", "\\|").replace("\n", " ")
        ok = "yes" if row["as_expected"] else f"**no**: {row['problem']}"
        lines.append(f"| {row['case']} | {outcome} | {ok} | {row['elapsed_ms']:,} | {row['peak_rss_mb']:.0f} |")
    lines.append(SECTION_END)
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, section: str) -> None:
    """Replace the section an earlier run wrote in `path` (between its markers), or append."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(re.escape(SECTION_START) + r".*?" + re.escape(SECTION_END) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    path.write_text(text)


def main(argv=None) -> int:
    args = parse_args(argv)
    command = ".venv/bin/python bench/hostile.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    say = (lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr)) if args.json else log
    workdir = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    began = time.monotonic()
    setup = None
    try:
        say(f"workdir {workdir}; database {args.database}")
        setup = prepare(args, workdir)
        import django

        django.setup()
        from django.core.management import call_command

        from tests.hostile.corpus import CORPUS, store_trusted_article
        from tests.hostile.worker import Worker
        from tests.http_server import FeedServer
        from tracker.news import fetch
        from tracker.record.reference_data import load_reference_data

        call_command("migrate", verbosity=0)
        load_reference_data()
        store_trusted_article()
        cases = [case for case in CORPUS if not args.case or case.name in args.case]
        given = {"connect_timeout": args.connect_timeout, "read_timeout": args.read_timeout}
        given["total_timeout"] = args.total_timeout
        limits = {**dataclasses.asdict(fetch.DEFAULT_LIMITS), **{k: v for k, v in given.items() if v}}
        options = [f"--{name.replace('_', '-')}={value:g}" for name, value in given.items() if value]
        rows = []
        with (
            FeedServer() as server,
            Worker(
                env={**os.environ, **setup["env"], "PYTHONUNBUFFERED": "1"},
                log_path=workdir / "worker.log",
                options=[*options, "--max-retries=0"],
                pool="solo",
                celery_options=("-Q", setup["queue"]),
            ) as worker,
        ):
            sources = sources_for(server, cases)
            say(f"{len(cases)} cases; worker pid {worker.popen.pid}")
            for case in cases:
                row = run_case(case, sources[case.name], worker, server, setup["queue"])
                rows.append(row)
                say(f"{case.name}: {row['elapsed_ms']} ms, {row['peak_rss_mb']} MB, {row['outcome'][:90]}")
            alive = worker.alive
        ctx = {
            "rows": rows,
            "limits": limits,
            "worker_alive": alive,
            "command": command,
            "machine": machine(),
            "db_version": database_version(args.database),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        if args.json:
            print(json.dumps({key: value for key, value in ctx.items() if key != "rows"} | {"cases": rows}, indent=2))
        else:
            print_table(rows)
        if args.markdown:
            write_markdown(args.markdown, markdown(ctx))
            say(f"wrote the section to {args.markdown}")
        say(f"done in {time.monotonic() - began:.0f} s")
        return 0 if alive and all(row["as_expected"] for row in rows) else 1
    finally:
        if setup is not None:
            with contextlib.suppress(Exception):
                forget(setup["redis_url"], setup["queue"])
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            drop_database(args.database, pg_name=PG_DATABASE)


if __name__ == "__main__":
    sys.exit(main())
