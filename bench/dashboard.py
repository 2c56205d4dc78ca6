"""Dashboard throughput benchmark (not a test): the cached dashboard against the trivial view.

    .venv/bin/python bench/dashboard.py [--missions 2000 --seats 20000 --people 5000
                                         --duration 20 --concurrency 8 --database sqlite|postgres]

1. Creates a fresh database (SQLite in a temporary directory, or `bench_tracker` on
   127.0.0.1:5432, dropped and recreated) and migrates it.
2. Loads the shipped reference record, then bulk-creates a large synthetic record: missions,
   seats and people on NASA / Roscosmos (and a few other agencies'), mostly landed, some in
   flight, some planned, with cross-flight seats and an agreement document covering most of them.
3. Serves it with gunicorn as in production (DEBUG off, Redis cache in a database of its own,
   whitenoise with collected static files) on a free loopback port.
4. Measures `/`, the htmx fragment `/?family=soyuz-ms` (HX-Target: crossflights) and
   `/healthz` with a closed-loop load generator (keep-alive http.client connections in
   threads, spread over a few processes): requests/s, p50/p95 latency, errors, and server and
   load-generator CPU per request. The endpoints take turns in short slices (4 rounds by
   default), so other work on the machine weighs on all three alike; each round starts from
   freshly rendered pages. Also the cold (first request after a record save) render time of
   `/` and of the fragment.
5. Checks that a save invalidates the cached page while the page is under load: a plain ORM
   save, and a save inside a transaction that stays open a moment (as the admin's does).
6. Prints a table and writes the results into docs/benchmarks.md (one section per database).

Loopback only, bounded in time; gunicorn is always stopped. Nothing here is imported by the
product or the test suite.
"""

import argparse
import contextlib
import datetime as dt
import gzip
import http.client
import multiprocessing
import os
import random
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

from common import (
    HOST,
    REPO,
    database_version,
    drop_database,
    fresh_database_url,
    log,
    machine,
    use_production_settings,
)

DOCS = REPO / "docs" / "benchmarks.md"
PG_DATABASE = "bench_tracker"
# bin/test picks Redis databases 1-14 at random for its runs; 15 is never one of them.
DEFAULT_REDIS_DB = 15
NAME_PREFIX = "Bench"  # every synthetic mission and person name starts with it
TARGET_RATIO = 0.5

# Every request says what a browser says: it accepts gzip (the page cache serves a body
# compressed once per record version to such clients).
CHECK_EVERY = 20
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}
FRAGMENT_HEADERS = {**BROWSER_HEADERS, "HX-Request": "true", "HX-Target": "crossflights"}
# A reader whose browser asks for Russian: the same page in the other language, cached apart.
RUSSIAN_HEADERS = {**BROWSER_HEADERS, "Accept-Language": "ru-RU,ru;q=0.9"}


# --- load generator (runs in child processes; imports nothing from Django) -------------------
#
# One schedule for all endpoints: a warm-up per endpoint, then `rounds` rounds in which each
# endpoint gets a measured slice in turn. Interleaving the endpoints this way means a burst of
# other work on the machine (a test run, a backup) lands on all of them alike, not on one row.
# A phase is (endpoint index, start, measured from, end); "measured from" is None for warm-ups,
# and the endpoint index is None for a pause in which the connections send nothing while the
# benchmark re-renders the cached pages: each round starts with fresh pages, so no page
# reaches the end of its PAGE_CACHE_SECONDS inside a measured slice.


def _checker(kind):
    if kind == "page":
        return lambda body: body.startswith(b"<!DOCTYPE html>") and body.rstrip().endswith(b"</html>")
    if kind == "fragment":
        return lambda body: body.lstrip().startswith(b'<div id="crossflights"') and b"<html" not in body[:200]
    return lambda body: body == b"ok"


