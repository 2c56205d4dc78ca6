"""Redis down: the pages keep answering, enqueueing fails soft, and ingestion resumes by itself.

Two ways down: "killed" (SIGKILL: connections are refused at once) and "frozen" (SIGSTOP:
connections open but nothing answers, as in a network partition; only timeouts end a call).

The app runs as in production on a Redis of the scenario's own (broker, result backend and
cache: REDIS_URL): gunicorn, one worker and beat (dispatching every second here instead of
every minute). A first source is polled before the outage, to show the pipeline works. Then
a second source is made due a moment later and Redis is killed (or frozen) for `outage`
seconds. Meanwhile a logged-in editor and an anonymous visitor keep requesting the dashboard,
a mission page and the admin (changelist and change view), every status code is counted,
and the editor runs the admin's "poll now" action, which must answer with a message, not a
500. Then the same redis-server is started again on the same port (its append-only file
keeps what was queued), or thawed, and, without restarting any app process, the second
source's stories must appear: beat dispatches again and the worker reconnects by themselves.
"""

import datetime as dt
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

import requests
from django.utils import timezone

from tests.factories import make_loopback_source
from tests.waiting import wait_until
from tracker.news.models import Article
from tracker.record.models import Mission

from .context import FaultContext, scenario
from .stack import AppStack, EditorSession, admin_messages, feed_body, station_entries

RESUME_TIMEOUT = 120


@dataclass
class RedisOutageResult:
    how: str  # "killed" or "frozen"
    outage_seconds: float  # from the kill to Redis answering again
    requests: int = 0
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)  # page -> status -> count
    errors: dict[str, int] = field(default_factory=dict)  # page -> requests that got no answer at all
    slowest_seconds: dict[str, float] = field(default_factory=dict)  # page -> its slowest answer
    poll_now_status: int = 0
    poll_now_message: str = ""
    poll_now_seconds: float = 0.0
    resume_seconds: float = 0.0  # from Redis back to the due source's stories being stored
    resumed_articles: int = 0
    app_processes_restarted: int = 0
    poll_now_after: str = ""  # the admin action's message once Redis is back
    cache_outage_logged: int = 0  # the web's log lines saying the cache is unreachable / back
    cache_back_seconds: float = 0.0  # from Redis back to the pages using the cache again

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def non_200(self) -> int:
        return sum(n for page in self.statuses.values() for status, n in page.items() if status != 200) + sum(
            self.errors.values()
        )


def run(context: FaultContext, *, outage: float = 10.0, how: str = "killed", log=print) -> RedisOutageResult:
    assert how in ("killed", "frozen")
    with scenario(context, f"redis_{how}") as world:
        stack = AppStack(world.services, workdir=world.directory, database_url=world.database_url,
                         redis_url=world.redis.url, dispatch_seconds=1.0)  # fmt: skip
        base = stack.start_web()
        apps = [stack.start_worker("worker"), stack.start_beat()]
        before = make_loopback_source(
            world.feeds,
            feed_body(station_entries("before", range(20))),
            name="Before the outage",
            path="/before.xml",
            etag='"before"',
            using=world.alias,
        )
        wait_until(
            lambda: Article.objects.using(world.alias).filter(source=before).count() == 20,
            timeout=60,
            what="beat and the worker to poll the first source",
        )
        mission = Mission.objects.using(world.alias).order_by("pk").first()
        pages = {
            "dashboard": "/",
            "mission page": mission.get_absolute_url(),
            "admin changelist": "/admin/record/mission/",
            "admin change view": f"/admin/record/mission/{mission.pk}/change/",
        }
        editor, visitor, operator = EditorSession(base), EditorSession(base), EditorSession(base)
        editor.log_in()
        operator.log_in()
        for name, path in pages.items():  # all well before the outage
            client = editor if name.startswith("admin") else visitor
            assert client.get(path).status_code == 200, f"{name} {path} failed before the outage"

        # Due in a moment: the outage hides it from beat and the worker until Redis is back.
        after = make_loopback_source(
            world.feeds,
            feed_body(station_entries("after", range(20))),
            name="After the outage",
            path="/after.xml",
            etag='"after"',
            using=world.alias,
            next_poll_at=timezone.now() + dt.timedelta(seconds=1),
        )
        result = RedisOutageResult(how=how, outage_seconds=0.0)
        statuses = {name: Counter() for name in pages}
        errors = Counter()
        if how == "killed":
            world.redis.crash()
        else:
            world.redis.freeze()
        down_at = time.monotonic()
        log(f"Redis {how}; requesting {', '.join(pages)} for {outage:g} s")

        def poll_now():  # meanwhile, in a browser tab of its own, as an operator would
            started = time.monotonic()
            try:
                response = operator.admin_action("/admin/news/newssource/", "poll_now", [after.pk])
            except requests.RequestException as error:
                result.poll_now_message = f"no answer: {error}"
            else:
                result.poll_now_status = response.status_code
                result.poll_now_message = " | ".join(admin_messages(response.text))
            result.poll_now_seconds = time.monotonic() - started

        action = threading.Thread(target=poll_now)
        action.start()
        try:
            while time.monotonic() < down_at + outage:
                for name, path in pages.items():
                    client = editor if name.startswith("admin") else visitor
                    started = time.monotonic()
                    try:
                        statuses[name][client.get(path).status_code] += 1
                    except requests.RequestException:
                        errors[name] += 1
                    took = time.monotonic() - started
                    result.slowest_seconds[name] = max(result.slowest_seconds.get(name, 0.0), took)
                time.sleep(0.1)
            action.join(timeout=60)
            if how == "killed":
                world.redis.start()
            else:
                world.redis.thaw()
            up_at = time.monotonic()
            result.outage_seconds = up_at - down_at
            result.statuses = {name: dict(counts) for name, counts in statuses.items()}
            result.errors = dict(errors)
            result.requests = sum(sum(c.values()) for c in statuses.values()) + sum(errors.values())
            log(f"Redis back after {result.outage_seconds:.1f} s; {result.requests} requests: {result.statuses}")

            wait_until(
                lambda: Article.objects.using(world.alias).filter(source=after).count() == 20,
                timeout=RESUME_TIMEOUT,
                what="the source that fell due during the outage to be polled",
                interval=0.2,
            )
            result.resume_seconds = time.monotonic() - up_at
            result.resumed_articles = Article.objects.using(world.alias).filter(source=after).count()
            result.app_processes_restarted = sum(1 for process in apps if not process.running)
            response = editor.admin_action("/admin/news/newssource/", "poll_now", [after.pk])
            result.poll_now_after = " | ".join(admin_messages(response.text))
            log(f"ingestion resumed {result.resume_seconds:.1f} s after Redis came back")

            def cache_back():
                assert visitor.get("/").status_code == 200
                return "Redis cache reachable again" in world.services.logs("web")

            wait_until(cache_back, timeout=30, what="the pages to use the cache again", interval=0.5)
            result.cache_back_seconds = time.monotonic() - up_at
            web_log = world.services.logs("web")
            result.cache_outage_logged = web_log.count("Redis cache unreachable") + web_log.count("reachable again")
        finally:
            action.join(timeout=60)
            for session in (editor, visitor, operator):
                session.close()
        return result
