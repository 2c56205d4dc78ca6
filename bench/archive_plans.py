"""Queries per request and the plan of each request's main query, in-process (bench/archive.py).

Each endpoint is asked once to warm what a process keeps between requests (the record's
search index, templates), then once more, counted with CaptureQueriesContext: with the page
cache off, and then, after a request that fills the cache, with it on. The main query of
the uncached request is the slowest one that reads news_article."""

import re

from common import HOST

# What a plan must not do at 100,000 articles.
PG_FLAGS = {
    r"Seq Scan on news_article\b": "Seq Scan on news_article",
    r"Sort Method: external": "Sort spilled to disk",
    r"Disk: \d+kB": "Sort spilled to disk",
}
SQLITE_FLAGS = {
    r"SCAN news_article(?! USING)": "full scan of news_article",
    r"USE TEMP B-TREE FOR ORDER BY": "sort without an index",
}


def _client(cookie_user=None):
    from django.test import Client

    client = Client(SERVER_NAME=HOST)
    if cookie_user is not None:
        client.force_login(cookie_user)
    return client


def _counted(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code} in-process")
    return captured.captured_queries


def count_queries(endpoints, admin_user) -> dict:
    """label -> {"uncached": n, "cached": n, "main_sql": sql, "main_ms": ms}."""
    from django.test import override_settings

    public, admin = _client(), _client(admin_user)
    counts = {}
    for label, path, kind in endpoints:
        client = admin if kind == "admin" else public
        with override_settings(PAGE_CACHE_SECONDS=0):
            _counted(client, path)
            uncached = _counted(client, path)
        _counted(client, path)
        cached = _counted(client, path)
        reads = [q for q in uncached if "news_article" in q["sql"]] or uncached
        main = max(reads, key=lambda q: float(q["time"]), default={"sql": "", "time": "0"})
        counts[label] = {
            "uncached": len(uncached),
            "cached": len(cached),
            "main_sql": main["sql"],
            "main_ms": float(main["time"]) * 1000,
        }
    return counts


def explain(sql: str) -> tuple[list[str], list[str]]:
    """(the plan's lines, what is flagged in it) for one captured statement."""
    from django.db import connection

    if not sql or not sql.lstrip().upper().startswith("SELECT"):
        return [], []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines, flags = [row[0] for row in cursor.fetchall()], PG_FLAGS
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            lines, flags = [f"{row[0]}|{row[1]}| {row[3]}" for row in cursor.fetchall()], SQLITE_FLAGS
    found = []
    for pattern, flag in flags.items():
        if any(re.search(pattern, line) for line in lines) and flag not in found:
            found.append(flag)
    return lines, found


def print_plan(label: str, sql: str, lines: list[str], flags: list[str]) -> None:
    print(f"\n--- plan: {label} ---")
    print(sql if len(sql) < 1500 else sql[:1500] + " …")
    print("\n".join(lines))
    print("FLAGGED: " + ", ".join(flags) if flags else "no sequential scan of news_article, no sort on disk")
