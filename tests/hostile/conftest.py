"""What the hostile-input suites share: the suite's fetch limits, a loopback server for the
corpus, the trusted article every case must leave alone, and a way to poll as a worker does."""

import pytest

from tests.hostile.corpus import (
    SUITE_LIMITS,
    SUITE_LINKED_PAGES_SECONDS,
    Case,
    mount,
    seed_feed,
    store_trusted_article,
)
from tests.http_server import FeedServer, Route
from tracker.news import fetch as fetch_module
from tracker.news import services, tasks
from tracker.news.models import Article, NewsSource, SourceKind

ARTICLE_FIELDS = ("pk", "source_id", "url", "guid", "title", "text", "content_hash", "published_at", "updated_at")
SEED_PAGE = (
    b"<html><body><article><h1>Seed page</h1><p>Soyuz MS-29 is scheduled to launch on August 2, 2026 with NASA "
    b"astronaut Anil Menon aboard. The crew will stay about eight months aboard the station.</p>"
    b"</article></body></html>"
)


@pytest.fixture(autouse=True)
def suite_limits(monkeypatch):
    """Production sizes, short deadlines (see corpus.SUITE_LIMITS)."""
    monkeypatch.setattr(fetch_module, "DEFAULT_LIMITS", SUITE_LIMITS)
    monkeypatch.setattr(services, "LINKED_PAGES_SECONDS", SUITE_LINKED_PAGES_SECONDS)


@pytest.fixture(scope="module")
def corpus_server():
    with FeedServer() as server:
        yield server


@pytest.fixture
def trusted():
    """Another source's article, stored before the hostile poll (needs the test's database)."""
    return store_trusted_article()


def article_rows(**filters) -> dict[int, tuple]:
    """Every column a poll of another story must leave as it is, by primary key."""
    rows = Article.objects.filter(**filters).order_by("pk").values_list(*ARTICLE_FIELDS)
    return {row[0]: row for row in rows}


def poll(source: NewsSource) -> str:
    """The Celery task, run in this process as a worker would run it (the lock, the retry
    decision and its retries included). An exception escaping the task fails the test here."""
    return tasks.poll_source.apply(args=[source.pk]).get(propagate=True)


def hostile_source(server, case: Case, **fields) -> NewsSource:
    """A source for `case` that has stored its seed article (a feed entry, or a page)."""
    is_page = case.kind == SourceKind.PAGE
    seed = Route(
        body=SEED_PAGE if is_page else seed_feed(case),
        headers={"Content-Type": "text/html; charset=utf-8" if is_page else "application/rss+xml"},
    )
    mount(server, case, routes={"seed": seed})
    return NewsSource.objects.create(
        name=f"Hostile {case.name}",
        url=server.url(case.path("seed")),
        kind=case.kind,
        enabled=True,
        allow_private_network=True,  # the corpus is served on loopback
        fetch_linked_pages=case.fetch_linked_pages,
        **fields,
    )
