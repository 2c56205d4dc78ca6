"""The app as a scenario runs it: gunicorn, Celery workers and beat as child processes with
the production settings (see app_settings.py), a feed on loopback, and an editor's browser
session (requests, with cookies and CSRF tokens like a browser's)."""

import os
import re
import sys
import time
from pathlib import Path

import requests
from celery import Celery

from tests.feeds import rss
from tests.waiting import wait_until

from .databases import REPO
from .prepare import EDITOR_PASSWORD, EDITOR_USERNAME
from .processes import Service, Services, free_port

HTTP_TIMEOUT = 10.0
START_TIMEOUT = 60.0
CREWS = [
    ("Soyuz MS-28", "Sergey Kud-Sverchkov"),
    ("SpaceX Crew-12", "Jessica Meir"),
    ("Soyuz MS-28", "Christopher Williams"),
    ("SpaceX Crew-12", "Andrey Fedyaev"),
]

STORY = [
    "The crew spent the morning on maintenance of the life support system in the Destiny laboratory.",
    "Flight controllers in Houston and Moscow coordinated a reboost of the station's orbit on Tuesday.",
    "A cargo ship delivered fresh food, spare parts and scientific hardware to the orbiting laboratory.",
    "Researchers on the ground received samples from a plant growth study for analysis.",
    "The astronauts also prepared spacesuits for a spacewalk planned for later in the month.",
    "Medical checks and exercise sessions filled the afternoon, as on every working day aboard.",
    "Students in several countries spoke with the crew over an amateur radio link.",
]


def base_env(workdir: Path) -> dict[str, str]:
    """The environment of every app process: this one's, without anything that would point
    the child at another database, Redis or settings module than the scenario gives it."""
    dropped = {
        "DATABASE_URL",
        "REDIS_URL",
        "TEST_REDIS_URL",
        "DJANGO_SETTINGS_MODULE",
        "PYTHONPATH",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # the browser tests' switch: never in a production process
    }
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.app_settings",
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        TRACKER_DATA_DIR=str(workdir / "data"),
        DEBUG="false",
        SECRET_KEY="faults-" + os.urandom(16).hex(),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="INFO",
    )
    return env


