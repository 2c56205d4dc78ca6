"""Database restart (PostgreSQL): requests during the restart fail cleanly, and the app
recovers by itself.

A throwaway PostgreSQL cluster of the scenario's own (initdb on a free port, as the
`postgres` OS user; never the machine's shared cluster) holds a prepared database; gunicorn
serves the app from it with the production settings (persistent connections with health
checks). Client threads request the dashboard, a mission page and the admin (as a logged-in
editor) without pause while the cluster is restarted with `pg_ctl restart -m fast`, which
cuts every connection. Every answer is recorded: its status, whether it carries Retry-After,
and whether its body leaks a traceback or an exception's details. Recovery is the time from
the restart's start to the first moment after which every request succeeded again; the
gunicorn process must be the one that started.
"""

import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
import requests

from .databases import REPO, prepare
from .processes import PostgresCluster, Services
from .stack import AppStack, EditorSession, base_env

LEAKS = ("Traceback", "OperationalError", "InterfaceError", "psycopg", 'File "/')


@dataclass
class Answer:
    at: float  # monotonic time the request was sent
    page: str
    status: int  # 0: no HTTP answer at all (connection refused, reset, timeout)
    retry_after: bool
    leak: bool
    seconds: float


@dataclass
class DatabaseRestartResult:
    restart_seconds: float = 0.0  # how long `pg_ctl restart -m fast` took
    requests_total: int = 0
    requests_during: int = 0  # sent between the restart's start and recovery
    failed: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # "503 with Retry-After", "500", "no answer"...
    leaks: int = 0  # answers whose body shows a traceback or an exception's details
    recovery_seconds: float = 0.0  # restart's start to the first moment after which all succeeded
    web_restarted: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def describe_failure(answer: Answer) -> str:
    if answer.status == 0:
        return "no answer"
    return f"{answer.status}{' with Retry-After' if answer.retry_after else ''}"


def _client(base: str, pages: dict[str, str], answers: list[Answer], stop: threading.Event, *, editor: bool):
    session = EditorSession(base)
    if editor:
        session.log_in()
    try:
        while not stop.is_set():
            for name, path in pages.items():
                if name.startswith("admin") != editor:
                    continue
                started = time.monotonic()
                try:
                    response = session.get(path)
                    body = response.text
                    answer = Answer(
                        started,
                        name,
                        response.status_code,
                        "Retry-After" in response.headers,
                        any(leak in body for leak in LEAKS),
                        time.monotonic() - started,
                    )
                except requests.RequestException:
                    answer = Answer(started, name, 0, False, False, time.monotonic() - started)
                answers.append(answer)
            time.sleep(0.02)
    finally:
        session.close()


def run(context, *, clients: int = 4, before: float = 2.0, after: float = 6.0, log=print) -> DatabaseRestartResult:
    directory = context.workdir / "pgrestart"
    directory.mkdir(parents=True, exist_ok=True)
    cluster = PostgresCluster()
    result = DatabaseRestartResult()
    try:
        with Services(log_dir=directory / "logs", cwd=REPO) as services:
            try:
                cluster.init()
                cluster.start()
                with psycopg.connect(f"{cluster.url}/postgres", autocommit=True, connect_timeout=5) as conn:
                    conn.execute('CREATE DATABASE "tracker"')
                database_url = f"{cluster.url}/tracker"
                prepare(database_url, base_env(directory))
                with psycopg.connect(database_url, connect_timeout=5) as conn:
                    slug, pk = conn.execute("SELECT slug, id FROM record_mission ORDER BY id LIMIT 1").fetchone()
                stack = AppStack(services, workdir=directory, database_url=database_url)
                base = stack.start_web(workers=1, threads=4)
                web = services.started[-1]
                pages = {
                    "dashboard": "/",
                    "mission page": f"/missions/{slug}/",
                    "admin changelist": "/admin/record/mission/",
                    "admin change view": f"/admin/record/mission/{pk}/change/",
                }
                answers: list[Answer] = []
                stop = threading.Event()
                threads = [
                    threading.Thread(target=_client, args=(base, pages, answers, stop), kwargs={"editor": n % 2 == 0})
                    for n in range(clients)
                ]
                for thread in threads:
                    thread.start()
                try:
                    time.sleep(before)
                    restart_at = time.monotonic()
                    cluster.restart()
                    result.restart_seconds = time.monotonic() - restart_at
                    log(f"PostgreSQL restarted (pg_ctl restart -m fast) in {result.restart_seconds:.2f} s")
                    time.sleep(after)
                finally:
                    stop.set()
                    for thread in threads:
                        thread.join(timeout=30)
                result.web_restarted = not web.running or services.started[-1] is not web
            except Exception as error:
                error.add_note(f"logs:\n{services.tails()}\n--- postgres.log ---\n{_tail(cluster.log)}")
                raise
    finally:
        cluster.destroy()
    _summarise(result, answers, restart_at)
    log(
        f"{result.requests_total} requests, {result.requests_during} during the restart, {result.failed} failed "
        f"({result.failures}), {result.leaks} leaked details; recovered {result.recovery_seconds:.2f} s after "
        "the restart began"
    )
    return result


def _summarise(result: DatabaseRestartResult, answers: list[Answer], restart_at: float) -> None:
    answers = sorted(answers, key=lambda answer: answer.at)
    failed = [answer for answer in answers if answer.status != 200]
    result.requests_total = len(answers)
    result.failed = len(failed)
    result.failures = dict(Counter(describe_failure(answer) for answer in failed))
    result.leaks = sum(answer.leak for answer in answers)
    # Recovered when the last failed request had ended (or when the restart began, if none failed).
    recovered_at = max((answer.at + answer.seconds for answer in failed), default=restart_at)
    result.recovery_seconds = max(0.0, recovered_at - restart_at)
    result.requests_during = sum(1 for answer in answers if restart_at <= answer.at <= recovered_at)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
