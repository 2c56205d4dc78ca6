"""Fault-injection figures (not a test): the scenarios of tests/faults at full size.

    .venv/bin/python bench/faults.py [--database sqlite|postgres] [--kills 20] [--outage 60]
                                     [--markdown PATH] [--json]

Runs the same scenario code as the `faults` pytest suite (tests/faults/), with the full counts:

1. Worker killed mid-ingest (`kill_rounds.py`): a feed of `--entries` stories on loopback, a
   real `celery -A tracker worker` (prefork) polling it, SIGKILL to the worker's whole process
   group at a random point of the round, a new worker started at once; `--kills` times. Then
   duplicates (by GUID and by URL), lost and stale stories are counted, and the broker and the
   lock must be empty. The task comes back by the broker's redelivery only (acks_late, a
   `--visibility-timeout` of a few seconds instead of production's hour).
   Also: only the pool process killed (requeued at once by reject_on_worker_lost).
2. Redis down (`redis_outage.py`): the scenario's own redis-server killed (SIGKILL: refused
   connections), then in a second run frozen (SIGSTOP: nothing answers), for `--outage` seconds
   each under gunicorn, a worker and beat; status codes of the dashboard, a mission page and
   the admin counted; the admin's "poll now" action; time until ingestion resumed by itself.
3. Database restart (`database_restart.py`, PostgreSQL only): a throwaway cluster of its own
   restarted with `pg_ctl restart -m fast` under load; failures, their kind, recovery time.
4. Two workers, one source (`two_workers.py`): the lock holds; a killed holder's lock expires.

Every server it stops is one it started (its own redis-server, its own PostgreSQL cluster);
the app's database is a SQLite file in a temporary directory or `bench_faults_*` databases on
127.0.0.1:5432 (dropped at the end unless --keep). Loopback only; every child process is
killed at the end. Prints a table (with --json: one JSON object on stdout, the progress on
stderr); --markdown PATH writes (or replaces) this database's section in PATH. Exits 1 if any
scenario's check failed.
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import re
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import PG_URL, REPO, machine

PG_PREFIX = "bench_faults"
SCENARIOS = ["kill", "pool", "redis", "redis-frozen", "database", "two"]


def say(message: str, *, stream=sys.stdout) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=stream, flush=True)


def set_up_django(workdir: Path) -> None:
    """This process only reads and writes the scenarios' databases, through aliases of its own
    (tests/faults/databases.py); its default database is an unused SQLite file."""
    for name in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tracker.settings"
    os.environ["TRACKER_DATA_DIR"] = str(workdir / "orchestrator")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


# --- checks ------------------------------------------------------------------------------------


def check_kill(r: dict) -> list[str]:
    problems = []
    if r["duplicate_guids"] or r["duplicate_urls"]:
        problems.append(f"{r['duplicate_guids']} duplicate GUIDs, {r['duplicate_urls']} duplicate URLs")
    if r["lost"] or r["stale"]:
        problems.append(f"{r['lost']} lost, {r['stale']} stale stories")
    if r["failed_tasks"]:
        problems.append(f"{r['failed_tasks']} failed tasks")
    if any(r["leftover"].values()):
        problems.append(f"left in the broker or lock: {r['leftover']}")
    return problems


def check_pool(r: dict) -> list[str]:
    problems = []
    if not any(o.startswith("retry:") for o in r["outcomes"]) or "300 new" not in r["outcomes"][-1]:
        problems.append(f"the requeued poll did not wait out the lock and store the feed: {r['outcomes']}")
    if r["duplicate_guids"] or r["lost"]:
        problems.append(f"{r['duplicate_guids']} duplicates, {r['lost']} lost")
    return problems


def check_redis(r: dict) -> list[str]:
    problems = []
    bad = {page: s for page, s in r["statuses"].items() if set(s) != {200}}
    if bad or r["errors"]:
        problems.append(f"non-200 answers during the outage: {bad} {r['errors']}")
    if not r["poll_now_message"].startswith("Redis unreachable, poll not queued"):
        problems.append(f"poll now said {r['poll_now_message']!r}")
    if not r["resumed_articles"] or r["app_processes_restarted"]:
        problems.append("ingestion did not resume by itself")
    return problems


def check_database(r: dict) -> list[str]:
    problems = []
    if set(r["failures"]) - {"503 with Retry-After"}:
        problems.append(f"unclean failures: {r['failures']}")
    if r["leaks"]:
        problems.append(f"{r['leaks']} answers leaked a traceback or exception details")
    if r["web_restarted"]:
        problems.append("gunicorn had to be restarted")
    return problems


def check_two(r: dict) -> list[str]:
    problems = []
    if r["concurrent_fetches"] != 1 or sum("another worker" in v for v in r["concurrent_results"].values()) != 1:
        problems.append(f"the lock did not hold: {r['concurrent_results']}, {r['concurrent_fetches']} fetches")
    if "300 new" not in r["poll_after_expiry"]:
        problems.append(f"no poll after the dead holder's lock expired: {r['poll_after_expiry']!r}")
    if r["duplicate_guids"] or r["duplicate_urls"] or r["lost"]:
        problems.append(f"{r['duplicate_guids']}/{r['duplicate_urls']} duplicates, {r['lost']} lost")
    return problems


CHECKS = {
    "kill": check_kill,
    "pool": check_pool,
    "redis": check_redis,
    "redis-frozen": check_redis,
    "database": check_database,
    "two": check_two,
}


# --- running -------------------------------------------------------------------------------------


def run_scenarios(args, context, log) -> dict:
    from tests.faults import database_restart, kill_rounds, redis_outage, two_workers

    runs = {
        "kill": lambda: kill_rounds.run(
            context,
            kills=args.kills,
            entries=args.entries,
            visibility_timeout=args.visibility_timeout,
            lock_seconds=args.lock_seconds,
            seed=args.seed,
            log=log,
        ),
        "pool": lambda: kill_rounds.run_pool_process_kill(context, entries=args.entries, lock_seconds=8, log=log),
        "redis": lambda: redis_outage.run(context, outage=args.outage, how="killed", log=log),
        "redis-frozen": lambda: redis_outage.run(context, outage=args.outage, how="frozen", log=log),
        "database": lambda: database_restart.run(context, clients=args.clients, log=log),
        "two": lambda: two_workers.run(
            context, entries=args.entries, lock_seconds=args.lock_seconds, visibility_timeout=6, log=log
        ),
    }
    results = {}
    for name in args.scenarios:
        if name == "database" and args.database != "postgres":
            results[name] = {"skipped": "SQLite has no server to restart: run with --database postgres"}
            log(f"database restart: skipped ({results[name]['skipped']})")
            continue
        log(f"--- scenario: {name}")
        started = time.monotonic()
        try:
            result = runs[name]().as_dict()
            result["problems"] = CHECKS[name](result)
        except Exception as error:  # one scenario failing must not hide the others' figures
            result = {"problems": [f"{type(error).__name__}: {error}"]}
            log(f"{name} failed: {type(error).__name__}: {error}")
            for note in getattr(error, "__notes__", []):
                log(note[-4000:])
        result["seconds"] = round(time.monotonic() - started, 1)
        results[name] = result
    return results


# --- reporting -------------------------------------------------------------------------------------


def _quantiles(values: list[float]) -> str:
    if not values:
        return "–"
    values = sorted(values)
    median = values[len(values) // 2]
    return f"min {values[0]:.1f} / median {median:.1f} / max {values[-1]:.1f}"


def figures(results: dict, args) -> list[tuple[str, str, str]]:
    """(scenario, figure, value) rows for the table and the markdown."""
    rows = []
    if "problems" in (k := results.get("kill", {})) and "rounds" in k:
        rounds = k["rounds"]
        mid = sum(not r["finished_at_kill"] for r in rounds)
        partial = sum(r["stored_at_kill"] > 0 for r in rounds if not r["finished_at_kill"])
        rows += [
            ("worker killed", "kills (SIGKILL to the worker's process group)", f"{len(rounds)}"),
            ("worker killed", "killed mid-poll / after the poll had stored", f"{mid} / {len(rounds) - mid}"),
            ("worker killed", "killed with part of the round committed", f"{partial}"),
            ("worker killed", "kill delay after the fetch (s)", _quantiles([r["delay"] for r in rounds])),
            ("worker killed", "an uninterrupted round (s, fetch to stored)", f"{k['calibration']:.2f}"),
            ("worker killed", "visibility timeout / lock lifetime (s)", f"{k['visibility_timeout']} / {k['lock_seconds']}"),
            ("worker killed", "lock TTL just after the kill (ms)", _quantiles([r["lock_ttl_ms"] for r in rounds])),
            ("worker killed", "kill to the round stored by a redelivered poll (s)", _quantiles([r["recovery"] for r in rounds])),
            ("worker killed", "stories expected / stored", f"{k['expected']} / {k['stored']}"),
            ("worker killed", "duplicates by GUID / by URL", f"{k['duplicate_guids']} / {k['duplicate_urls']}"),
            ("worker killed", "lost / stale", f"{k['lost']} / {k['stale']}"),
            ("worker killed", "polls logged by the workers", ", ".join(f"{v} {n}" for n, v in k["polls"].items())),
            ("worker killed", "failed tasks; left in broker and lock", f"{k['failed_tasks']}; {k['leftover']}"),
        ]  # fmt: skip
    if "outcomes" in (p := results.get("pool", {})):
        rows += [
            ("pool process killed", "lock TTL just after the kill (ms)", f"{p['lock_ttl_after_kill_ms']}"),
            ("pool process killed", "the requeued task", " → ".join(o.split(":")[0].split(" in ")[0] for o in p["outcomes"])),
            ("pool process killed", "kill to feed stored (s)", f"{p['recovery']:.1f}"),
            ("pool process killed", "stored / duplicates / lost", f"{p['stored']} / {p['duplicate_guids']} / {p['lost']}"),
        ]  # fmt: skip
    for key in ("redis", "redis-frozen"):
        if "statuses" in (r := results.get(key, {})):
            rows += redis_rows(f"Redis {r['how']}", r)
    if "failures" in (d := results.get("database", {})):
        rows += [
            ("database restart", "`pg_ctl restart -m fast` took (s)", f"{d['restart_seconds']:.2f}"),
            ("database restart", "requests in all / during the restart", f"{d['requests_total']} / {d['requests_during']}"),
            ("database restart", "failed, and how", f"{d['failed']}: {d['failures'] or 'none'}"),
            ("database restart", "answers leaking a traceback", f"{d['leaks']}"),
            ("database restart", "restart's start to recovery (s)", f"{d['recovery_seconds']:.2f}"),
            ("database restart", "gunicorn restarted", "yes" if d["web_restarted"] else "no"),
        ]  # fmt: skip
    elif "skipped" in d:
        rows.append(("database restart", "skipped", d["skipped"]))
    if "concurrent_results" in (t := results.get("two", {})):
        rows += [
            ("two workers", "two polls at once", " | ".join(f"{w}: {v.split(': ', 1)[1]}" for w, v in t["concurrent_results"].items())),
            ("two workers", "feed fetched", f"{t['concurrent_fetches']}×"),
            ("two workers", "holder killed: lock TTL then (ms)", f"{t['lock_ttl_after_kill_ms']}"),
            ("two workers", "a poll meanwhile", t["poll_during_dead_lock"].split(": ", 1)[1]),
            ("two workers", "lock gone after the kill (s)", f"{t['lock_expired_after']:.2f}"),
            ("two workers", "the next poll", t["poll_after_expiry"].split(": ", 1)[1]),
            ("two workers", "the killed poll, redelivered", t["redelivered_killed_poll"].split(": ", 1)[1]),
            ("two workers", "stored / duplicates / lost", f"{t['stored']} / {t['duplicate_guids'] + t['duplicate_urls']} / {t['lost']}"),
        ]  # fmt: skip
    for name in SCENARIOS:
        if name in results and "skipped" not in results[name]:
            verdict = "pass" if not results[name]["problems"] else "FAIL: " + "; ".join(results[name]["problems"])
            rows.append((name, f"verdict ({results[name]['seconds']:.0f} s)", verdict))
    return rows


def redis_rows(label: str, r: dict) -> list[tuple[str, str, str]]:
    rows = [
        (label, "downtime (s)", f"{r['outage_seconds']:.1f}"),
        (label, "requests during the outage", f"{r['requests']}"),
    ]
    rows += [(label, f"  {page}", ", ".join(f"{n}× {s}" for s, n in st.items())) for page, st in r["statuses"].items()]
    rows += [
        (label, "no answer at all", f"{sum(r['errors'].values())}"),
        (label, "slowest answer (s)", ", ".join(f"{page} {s:.2f}" for page, s in r["slowest_seconds"].items())),
        (label, "admin “poll now”", f"{r['poll_now_status']} in {r['poll_now_seconds']:.2f} s: {r['poll_now_message']}"),
        (label, "Redis back to the due source's stories stored (s)", f"{r['resume_seconds']:.1f}"),
        (label, "Redis back to the pages using the cache again (s)", f"{r['cache_back_seconds']:.1f}"),
        (label, "app processes restarted", f"{r['app_processes_restarted']}"),
    ]  # fmt: skip
    return rows


def print_table(rows) -> None:
    width = max(len(f"{s}: {f}") for s, f, _ in rows)
    for scenario, figure, value in rows:
        print(f"{f'{scenario}: {figure}':<{width}}  {value}")


def markdown(ctx: dict, rows) -> str:
    mach = ctx["machine"]
    lines = [
        f"### Faults: {ctx['database']}",
        "",
        f"- Date: {ctx['date']}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), Linux {mach['kernel']}, Python {mach['python']}, "
        f"Django {mach['django']}",
        f"- Command: `{ctx['command']}`",
        f"- Took {ctx['seconds']:.0f} s",
        "",
        "| scenario | figure | value |",
        "|---|---|---|",
    ]
    lines += [f"| {s} | {f.strip()} | {str(v).replace('|', '/')} |" for s, f, v in rows]
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, section: str, database: str) -> None:
    """Replace this database's `### Faults: <database>` section of `path`, or add it."""
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"^### Faults: {re.escape(database)}\n.*?(?=^### |^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n")


