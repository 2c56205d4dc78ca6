"""One database at one size for bench/archive.py: the database (built once per size and
schema), queries per request and plans in-process, then load runs under gunicorn."""

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from archive import BROWSER, DATABASES, ENDPOINTS
from common import (
    HOST,
    PG_URL,
    REPO,
    database_version,
    fetch,
    free_port,
    gunicorn,
    log,
    machine,
    percentile,
    run_load,
    server_cpu_seconds,
    server_times,
    use_production_settings,
)
from ingest import forget_cache_keys

CACHE_DIR = Path(tempfile.gettempdir()) / "bench-archive"
SUPERUSER = "bench-archive"
COMPLETE = "bench archive complete"
LOAD_START_DELAY = 1.5  # common.run_load's


def schema_key() -> str:
    """What a cached database was built from: the migrations, the news models, the builder's version."""
    from archive_build import BUILDER_VERSION

    digest = hashlib.sha256(f"builder {BUILDER_VERSION}".encode())
    for path in sorted(REPO.glob("tracker/*/migrations/0*.py")):
        digest.update(path.name.encode())
    digest.update((REPO / "tracker/news/models.py").read_bytes())
    return digest.hexdigest()[:8]


def _pg(sql: str, *params):
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall() if sql.lstrip().upper().startswith("SELECT") else conn.execute(sql)


def _pg_comment(name: str) -> str:
    rows = _pg("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", name)
    return (rows[0][0] or "") if rows else ""


def cached_database(database: str, size: int, *, rebuild: bool) -> tuple[str, dict | None]:
    """(DATABASE_URL, the build's figures if it is complete): the cached database for this
    size and schema, emptied first when it is not complete (or `rebuild`). Other schemas'
    copies are kept: a run of the other label may be using one."""
    key = schema_key()
    if database == "sqlite":
        CACHE_DIR.mkdir(exist_ok=True)
        path = CACHE_DIR / f"archive-{size}-{key}.sqlite3"
        done = path.with_suffix(".complete")
        if rebuild or not done.exists():
            done.unlink(missing_ok=True)
            for old in CACHE_DIR.glob(f"archive-{size}-{key}.*"):
                old.unlink()
        return f"sqlite:///{path}", json.loads(done.read_text()) if done.exists() else None
    name = f"bench_archive_{size}_{key}"
    if _pg("SELECT 1 FROM pg_database WHERE datname = %s", name) and (
        rebuild or not _pg_comment(name).startswith(COMPLETE)
    ):
        _pg(f'DROP DATABASE "{name}" WITH (FORCE)')
    if not _pg("SELECT 1 FROM pg_database WHERE datname = %s", name):
        _pg(f'CREATE DATABASE "{name}"')
        return f"{PG_URL}/{name}", None
    return f"{PG_URL}/{name}", json.loads(_pg_comment(name).removeprefix(COMPLETE))


def mark_complete(database: str, database_url: str, built: dict) -> None:
    """Marks the database as complete, with the build's figures for the report."""
    if database == "sqlite":
        Path(database_url.removeprefix("sqlite:///")).with_suffix(".complete").write_text(json.dumps(built))
    else:
        comment = (COMPLETE + json.dumps(built)).replace("'", "")
        _pg(f"COMMENT ON DATABASE \"{database_url.rsplit('/', 1)[1]}\" IS '{comment}'")


def build(database: str, size: int) -> dict:
    """The reference record and `size` articles; then statistics, as autovacuum would gather
    within a minute of a bulk load (PostgreSQL)."""
    from archive_build import build_archive
    from django.db import connection

    from tracker.record.reference_data import load_reference_data

    load_reference_data()
    counts = build_archive(size, progress=log)
    started = time.perf_counter()
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    counts["analyze_seconds"] = time.perf_counter() - started
    return counts


def superuser_cookie() -> str:
    """A Cookie header for a logged-in superuser (a session as the login form would make)."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    user, _ = User.objects.get_or_create(username=SUPERUSER, defaults={"is_staff": True, "is_superuser": True})
    client = Client(SERVER_NAME=HOST)
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def available(endpoints) -> list:
    """The endpoints this code has (the admin may not list mentions yet). The admin answers
    any path under it, so its pages are looked up by name."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    kept = []
    for label, path, kind in endpoints:
        try:
            if kind == "admin":
                app, model = path.split("/")[2:4]
                reverse(f"admin:{app}_{model}_changelist")
            else:
                resolve(path.split("?")[0])
        except (NoReverseMatch, Resolver404):
            log(f"skipped {label}: {path} is not a page of this code")
            continue
        kept.append((label, path, kind))
    return kept


def redis_url(args) -> str:
    return f"redis://{HOST}:6379/{args.redis_db}"


def cache_prefix() -> str:
    return f"bench-archive-{os.getpid()}"