def _client_thread(port, endpoints, phases, out):
    """One keep-alive connection, closed loop: the next request goes as soon as the last is answered."""
    checks = [_checker(kind) for _, _, kind in endpoints]
    latencies = [[] for _ in endpoints]
    errors, nbytes, samples = [0] * len(endpoints), [0] * len(endpoints), []
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
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
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
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
            if time.time() > end:
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


# --- the environment: database, Redis, settings, static files ---------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prepare_environment(args, workdir: Path) -> dict:
    """Environment for this process (ORM work) and gunicorn alike."""
    import redis

    database_url = fresh_database_url(args.database, workdir, pg_name=PG_DATABASE)
    redis_url = f"redis://{HOST}:6379/{args.redis_db}"
    redis.Redis.from_url(redis_url, socket_timeout=5).flushdb()
    # STATIC_ROOT is not an environment setting: the settings module puts the collected
    # files (whitenoise's manifest) in the temporary directory.
    static_root = workdir / "static"
    return use_production_settings(
        workdir, database_url=database_url, redis_url=redis_url, settings_tail=f"STATIC_ROOT = {str(static_root)!r}\n"
    )


def crew_sizes(args, families) -> list[tuple]:
    """(family, crew) per synthetic mission: every crew member has an ascent and a descent seat
    on the mission, and no mission carries more people than its family has seats."""
    soyuz, dragon, heavy_r, heavy_n = families
    plan = []
    for index in range(args.missions):
        slot = index % 10
        family = soyuz if slot in (0, 5) else dragon if slot in (2, 7) else heavy_r if slot % 2 else heavy_n
        plan.append([family, 0])
    crew_total = args.seats // 2
    capacity = sum(family.seats for family, _ in plan)
    if crew_total > capacity:
        raise SystemExit(f"--seats {args.seats} needs more seats than {args.missions} missions have ({2 * capacity}).")
    if crew_total < args.missions:
        raise SystemExit("--seats must be at least twice --missions (one person up and down per mission).")
    # Fill every mission to one person, then spread the rest evenly over the free seats.
    for entry in plan:
        entry[1] = 1
    remaining = crew_total - args.missions
    while remaining:
        progressed = False
        for entry in plan:
            if remaining and entry[1] < entry[0].seats:
                entry[1] += 1
                remaining -= 1
                progressed = True
        if not progressed:
            break
    return [tuple(entry) for entry in plan]


