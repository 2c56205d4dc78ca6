"""Every reliability figure of docs/reliability.md, from one run:

    .venv/bin/python bench/reliability.py            # about 10 minutes on a 2-core machine

Everything runs on PostgreSQL (127.0.0.1:5432) and Redis servers of its own or 127.0.0.1:6379.

1. faults    bench/faults.py   worker SIGKILLed mid-ingest x20, Redis down 60 s, PostgreSQL
                               restart, two workers on one source and a crashed lock holder
2. hostile   bench/hostile.py  the hostile feed/page corpus through a real worker
3. access    the access, CSRF, deploy-check and login-throttling suites, and the output of
             `manage.py check --deploy` with production settings
4. load      bench/load.py     50 locust clients for 60 s against gunicorn on PostgreSQL
                               while ingestion runs

Each part writes its own markdown section; this script puts them together under a header
naming the machine, the commit and this command, and keeps the hand-written findings that
follow the FINDINGS marker in the existing file. Needs bench/requirements.txt (locust).
"""

import argparse
import datetime as dt
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, log, machine  # noqa: E402

OUTPUT = REPO / "docs" / "reliability.md"
FINDINGS = "<!-- findings: kept by bench/reliability.py; edit freely below -->"
PYTHON = sys.executable
ACCESS_TESTS = ["tests/test_access.py", "tests/test_deploy.py", "tests/test_login_throttle.py"]


def run_part(name: str, command: list[str], markdown: Path) -> str:
    log(f"{name}: {' '.join(command)}")
    result = subprocess.run(command, cwd=REPO, check=False)
    section = markdown.read_text() if markdown.exists() else f"## {name}\n"
    # Every part is a second-level section of the report, whatever level its script writes.
    section = re.sub(r"^#{2,} ", "## ", section, count=1)
    if result.returncode != 0:
        # A missed target still has figures worth keeping: say so above them.
        section += f"\n**`{' '.join(command)}` exited {result.returncode}**: a target was missed or the run failed.\n"
    return section


def access_section(workdir: Path) -> str:
    log("access: pytest " + " ".join(ACCESS_TESTS))
    env = {**os.environ, "TRACKER_DATA_DIR": str(workdir / "access")}
    tests = subprocess.run(
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ACCESS_TESTS],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    summary = [line for line in tests.stdout.splitlines() if " passed" in line or " failed" in line][-1:]
    production = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tracker.example",
        "DATABASE_URL": f"sqlite:///{workdir / 'deploy.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    deploy = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=production,
        capture_output=True,
        text=True,
        check=False,
    )
    deploy_output = "\n".join(
        line for line in (deploy.stdout + deploy.stderr).splitlines() if "axes.apps" not in line
    ).strip()
    return (
        "## Access\n\n"
        f"Command: `.venv/bin/python -m pytest {' '.join(ACCESS_TESTS)}`\n\n"
        f"Result: {summary[0] if summary else 'no summary line (exit ' + str(tests.returncode) + ')'}\n\n"
        "These suites walk every admin URL as anonymous, staff-without-editor and editor; send every POST "
        "endpoint with an enforcing CSRF client with and without a token; run `check --deploy` with "
        "production settings; scan every template for inline scripts and style attributes; and lock an "
        "account out after repeated wrong passwords.\n\n"
        "`DEBUG=false SECRET_KEY=… ALLOWED_HOSTS=… manage.py check --deploy --fail-level WARNING` "
        f"(exit {deploy.returncode}):\n\n```\n{deploy_output}\n```\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip", action="append", default=[], choices=["faults", "hostile", "access", "load"])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    started = dt.datetime.now(dt.UTC)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout
    sections = []
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp:
        workdir = Path(tmp)
        parts = {
            # PostgreSQL, as in production (and the database restart needs a server).
            "faults": [PYTHON, "bench/faults.py", "--database", "postgres", "--markdown", str(workdir / "faults.md")],
            "hostile": [
                PYTHON,
                "bench/hostile.py",
                "--database",
                "postgres",
                "--markdown",
                str(workdir / "hostile.md"),
            ],
            "load": [PYTHON, "bench/load.py", "--markdown", str(workdir / "load.md")],
        }
        for name in ("faults", "hostile", "access", "load"):
            if name in args.skip:
                continue
            if name == "access":
                sections.append(access_section(workdir))
            else:
                sections.append(run_part(name, parts[name], workdir / f"{name}.md"))

    facts = machine()
    header = [
        "# Reliability: faults, hostile input, access and load",
        "",
        f"Every figure below comes from one run of `.venv/bin/python bench/reliability.py` "
        f"(commit `{commit.strip()}`, started {started:%Y-%m-%d %H:%M} UTC, "
        f"{(dt.datetime.now(dt.UTC) - started).total_seconds() / 60:.0f} minutes).",
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in facts.items()),
        "",
    ]
    findings = ""
    if args.output.exists() and FINDINGS in (previous := args.output.read_text()):
        findings = previous.split(FINDINGS, 1)[1]
    args.output.write_text("\n".join(header) + "\n" + "\n".join(sections) + "\n" + FINDINGS + findings)
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