def prepare(args, database: str, size: int, workdir: Path) -> tuple[dict, dict | None]:
    """Production-like settings on the cached database for `size`, built if need be.
    Returns the environment and the build's figures (from the cache's marker if built earlier)."""
    database_url, built = cached_database(database, size, rebuild=args.rebuild)
    # A key prefix of this run's own: a fresh cache, and another run on the same Redis
    # database (the other label, another size) neither flushed nor read.
    tail = f"STATIC_ROOT = {str(workdir / 'static')!r}\nCACHES['default']['KEY_PREFIX'] = {cache_prefix()!r}\n"
    env = use_production_settings(workdir, database_url=database_url, redis_url=redis_url(args), settings_tail=tail)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if built is None:
        log(f"{database}: building {size} articles")
        built = {**build(database, size), "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
        log(f"{database}: built in {built['build_seconds']:.1f} s (+ {built['analyze_seconds']:.1f} s VACUUM ANALYZE)")
        mark_complete(database, database_url, built)
    else:
        log(f"{database}: the cached database of {size} articles (built {built['built_at']})")
    return env, built


def data_counts() -> dict:
    from tracker.news.models import Article, Mention, ProposedUpdate

    return {
        "articles": Article.objects.count(),
        "mentions": Mention.objects.count(),
        "unlinked_articles": Article.objects.filter(mentions__isnull=True).count(),
        "russian_articles": Article.objects.filter(language="ru").count(),
        "proposals": ProposedUpdate.objects.count(),
    }


def load_run(args, env, workdir, endpoints, cookie, *, cached: bool) -> dict:
    """label -> figures, for the endpoints under one gunicorn (page cache on or off).

    One endpoint at a time, each until its last request is answered: a search that takes a
    minute at 100,000 articles must not spill into the next endpoint's time. So the figures
    come from gunicorn's side, over every request to the URL, warm-up included: req/s is
    what it answered over the endpoint's whole run, CPU time is its processes' over the same."""
    env = {**env, "PAGE_CACHE_SECONDS": env.get("PAGE_CACHE_SECONDS", "60") if cached else "0"}
    access_log = workdir / f"access-{'cached' if cached else 'uncached'}.log"
    port = free_port()
    runs = {}
    with gunicorn(env, port, args, workdir, access_log=access_log) as proc:
        for label, path, kind in endpoints:
            headers = {**BROWSER, "Cookie": cookie} if kind == "admin" else BROWSER
            status, _, elapsed = fetch(port, path, headers)  # templates, the record's index, the page cache
            log(f"  {path}: HTTP {status}, first request {elapsed * 1000:.0f} ms")
            before = (time.time(), server_cpu_seconds(proc.pid), len(server_times(access_log).get(path, [])))
            (row,) = run_load(
                port, [(path, headers, "page" if kind == "admin" else kind)], concurrency=args.concurrency,
                processes=args.client_processes, warmup=args.warmup, duration=args.duration, rounds=1,
                master_pid=proc.pid, refresh=lambda: None, pause=0.0,
            )  # fmt: skip
            # run_load starts its clock LOAD_START_DELAY after it is called (its processes spawn meanwhile).
            runs[label] = (
                row,
                time.time() - before[0] - LOAD_START_DELAY,
                server_cpu_seconds(proc.pid) - before[1],
                before[2],
            )
    times = server_times(access_log)
    figures = {}
    for label, path, _ in endpoints:
        row, seconds, cpu, earlier = runs[label]
        served = times.get(path, [])
        count = len(served) - earlier
        figures[label] = {
            "rps": count / seconds if seconds > 0 else float("nan"),
            "p50_ms": percentile(served, 0.50) * 1000,
            "p95_ms": percentile(served, 0.95) * 1000,
            "client_p95_ms": row["p95_ms"],
            "requests": count,
            "errors": row["errors"],
            "error_samples": row["error_samples"],
            "server_cpu_ms": cpu / count * 1000 if count else float("nan"),
        }
    return figures


def measure_one(args, database: str, size: int) -> dict:
    from archive_plans import count_queries, explain, print_plan

    workdir = Path(tempfile.mkdtemp(prefix="bench-archive-"))
    try:
        env, built = prepare(args, database, size, workdir)
        from django.contrib.auth.models import User
        from django.db import connections

        endpoints = available(ENDPOINTS)
        cookie = superuser_cookie()
        queries = count_queries(endpoints, User.objects.get(username=SUPERUSER))
        plans = {}
        for label, _, _ in endpoints:
            lines, flags = explain(queries[label]["main_sql"])
            print_plan(f"{label} ({database}, {size} articles)", queries[label]["main_sql"], lines, flags)
            plans[label] = {"flags": flags, "lines": lines}
        result = {
            "size": size, "database": database, "built": built, "counts": data_counts(),
            "db_version": database_version(DATABASES[database]), "machine": machine(), "rows": [],
        }  # fmt: skip
        connections.close_all()
        result["loadavg"] = os.getloadavg()[0]
        log(f"{database}, {size} articles: load runs, page cache off (load average {result['loadavg']:.1f})")
        uncached = load_run(args, env, workdir, endpoints, cookie, cached=False)
        cacheable = [e for e in endpoints if queries[e[0]]["cached"] < queries[e[0]]["uncached"]]
        log(f"{database}, {size} articles: load runs, page cache on ({len(cacheable)} endpoints cache)")
        cached = load_run(args, env, workdir, cacheable, cookie, cached=True) if cacheable else {}
        for label, path, _ in endpoints:
            for state, figures in (("uncached", uncached), ("cached", cached)):
                if label in figures:
                    row = {"label": label, "path": path, "cache": state, "queries": queries[label][state]}
                    result["rows"].append({**row, **figures[label], "flags": plans[label]["flags"]})
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with contextlib.suppress(Exception):
            forget_cache_keys(redis_url(args), cache_prefix())