def generate_record(args) -> dict:
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from tracker.lib.fuzzy_dates import Precision, window_start
    from tracker.record.models import (
        Agency,
        Agreement,
        AgreementDocument,
        Leg,
        Mission,
        MissionStatus,
        Person,
        Role,
        Seat,
        VehicleFamily,
    )
    from tracker.record.reference_data import load_reference_data

    started = time.perf_counter()
    report = load_reference_data()
    log(f"reference record: {report.summary().splitlines()[0]}")
    rng = random.Random(20260101)
    now = timezone.now()

    with transaction.atomic():
        agencies = {agency.slug: agency for agency in Agency.objects.all()}
        roscosmos, nasa = agencies["roscosmos"], agencies["nasa"]
        others = [agencies[slug] for slug in ("esa", "jaxa", "csa")]
        soyuz = VehicleFamily.objects.get(slug="soyuz-ms")
        dragon = VehicleFamily.objects.get(slug="crew-dragon")
        heavy_r = VehicleFamily.objects.create(
            name=f"{NAME_PREFIX} Heavy R", slug="bench-heavy-r", operator=roscosmos, builder="synthetic",
            seats=10, typical_stay=dt.timedelta(days=200),
        )  # fmt: skip
        heavy_n = VehicleFamily.objects.create(
            name=f"{NAME_PREFIX} Heavy N", slug="bench-heavy-n", operator=nasa, builder="synthetic",
            seats=10, typical_stay=dt.timedelta(days=200),
        )  # fmt: skip
        plan = crew_sizes(args, (soyuz, dragon, heavy_r, heavy_n))

        # People: 45 % Roscosmos, 45 % NASA, 10 % other agencies; each agency's people fly in
        # turn, so a person's next flight comes about people/crew-per-mission missions later.
        shares = [(roscosmos, 0.45), (nasa, 0.45), *[(agency, 0.10 / len(others)) for agency in others]]
        people_by_agency = {}
        rows = []
        for agency, share in shares:
            count = max(1, round(args.people * share))
            people_by_agency[agency.pk] = [
                Person(
                    name=f"{NAME_PREFIX} {agency.name} crew {i:05d}",
                    slug=f"bench-{agency.slug}-crew-{i:05d}",
                    agency=agency,
                    nationality="synthetic",
                )
                for i in range(count)
            ]
            rows += people_by_agency[agency.pk]
        Person.objects.bulk_create(rows, batch_size=1000)
        people_by_agency = {
            agency_id: list(Person.objects.filter(agency_id=agency_id, name__startswith=NAME_PREFIX).order_by("slug"))
            for agency_id in people_by_agency
        }
        turn = {agency_id: 0 for agency_id in people_by_agency}

        def next_person(agency):
            pool = people_by_agency[agency.pk]
            person = pool[turn[agency.pk] % len(pool)]
            turn[agency.pk] += 1
            return person

        # Timeline: landed missions from 1995 to ~7 months ago; in flight launched over the
        # last five months; planned from two months ahead to three years ahead.
        n_flying = max(1, args.missions * 4 // 100)
        n_planned = max(1, args.missions * 6 // 100)
        n_landed = args.missions - n_flying - n_planned
        first_launch = dt.datetime(1995, 1, 1, 6, tzinfo=dt.UTC)
        last_landed = now - dt.timedelta(days=215)
        missions, crews = [], []
        for index, (family, crew) in enumerate(plan):
            name = f"{NAME_PREFIX} {family.name.removeprefix(NAME_PREFIX + ' ')} B-{index:05d}"
            fields = {"name": name, "slug": slugify(name), "family": family, "launch_site": "Synthetic Range"}
            if index < n_landed:
                launch = first_launch + (last_landed - first_launch) * index / max(1, n_landed - 1)
                launch = launch.replace(second=0, microsecond=0)
                stay = dt.timedelta(days=rng.randint(150, 200))
                exact = index % 7 != 3  # some only known to the day
                precision = Precision.EXACT if exact else Precision.DAY
                launch = launch if exact else window_start(launch, Precision.DAY)
                fields.update(
                    status=MissionStatus.LANDED,
                    launch_at=launch, launch_precision=precision,
                    docking_at=launch + dt.timedelta(hours=rng.randint(3, 50)), docking_precision=precision,
                    undocking_at=launch + stay, undocking_precision=precision,
                    landing_at=launch + stay + dt.timedelta(hours=4), landing_precision=precision,
                )  # fmt: skip
            elif index < n_landed + n_flying:
                position = index - n_landed
                launch = now - dt.timedelta(days=150) + dt.timedelta(days=145) * position / max(1, n_flying - 1)
                launch = launch.replace(second=0, microsecond=0)
                fields.update(
                    status=MissionStatus.IN_FLIGHT,
                    launch_at=launch, launch_precision=Precision.EXACT,
                    docking_at=launch + dt.timedelta(hours=5), docking_precision=Precision.EXACT,
                )  # fmt: skip
                if position % 2:  # half have a planned landing, known to the month
                    landing = window_start(launch + dt.timedelta(days=200), Precision.MONTH)
                    fields.update(landing_at=landing, landing_precision=Precision.MONTH)
            else:
                position = index - n_landed - n_flying
                launch = now + dt.timedelta(days=60) + dt.timedelta(days=1035) * position / max(1, n_planned - 1)
                precision = [Precision.DAY, Precision.MONTH, Precision.QUARTER, Precision.YEAR][position % 4]
                status = [MissionStatus.PLANNED, MissionStatus.SCHEDULED, MissionStatus.DELAYED][position % 3]
                fields.update(status=status, launch_at=window_start(launch, precision), launch_precision=precision)
            mission = Mission(**fields)
            mission.settle_certainty()  # bulk_create skips save(): each event's certainty from the status
            missions.append(mission)
            # Crew: mostly the operator's people, one or two of the other party's (the
            # cross-flight seats), now and then someone from a third agency.
            operator = family.operator
            partner = nasa if operator.pk == roscosmos.pk else roscosmos
            agencies_on_board = []
            for slot in range(crew):
                if slot == 1 or (slot == 4 and crew > 6):
                    agencies_on_board.append(partner)
                elif slot == 3 and index % 3 == 0:
                    agencies_on_board.append(others[index % len(others)])
                else:
                    agencies_on_board.append(operator)
            crews.append([next_person(agency) for agency in agencies_on_board])
        Mission.objects.bulk_create(missions, batch_size=500)
        saved = {mission.name: mission for mission in Mission.objects.filter(name__startswith=NAME_PREFIX)}
        missions = [saved[mission.name] for mission in missions]

        roles = [Role.COMMANDER, Role.FLIGHT_ENGINEER, Role.FLIGHT_ENGINEER, Role.MISSION_SPECIALIST]
        seats = []
        for mission, crew in zip(missions, crews, strict=True):
            for position, person in enumerate(crew):
                role = roles[min(position, len(roles) - 1)] if position % 5 != 4 else ""
                seats.append(Seat(mission=mission, person=person, leg=Leg.ASCENT, role=role))
                seats.append(Seat(mission=mission, person=person, leg=Leg.DESCENT, role=role))
        Seat.objects.bulk_create(seats, batch_size=2000)

        # One more agreement document covering four synthetic missions in five.
        agreement = Agreement.objects.get(slug="integrated-crew-flights")
        document = AgreementDocument.objects.create(
            agreement=agreement, key="bench-synthetic", title=f"{NAME_PREFIX} addendum (synthetic flights)",
            kind="addendum", signed_on=dt.date(1994, 6, 1), signed_precision=Precision.MONTH,
            covers="Synthetic benchmark flights.",
        )  # fmt: skip
        covered = [mission for index, mission in enumerate(missions) if index % 5 != 4]
        through = AgreementDocument.missions.through
        through.objects.bulk_create(
            [through(agreementdocument_id=document.pk, mission_id=mission.pk) for mission in covered], batch_size=2000
        )

    counts = {
        "missions": Mission.objects.count(),
        "seats": Seat.objects.count(),
        "people": Person.objects.count(),
        "synthetic_missions": len(missions),
        "synthetic_seats": len(seats),
        "synthetic_people": sum(len(pool) for pool in people_by_agency.values()),
        "covered_by_synthetic_document": len(covered),
        "landed": Mission.objects.filter(status=MissionStatus.LANDED).count(),
        "in_flight": Mission.objects.filter(status=MissionStatus.IN_FLIGHT).count(),
        "upcoming": Mission.objects.upcoming().count(),
        "cross_flight_missions": Mission.objects.cross_flights().count(),
        "cross_flight_seats": Seat.objects.cross_flight().count(),
        "generation_seconds": time.perf_counter() - started,
    }
    return counts


# --- gunicorn -----------------------------------------------------------------------------------


@contextlib.contextmanager
def gunicorn(env: dict, port: int, args, workdir: Path):
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "tracker.wsgi",
        "--workers", str(args.workers), "--threads", str(args.threads),
        "--bind", f"{HOST}:{port}", "--timeout", "120", "--graceful-timeout", "5",
        "--error-logfile", str(workdir / "gunicorn.log"),
    ]  # fmt: skip
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


# --- the measurements ---------------------------------------------------------------------------


def touch_record():
    """A record save, as an editor's: bumps the record version, so every page is uncached."""
    from tracker.record.models import Mission

    mission = Mission.objects.filter(name__startswith=NAME_PREFIX).order_by("pk").first()
    mission.save(update_fields=["notes"])


def cold_renders(port, repeats):
    """Time the first request after a record save, for `/` and for the fragment."""
    results = {"/": [], "fragment": []}
    for _ in range(repeats):
        for label, path, headers in (("/", "/", {}), ("fragment", "/?family=soyuz-ms", FRAGMENT_HEADERS)):
            touch_record()
            status, body, elapsed = fetch(port, path, headers)
            if status != 200:
                raise SystemExit(f"cold {label}: HTTP {status}")
            results[label].append(elapsed)
            # The second request is served from the cache: the pair shows what the cache saves.
            fetch(port, path, headers)
    return results


def first_completed_synthetic(now):
    from tracker.record.dashboard import COMPLETED_PER_PAGE, cross_flight_sections

    sections = cross_flight_sections({}, page=1, now=now)
    for mission in sections.completed.object_list[:COMPLETED_PER_PAGE]:
        if mission.name.startswith(NAME_PREFIX):
            return mission.pk
    raise SystemExit("no synthetic mission on the first page of Completed")


def invalidation_check(port, args, *, in_transaction: bool):
    """Rename a mission on page 1 of Completed while `/` is under load; then every response to
    a request sent after the save returned (and a fresh fetch) must show the new name.

    in_transaction False: a plain ORM save (autocommit). True: the save runs in a transaction,
    as the admin's does (the mission, its inlines, history rows and log entry, then COMMIT),
    and a visitor's request for `/` is answered while that transaction is still open."""
    from django.db import transaction
    from django.utils import timezone

    from tracker.record.models import Mission

    mission = Mission.objects.get(pk=first_completed_synthetic(timezone.now()))
    old_name = mission.name
    new_name = f"{NAME_PREFIX} renamed {os.urandom(4).hex()}"
    stop = threading.Event()
    observations = []  # (sent_at, has_new_name, status, latency)

    def hammer():
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        while not stop.is_set():
            sent = time.monotonic()
            try:
                conn.request("GET", "/")
                response = conn.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=120)
                continue
            observations.append((sent, new_name.encode() in body, response.status, time.monotonic() - sent))
        conn.close()

    threads = [threading.Thread(target=hammer, daemon=True) for _ in range(max(2, args.concurrency // 2))]
    for thread in threads:
        thread.start()
    time.sleep(1.5)
    mission.name = new_name
    during = None
    if in_transaction:
        with transaction.atomic():
            mission.save()
            during_status, _, _ = fetch(port, "/")
            during = during_status
    else:
        mission.save()
    saved_at = time.monotonic()
    # Watch for at least 3 s and until every connection has had a few answers after the save.
    deadline = saved_at + 60
    while time.monotonic() < deadline and (
        time.monotonic() < saved_at + 3 or sum(1 for obs in observations if obs[0] > saved_at) < 3 * len(threads)
    ):
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(timeout=130)
    status, body, _ = fetch(port, "/")
    after = [obs for obs in observations if obs[0] > saved_at]
    stale_after = [obs for obs in after if not obs[1]]
    result = {
        "kind": "save in a transaction (admin-like), page requested before COMMIT"
        if in_transaction
        else "plain ORM save (autocommit)",
        "request_during_transaction": during,
        "old_name": old_name,
        "new_name": new_name,
        "requests_during": len(observations),
        "responses_after_save": len(after),
        "stale_after_save": len(stale_after),
        "non_200": sum(1 for obs in observations if obs[2] != 200),
        "slowest_after_save_ms": max((obs[3] for obs in after), default=float("nan")) * 1000,
        "fresh_fetch_shows_new_name": status == 200 and new_name.encode() in body,
    }
    result["passed"] = result["fresh_fetch_shows_new_name"] and not stale_after and not result["non_200"]
    return result


# --- report -------------------------------------------------------------------------------------


def render_section(ctx) -> str:
    args, rows, ratio = ctx["args"], ctx["rows"], ctx["ratio"]
    counts, cold, checks, mach = ctx["counts"], ctx["cold"], ctx["checks"], ctx["machine"]
    verdict = "meets" if ratio >= TARGET_RATIO else "**misses**"
    lines = [
        f"## Run: {args.database}",
        "",
        f"- Date: {ctx['date']}",
        f"- Machine: {mach['nproc']} CPUs ({mach['cpu']}), Linux {mach['kernel']}, Python {mach['python']}, "
        f"Django {mach['django']}, {ctx['db_version']}, Redis {ctx['redis_version']} (database {args.redis_db})",
        f"- Command: `{ctx['command']}`",
        f"- Server: `gunicorn tracker.wsgi --workers {args.workers} --threads {args.threads}`, DEBUG off, "
        f"Redis cache, PAGE_CACHE_SECONDS={ctx['page_cache_seconds']}; load generator on the same machine "
        f"({args.concurrency} keep-alive connections over {ctx['client_processes']} processes, closed loop; "
        f"{args.warmup:g} s warm-up per endpoint, then {args.duration:g} s measured per endpoint in {args.rounds} "
        f"interleaved slices, each round starting from freshly rendered pages)",
        f"- Data: {counts['missions']} missions ({counts['landed']} landed, {counts['in_flight']} in flight, "
        f"{counts['upcoming']} upcoming), {counts['seats']} seats, {counts['people']} people "
        f"(reference record + {counts['synthetic_missions']} synthetic missions, {counts['synthetic_seats']} seats, "
        f"{counts['synthetic_people']} people); {counts['cross_flight_missions']} cross-flight missions, "
        f"{counts['cross_flight_seats']} cross-flight seats; synthetic agreement document covers "
        f"{counts['covered_by_synthetic_document']} missions",
        "",
        "| endpoint | requests/s | p50 ms | p95 ms | max ms | errors | KiB/response "
        "| server CPU ms/request | load generator CPU ms/request | load avg before |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, result in rows:
        lines.append(
            f"| {label} | {result['rps']:.0f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | "
            f"{result['max_ms']:.0f} | {result['errors']} | {result['kib_per_response']:.1f} | "
            f"{result['server_cpu_ms_per_request']:.2f} | {result['client_cpu_ms_per_request']:.2f} | "
            f"{result['loadavg_before']:.1f} |"
        )
    lines += [
        "",
        f"- Ratio dashboard `/` requests/s ÷ `/healthz` requests/s: **{ratio:.2f}** — {verdict} the target "
        f"(≥ {TARGET_RATIO}× the trivial view). Fragment ÷ trivial: {ctx['fragment_ratio']:.2f}. "
        f"The Russian dashboard ÷ trivial: {ctx['russian_ratio']:.2f}. "
        f"Server CPU per `/healthz` request ÷ per `/` request (the ratio with the load generator "
        f"on another machine, if the server is CPU-bound): {ctx['cpu_ratio']:.2f}.",
        "- Cold render (first request after a record save), median of "
        f"{len(cold['/'])}: `/` {median(cold['/']) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in cold['/'])}), fragment {median(cold['fragment']) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{t * 1000:.0f}' for t in cold['fragment'])}).",
    ]
    for check in checks:
        outcome = "**passed**" if check["passed"] else "**FAILED**"
        lines.append(
            f"- Invalidation under load, {check['kind']}: {outcome} — renamed `{check['old_name']}` "
            f"(page 1 of Completed); {check['responses_after_save']} responses to requests sent after the save, "
            f"{check['stale_after_save']} still showing the old name (slowest of them "
            f"{check['slowest_after_save_ms']:.0f} ms); a fresh fetch "
            f"{'shows' if check['fresh_fetch_shows_new_name'] else 'does not show'} the new name."
        )
    if any(result["errors"] for _, result in rows):
        for label, result in rows:
            for sample in result["error_samples"]:
                lines.append(f"- Error sample, {label}: `{sample}`")
    return "\n".join(lines) + "\n"


DOC_HEADER = """# Benchmarks

Written by `bench/dashboard.py` (see `bench/README.md`); each run replaces the section of its
database. Target: the cached dashboard serves at least half the requests per second of the
trivial `/healthz` view on the same server.
"""


def write_docs(section: str, database: str) -> None:
    text = DOCS.read_text() if DOCS.exists() else DOC_HEADER
    pattern = re.compile(rf"^## Run: {re.escape(database)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n")


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else float("nan")


def print_table(rows, ratio, fragment_ratio, cpu_ratio, cold):
    print()
    print(
        f"{'endpoint':<22} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7} {'KiB':>7} "
        f"{'srv cpu':>8} {'gen cpu':>8}"
    )
    for label, r in rows:
        short = label.split("`")[1].split("?")[0] + ("?family… (fragment)" if "fragment" in label else "")
        print(
            f"{short:<22} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.0f} "
            f"{r['errors']:>7} {r['kib_per_response']:>7.1f} {r['server_cpu_ms_per_request']:>8.2f} "
            f"{r['client_cpu_ms_per_request']:>8.2f}"
        )
    print(f"\ndashboard/trivial ratio: {ratio:.2f} (target >= {TARGET_RATIO}); fragment/trivial: {fragment_ratio:.2f}")
    print(f"server CPU per request, trivial/dashboard: {cpu_ratio:.2f}")
    print(
        f"cold render: / {median(cold['/']) * 1000:.0f} ms, fragment {median(cold['fragment']) * 1000:.0f} ms "
        f"(median of {len(cold['/'])})"
    )


# --- main ---------------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--missions", type=int, default=2000, help="synthetic missions (default 2000)")
    parser.add_argument("--seats", type=int, default=20000, help="synthetic seats (default 20000)")
    parser.add_argument("--people", type=int, default=5000, help="synthetic people (default 5000)")
    parser.add_argument("--duration", type=float, default=20, help="measured seconds per endpoint (default 20)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each (default 3)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="measured slices per endpoint, interleaved across endpoints (default 4)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="keep-alive connections (default 8)")
    parser.add_argument("--client-processes", type=int, default=0, help="load generator processes (default: nproc)")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--redis-db", type=int, default=DEFAULT_REDIS_DB, help=f"flushed first (default {DEFAULT_REDIS_DB})"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cold-repeats", type=int, default=3)
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and database")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    client_processes = args.client_processes or min(args.concurrency, os.cpu_count() or 1)
    command = ".venv/bin/python bench/dashboard.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    workdir = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    began = time.monotonic()
    try:
        log(f"workdir {workdir}; database {args.database}")
        env = prepare_environment(args, workdir)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        log("migrated, static files collected; generating the record")
        counts = generate_record(args)
        if args.database == "postgres":
            # As autovacuum would within a minute of a bulk load: plan with real row counts.
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log(
            f"record: {counts['missions']} missions, {counts['seats']} seats, {counts['people']} people, "
            f"{counts['cross_flight_missions']} cross-flight missions ({counts['generation_seconds']:.1f} s)"
        )
        import redis

        redis_client = redis.Redis.from_url(env["REDIS_URL"])
        redis_client.flushdb()  # the bulk inserts sent no signals: start from an empty cache
        redis_version = redis_client.info("server")["redis_version"]
        db_version = database_version(args.database)
        from django.db import connections

        connections.close_all()

        port = free_port()
        with gunicorn(env, port, args, workdir) as proc:
            log(f"gunicorn {proc.pid} answers on {HOST}:{port}")
            endpoints = [
                ("`/` (full dashboard, cached)", "/", BROWSER_HEADERS, "page"),
                ("`/?family=soyuz-ms` fragment (HX-Target: crossflights)", "/?family=soyuz-ms", FRAGMENT_HEADERS, "fragment"),
                ("`/healthz` (trivial view)", "/healthz", BROWSER_HEADERS, "healthz"),
                ("`/` in Russian (Accept-Language: ru, cached)", "/", RUSSIAN_HEADERS, "page"),
            ]  # fmt: skip
            for _, path, headers, _kind in endpoints:  # load templates, open connections in every worker
                for _ in range(2 * args.workers * args.threads):
                    fetch(port, path, headers)
            cold = cold_renders(port, args.cold_repeats)
            log(
                f"cold renders: / {[round(t * 1000) for t in cold['/']]} ms, fragment {[round(t * 1000) for t in cold['fragment']]} ms"
            )
            cacheable = [(path, headers) for _, path, headers, kind in endpoints if kind != "healthz"]

            def refresh():
                touch_record()  # a new record version: every page renders afresh, with a full lifetime
                for path, headers in cacheable:
                    fetch(port, path, headers)

            pause = 1.0 + 2 * (max(cold["/"]) + max(cold["fragment"]))
            results = run_load(
                port, [(path, headers, kind) for _, path, headers, kind in endpoints],
                concurrency=args.concurrency, processes=client_processes, warmup=args.warmup,
                duration=args.duration, rounds=args.rounds, master_pid=proc.pid, refresh=refresh, pause=pause,
            )  # fmt: skip
            rows = [(endpoint[0], result) for endpoint, result in zip(endpoints, results, strict=True)]
            for label, result in rows:
                log(f"{label}: {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
                    f"p95 {result['p95_ms']:.1f} ms, {result['errors']} errors")  # fmt: skip
            checks = [invalidation_check(port, args, in_transaction=flag) for flag in (False, True)]
            for check in checks:
                log(f"invalidation, {check['kind']}: {'passed' if check['passed'] else 'FAILED'} {check}")
        ratio = rows[0][1]["rps"] / rows[2][1]["rps"] if rows[2][1]["rps"] else float("nan")
        fragment_ratio = rows[1][1]["rps"] / rows[2][1]["rps"] if rows[2][1]["rps"] else float("nan")
        cpu_ratio = rows[2][1]["server_cpu_ms_per_request"] / rows[0][1]["server_cpu_ms_per_request"]
        russian_ratio = rows[3][1]["rps"] / rows[2][1]["rps"] if rows[2][1]["rps"] else float("nan")
        log(f"Russian dashboard / trivial: {russian_ratio:.2f}")
        print_table(rows, ratio, fragment_ratio, cpu_ratio, cold)
        section = render_section(
            {
                "args": args, "rows": rows, "ratio": ratio, "fragment_ratio": fragment_ratio, "counts": counts,
                "cpu_ratio": cpu_ratio, "russian_ratio": russian_ratio,
                "cold": cold, "checks": checks, "machine": machine(), "db_version": db_version,
                "redis_version": redis_version, "command": command, "client_processes": client_processes,
                "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
                "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            }
        )  # fmt: skip
        if not args.no_docs:
            write_docs(section, args.database)
            log(f"wrote the {args.database} section of {DOCS.relative_to(REPO)}")
        log(f"done in {time.monotonic() - began:.0f} s")
        failed = [check for check in checks if not check["passed"]]
        errors = sum(result["errors"] for _, result in rows)
        return 1 if failed or errors else 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
            drop_database(args.database, pg_name=PG_DATABASE)
            with contextlib.suppress(Exception):
                import redis

                redis.Redis.from_url(f"redis://{HOST}:6379/{args.redis_db}", socket_timeout=5).flushdb()


if __name__ == "__main__":
    sys.exit(main())