class AppStack:
    """The app's processes for one scenario, all reading `database_url` and `redis_url`."""

    def __init__(
        self,
        services: Services,
        *,
        workdir: Path,
        database_url: str,
        redis_url: str | None = None,
        visibility_timeout: int | None = None,
        lock_seconds: int | None = None,
        dispatch_seconds: float | None = None,
    ):
        self.services = services
        self.env = base_env(workdir)
        self.env["DATABASE_URL"] = database_url
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        if visibility_timeout is not None:
            self.env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
        if lock_seconds is not None:
            self.env["NEWS_POLL_LOCK_SECONDS"] = str(lock_seconds)
        if dispatch_seconds is not None:
            self.env["FAULTS_DISPATCH_SECONDS"] = str(dispatch_seconds)
        Path(self.env["TRACKER_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
        self.redis_url = redis_url
        self.web_port: int | None = None

    # --- Celery ---------------------------------------------------------------------------------

    def start_worker(self, name: str = "worker", *, concurrency: int = 1, wait: bool = True) -> Service:
        """`celery -A tracker worker` with its default (prefork) pool, as production runs it.
        Without gossip and mingle, which only slow the start-up of a worker that has no peers
        to synchronise with; delivery and acknowledgement are the same."""
        argv = [
            sys.executable, "-m", "celery", "-A", "tracker", "worker",
            "--pool", "prefork", "--concurrency", str(concurrency), "--loglevel", "INFO",
            "--hostname", f"{name}@faults", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        worker = self.services.start(name, argv, env=self.env)
        if wait:
            self.wait_ready(worker)
        return worker

    def wait_ready(self, worker: Service) -> None:
        def ready():
            if not worker.running:
                raise AssertionError(f"{worker.name} exited with {worker.popen.returncode}:\n{worker.tail()}")
            return " ready." in worker.log_text()

        wait_until(ready, timeout=START_TIMEOUT, what=f"{worker.name} to be ready", interval=0.05)

    def start_beat(self) -> Service:
        schedule = Path(self.env["TRACKER_DATA_DIR"]) / "celerybeat-schedule"
        argv = [sys.executable, "-m", "celery", "-A", "tracker", "beat", "--loglevel", "INFO", "-s", str(schedule)]
        return self.services.start("beat", argv, env=self.env)

    def broker(self) -> Celery:
        """A Celery client of the scenario's Redis, to enqueue tasks by name as the app would."""
        assert self.redis_url
        return Celery("faults-client", broker=self.redis_url, set_as_current=False)

    # --- web -----------------------------------------------------------------------------------

    def start_web(self, *, workers: int = 1, threads: int = 4) -> str:
        """gunicorn as in production; returns its base URL once /healthz answers."""
        self.web_port = free_port()
        argv = [
            sys.executable, "-m", "gunicorn", "tracker.wsgi:application",
            "--bind", f"127.0.0.1:{self.web_port}", "--workers", str(workers), "--threads", str(threads),
            "--timeout", "30", "--graceful-timeout", "2", "--access-logfile", "-",
        ]  # fmt: skip
        web = self.services.start("web", argv, env=self.env)
        base = f"http://127.0.0.1:{self.web_port}"

        def up():
            if not web.running:
                raise AssertionError(f"gunicorn exited with {web.popen.returncode}:\n{web.tail()}")
            try:
                return requests.get(f"{base}/healthz", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(up, timeout=START_TIMEOUT, what="gunicorn to answer /healthz", interval=0.1)
        return base


# --- feeds ----------------------------------------------------------------------------------------


def entry_key(prefix: str, n: int) -> str:
    return f"{prefix}-{n}"


def station_entries(prefix: str, numbers, *, revision: int = 0) -> list[tuple[str, str, str, str]]:
    """RSS items (guid, title, link, text): distinct stories that name a crew in flight and a
    fact the record lacks, so extraction and proposals do their real work. A later
    `revision` of an entry changes its text, not its identity."""
    items = []
    for n in numbers:
        mission, person = CREWS[n % len(CREWS)]
        text = (
            f"{person} of {mission} completed station experiment number {n} of series {prefix} this week. "
            "Soyuz MS-29 is scheduled to launch on August 2, 2026."
        )
        if n % 5 == 0:
            text += " SpaceX Crew-13 is set to launch no earlier than October 2026."
        # The length of a real news story (600-1500 characters), so a round takes as long to
        # read as a real one and a kill can land in the middle of it.
        text += "".join(f" {sentence}" for sentence in STORY[n % len(STORY) :] + STORY[: n % len(STORY)])
        if revision:
            text += f" Updated: the experiment's results were published (revision {revision})."
        key = entry_key(prefix, n)
        items.append((key, f"Station report {key}", f"https://news.example.org/reports/{key}", text))
    return items


def feed_body(items) -> bytes:
    return rss(*items)


# --- an editor's browser session -------------------------------------------------------------------


class EditorSession:
    """requests with the cookie jar and CSRF tokens a browser would keep."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=HTTP_TIMEOUT, allow_redirects=False, **kwargs)

    def csrf_token(self, html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token in the form"
        return found.group(1)

    def log_in(self) -> None:
        form = self.get("/admin/login/")
        response = self.http.post(
            self.base + "/admin/login/",
            data={
                "username": EDITOR_USERNAME,
                "password": EDITOR_PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(form.text),
                "next": "/admin/",
            },
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
        assert response.status_code == 302 and response.headers["Location"] == "/admin/", (
            f"the editor could not log in: {response.status_code} {response.text[:500]}"
        )

    def admin_action(self, changelist: str, action: str, pks: list[int]) -> requests.Response:
        """Run an admin action from the changelist, as the action form does; follows the redirect
        back to the changelist, whose page shows the action's messages."""
        page = self.get(changelist)
        response = self.http.post(
            self.base + changelist,
            data={
                "action": action,
                "_selected_action": [str(pk) for pk in pks],
                "index": "0",
                "csrfmiddlewaretoken": self.csrf_token(page.text),
            },
            timeout=HTTP_TIMEOUT,
            allow_redirects=True,
        )
        return response


def admin_messages(html: str) -> list[str]:
    """The texts of the admin's message list (success, warning, error)."""
    import html as html_module

    found = re.search(r'<ul class="messagelist">(.*?)</ul>', html, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S) if found else []
    return [html_module.unescape(text).strip() for text in items]


class SlowAnswers:
    """Makes a FeedServer answer every request `seconds` late, like a slow feed server: a poll
    then holds its source's lock for at least that long, so a second poll started meanwhile
    is sure to meet it. `started` counts the requests that came in (before their delay)."""

    def __init__(self, feeds, seconds: float):
        self.started = 0
        owner = self

        class Slow(feeds.httpd.RequestHandlerClass):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                owner.started += 1
                time.sleep(seconds)
                super().do_GET()

        feeds.httpd.RequestHandlerClass = Slow
