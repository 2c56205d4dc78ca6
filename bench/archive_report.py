"""bench/archive.py's table on stdout and its section of docs/benchmarks.md."""

import datetime as dt
import re

from common import REPO

DOCS = REPO / "docs" / "benchmarks.md"
SECTION = "## The archive at 100,000 articles"
INTRO = """Written by `bench/archive.py` (see `bench/README.md`); each run replaces the subsection of
its label and database. Each cell is "at the smaller size / at the archive's size". Each
endpoint is loaded on its own by 8 closed-loop connections until its last request is answered;
p50 and p95 are server-side (gunicorn's request time over every request to the URL, warm-up
included), req/s is what gunicorn answered over that time on the same 2-core machine
(shared with other work: see the load average), server
CPU ms/request is the gunicorn processes' CPU time per request (the steadier figure on a busy
machine), queries/request is counted
in-process for one request. "uncached" rows are served with the page cache off; "cached" rows
exist for the endpoints the app caches, measured with it on. "plan" names what the
PostgreSQL (or SQLite) plan of the main query does wrong at the archive's size, if anything.
The target (issue 14): p95 ≤ 50 ms at 100,000 articles, within 2× of the figure at 1,000,
the same queries per request at both sizes.
"""


def _pair(small, large, spec: str) -> str:
    def one(value):
        return "–" if value is None else format(value, spec)

    return f"{one(small)} / {one(large)}" if small is not None else one(large)


def table_rows(results: dict) -> list[tuple]:
    """(label, cache, queries, p50, p95, req/s, CPU, errors, plan) for each row at the largest size,
    each figure paired with the smaller size's."""
    sizes = sorted(results)
    large, small = results[sizes[-1]], results[sizes[0]] if len(sizes) > 1 else None
    index = {(row["label"], row["cache"]): row for row in small["rows"]} if small else {}
    rows = []
    for row in large["rows"]:
        other = index.get((row["label"], row["cache"]))

        def pick(name, other=other):
            return other[name] if other else None

        rows.append(
            (
                f"{row['label']} `{row['path']}`",
                row["cache"],
                _pair(pick("queries"), row["queries"], "d"),
                _pair(pick("p50_ms"), row["p50_ms"], ".0f"),
                _pair(pick("p95_ms"), row["p95_ms"], ".0f"),
                _pair(pick("rps"), row["rps"], ".1f"),
                _pair(pick("server_cpu_ms"), row["server_cpu_ms"], ".0f"),
                str(row["errors"] + (other["errors"] if other else 0)),
                ", ".join(row["flags"]) if row["cache"] == "uncached" else "",
            )
        )
    return rows


def print_table(database: str, results: dict) -> None:
    sizes = " / ".join(f"{size:,}" for size in sorted(results))
    print(f"\n{database}: articles {sizes}")
    print(
        f"{'endpoint':<30} {'cache':<9} {'queries':>9} {'p50 ms':>13} {'p95 ms':>13} {'req/s':>13} "
        f"{'CPU ms':>11} {'err':>4}  plan"
    )
    for label, cache, queries, p50, p95, rps, cpu, errors, flags in table_rows(results):
        short = label.split(" `")[0]
        print(f"{short:<30} {cache:<9} {queries:>9} {p50:>13} {p95:>13} {rps:>13} {cpu:>11} {errors:>4}  {flags}")


def _data_line(result: dict) -> str:
    counts, built = result["counts"], result["built"]
    return (
        f"{counts['articles']:,} articles ({counts['russian_articles']:,} in Russian, "
        f"{counts['unlinked_articles']:,} naming nothing in the record), {counts['mentions']:,} mentions, "
        f"{counts['proposals']:,} proposals; built in {built['build_seconds']:.0f} s"
        + (f" ({built['build_cpu_seconds']:.0f} s of the builder's CPU)" if "build_cpu_seconds" in built else "")
        + (f" + {built['analyze_seconds']:.0f} s VACUUM ANALYZE" if built.get("analyze_seconds", 0) >= 0.5 else "")
        + f" ({built['built_at']}); load average {result['loadavg']:.1f} before the load runs"
    )


def render_section(args, command: str, database: str, results: dict) -> str:
    large = results[max(results)]
    mach = large["machine"]
    lines = [
        f"### {args.label}: {database}",
        "",
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), Python {mach['python']}, Django {mach['django']}, "
        f"{large['db_version']}",
        f"- Command: `{command}`",
        f"- Server: `gunicorn tracker.wsgi --workers {args.workers} --threads {args.threads}`, DEBUG off, Redis "
        f"cache; {args.concurrency} connections, {args.warmup:g} s warm-up and {args.duration:g} s measured per "
        f"endpoint in {args.rounds} slices",
        *(f"- Data at {size:,}: {_data_line(results[size])}" for size in sorted(results)),
        "",
        "| endpoint | cache | queries/request | p50 ms | p95 ms | req/s | server CPU ms/request | errors | plan |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in table_rows(results)]
    return "\n".join(lines) + "\n"


def write_docs(args, command: str, database: str, results: dict) -> None:
    """Replace (or add) this label's and database's subsection of SECTION, keeping the rest."""
    text = DOCS.read_text()
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{INTRO}\n"
    start = text.index(SECTION)
    end_match = re.compile(r"^## ", re.M).search(text, start + len(SECTION))
    end = end_match.start() if end_match else len(text)
    section = text[start:end]
    subsection = render_section(args, command, database, results)
    pattern = re.compile(rf"^### {re.escape(args.label)}: {re.escape(database)}\n.*?(?=^### |\Z)", re.S | re.M)
    if pattern.search(section):
        section = pattern.sub(lambda _: subsection + "\n", section, count=1)
    else:
        section = section.rstrip("\n") + "\n\n" + subsection + "\n"
    DOCS.write_text((text[:start] + section + text[end:]).rstrip("\n") + "\n")