# --- main ------------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=SCENARIOS)
    parser.add_argument("--kills", type=int, default=20, help="worker kills (default 20)")
    parser.add_argument("--entries", type=int, default=300, help="stories per feed (default 300)")
    parser.add_argument(
        "--visibility-timeout", type=int, default=5, help="CELERY_VISIBILITY_TIMEOUT for the kills (default 5)"
    )
    parser.add_argument("--lock-seconds", type=int, default=3, help="NEWS_POLL_LOCK_SECONDS (default 3)")
    parser.add_argument("--outage", type=float, default=60, help="seconds Redis is down (default 60)")
    parser.add_argument("--clients", type=int, default=4, help="client threads during the database restart")
    parser.add_argument("--seed", type=int, default=None, help="for the kill delays (default: random, printed)")
    parser.add_argument("--markdown", type=Path, help="write (or replace) this database's section in this file")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout, progress on stderr")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and databases")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.seed is None:
        args.seed = random.randrange(2**32)
    command = ".venv/bin/python bench/faults.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    stream = sys.stderr if args.json else sys.stdout

    def log(message: str) -> None:
        say(message, stream=stream)

    workdir = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    began = time.monotonic()
    set_up_django(workdir)
    from tests.faults.context import FaultContext
    from tests.faults.databases import DatabaseFactory

    factory = DatabaseFactory(engine=args.database, workdir=workdir, server_url=PG_URL, prefix=PG_PREFIX)
    try:
        log(f"workdir {workdir}; database {args.database}; seed {args.seed}")
        results = run_scenarios(args, FaultContext(workdir, factory), log)
    finally:
        if not args.keep:
            factory.drop_all()
            shutil.rmtree(workdir, ignore_errors=True)
    ctx = {
        "database": args.database,
        "command": command if "--seed" in command else f"{command} --seed {args.seed}".replace("py  --", "py --"),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "seconds": time.monotonic() - began,
        "results": results,
    }
    rows = figures(results, args)
    if args.json:
        print(json.dumps(ctx, indent=2, default=str))
    else:
        print_table(rows)
    if args.markdown:
        write_markdown(args.markdown, markdown(ctx, rows), args.database)
        log(f"wrote the {args.database} section of {args.markdown}")
    log(f"done in {ctx['seconds']:.0f} s")
    failed = any(result.get("problems") for result in results.values())
    return 1 if failed else 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
