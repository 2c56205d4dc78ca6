"""The archive benchmark (not a test): search, lists, the API, the Atom feed and the admin at
100,000 articles, next to the same at 1,000.

    .venv/bin/python bench/archive.py [--articles 100000] [--database sqlite|postgresql|both]
    .venv/bin/python bench/archive.py --quick          # 1,000 articles on SQLite, in under a minute

For each database and size (`--articles`, then `--baseline`, 1,000 by default), in a process of
its own:
1. A database holding the reference record and N articles (bench/archive_build.py), built once
   per size and kept: `bench_archive_<N>_<key>` on 127.0.0.1:5432, or a SQLite file in
   $TMPDIR/bench-archive. The key is a hash of the migrations, the news models and the
   builder, so a schema change (a full-text column, a new index) builds afresh.
2. Queries per request, counted in-process with the test client and CaptureQueriesContext, one
   request each: uncached (PAGE_CACHE_SECONDS=0) and, where the app caches the response, the
   request that follows a first one. The main query of each uncached request (the slowest one
   that reads news_article) is explained: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN
   QUERY PLAN on SQLite; a sequential scan of the article table or a sort spilling to disk is
   flagged.
3. gunicorn as in production (bench/common.py), first with the page cache off (every request
   renders), then, for the endpoints the app caches, with it on; the closed-loop load
   generator of bench/dashboard.py. p50/p95 are server-side: gunicorn's own request time
   (%(D)s in its access log) over every request to the URL, warm-up included.
4. Prints a table per database, and writes "The archive at 100,000 articles" in
   docs/benchmarks.md: one subsection per `--label` (before, after) and database.

Loopback only; gunicorn is always stopped. Nothing here is imported by the product.
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from common import REPO, log

SIZES_DEFAULT = 100_000
BASELINE = 1_000
DEFAULT_REDIS_DB = 15
DATABASES = {"sqlite": "sqlite", "postgresql": "postgres"}
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}

# (label, path, kind). Words the generated articles use (bench/archive_build.py, bench/ingest.py).
ENDPOINTS = [
    ("search: a person's alias", "/search/?q=" + quote("Кикина"), "page"),
    ("search: a person's name", "/search/?q=" + quote("Frank Rubio"), "page"),
    ("search: a mission", "/search/?q=MS-22", "page"),
    ("search: a Russian word", "/search/?q=" + quote("невесомости"), "page"),
    ("search: a three-word phrase", "/search/?q=" + quote("new solar arrays"), "page"),
    ("/news/ page 1", "/news/", "page"),
    ("/news/ page 500", "/news/?page=500", "page"),
    ("API articles by mission", "/api/articles?mission=soyuz-ms-22", "json"),
    ("API articles by date range", "/api/articles?published_after=2023-01-01&published_before=2023-03-31", "json"),
    ("Atom feed", "/feeds/news.atom", "atom"),
    ("admin articles, search", "/admin/news/article/?q=Rubio", "admin"),
    ("admin mentions, search", "/admin/news/mention/?q=Rubio", "admin"),
    ("admin proposals, search", "/admin/news/proposedupdate/?q=MS-22", "admin"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=SIZES_DEFAULT, help="the archive's size (default 100000)")
    parser.add_argument("--baseline", type=int, default=BASELINE, help="the size to compare with (0: none)")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default=None)
    parser.add_argument("--quick", action="store_true", help="1,000 articles, SQLite, short load runs")
    parser.add_argument("--label", default="before", help="the docs subsection's name (before, after)")
    parser.add_argument("--duration", type=float, default=6, help="measured seconds per endpoint (default 6)")
    parser.add_argument("--warmup", type=float, default=1.5, help="unmeasured seconds before each (default 1.5)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved slices per endpoint (default 2)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--redis-db", type=int, default=DEFAULT_REDIS_DB, help="flushed first")
    parser.add_argument("--rebuild", action="store_true", help="build the databases even if cached")
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # database:size, run in a child process
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.baseline = BASELINE, 0
        args.duration, args.warmup, args.rounds = 1.0, 0.3, 1
        args.database = args.database or "sqlite"
    args.database = args.database or "both"
    return args


def run_one(argv: list[str], database: str, size: int) -> dict:
    """One database at one size, in a child process: Django is set up once per process."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = Path(out.name)
    child = [sys.executable, str(Path(__file__).resolve()), *argv, "--one", f"{database}:{size}", "--out", str(path)]
    try:
        subprocess.run(child, cwd=REPO, check=True)
        return json.loads(path.read_text())
    finally:
        path.unlink(missing_ok=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.one:
        from archive_measure import measure_one

        database, size = args.one.split(":")
        result = measure_one(args, database, int(size))
        Path(args.out).write_text(json.dumps(result))
        return 0
    from archive_report import print_table, write_docs

    argv = sys.argv[1:] if argv is None else argv
    command = ".venv/bin/python bench/archive.py " + shlex.join(argv)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    sizes = [args.articles] + ([args.baseline] if args.baseline and args.baseline != args.articles else [])
    began = time.monotonic()
    failed = False
    for database in databases:
        results = {size: run_one(argv, database, size) for size in sizes}
        print_table(database, results)
        failed |= any(row["errors"] for result in results.values() for row in result["rows"])
        if not args.no_docs:
            write_docs(args, command, database, results)
    log(f"done in {time.monotonic() - began:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
