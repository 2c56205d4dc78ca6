"""The lists of articles at scale: every list reads a page off the index in its order (no sort
of the whole table, no count of it), so a request costs the same queries at any size.

The archive is made with bulk_create (no ingestion): articles over a few years, two in three
naming a mission, some undated, with proposals citing them."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.test_news_celery import record  # noqa: F401 (the record, put back after a flush)
from tracker.api.filters import ArticleFilters, filter_articles
from tracker.api.representations import articles as api_articles
from tracker.feeds.articles import linked_articles
from tracker.lib.paging import count_up_to, rows_between
from tracker.news.models import (
    Article,
    Mention,
    MentionKind,
    NewsSource,
    ProposalEvidence,
    ProposalKind,
    ProposedUpdate,
)
from tracker.news.queries import articles_for_news_page, latest_linked_articles
from tracker.record.models import Mission

START = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)
BODY = "Crew members aboard the station continued their work on experiments this week. " * 8


def add_articles(count: int, *, first: int = 0) -> None:
    """`count` more articles, one every six hours from START; every third undated-free one
    names nothing, every tenth has no date; a proposal for every fiftieth."""
    source = NewsSource.objects.get_or_create(name="Archive wire", defaults={"url": "https://example.org/feed"})[0]
    missions = list(Mission.objects.order_by("pk")[:6])
    articles = Article.objects.bulk_create(
        Article(
            source=source,
            url=f"https://example.org/story/{n}",
            guid=f"story-{n}",
            title=f"Station report {n}",
            published_at=None if n % 10 == 9 else START + dt.timedelta(hours=6 * n),
            language="ru" if n % 4 == 0 else "en",
            text=f"Report {n}. {BODY}",
            content_hash=f"{n:064x}",
        )
        for n in range(first, first + count)
    )
    Mention.objects.bulk_create(
        Mention(article=article, kind=MentionKind.MISSION, mission=missions[n % len(missions)], evidence="It flew.")
        for n, article in enumerate(articles, start=first)
        if n % 3
    )
    proposals = ProposedUpdate.objects.bulk_create(
        ProposedUpdate(
            kind=ProposalKind.AGREEMENT, summary=f"Agreement note {n}", fact_key=f"agreement|scale|{n}", confidence=0.5
        )
        for n in range(first, first + count, 50)
    )
    ProposalEvidence.objects.bulk_create(
        ProposalEvidence(proposal=proposal, article=articles[index * 50], sentence="It was extended.", confidence=0.5)
        for index, proposal in enumerate(proposals)
    )


def queries_of(client, url: str, **params) -> int:
    """Queries one uncached request to `url` costs (the page cache is cleared first)."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


LISTS = [
    ("/news/", {}),
    ("/news/", {"page": "5"}),
    ("/news/", {"mission": "soyuz-ms-22", "linked": "on"}),
    ("/api/articles", {}),
    ("/api/articles", {"offset": "100", "limit": "50"}),
    ("/api/articles", {"mission": "soyuz-ms-22"}),
    ("/api/articles", {"published_after": "2023-01-10", "published_before": "2023-02-10"}),
    ("/feeds/news.atom", {}),
    ("/", {}),
]
ADMIN_LISTS = [
    ("/admin/news/article/", {}),
    ("/admin/news/article/", {"q": "report 1"}),
    ("/admin/news/article/", {"language": "ru", "p": "2"}),
    ("/admin/news/proposedupdate/", {}),
    ("/admin/news/proposedupdate/", {"q": "note"}),
]


@pytest.mark.django_db
def test_every_list_costs_the_same_queries_at_two_hundred_and_at_two_thousand_articles(client, editor_client):
    add_articles(200)
    editor_client.get("/admin/")  # the session and content types, loaded once
    few = {(url, str(params)): queries_of(client, url, **params) for url, params in LISTS}
    few |= {(url, str(params)): queries_of(editor_client, url, **params) for url, params in ADMIN_LISTS}
    add_articles(1800, first=200)
    many = {(url, str(params)): queries_of(client, url, **params) for url, params in LISTS}
    many |= {(url, str(params)): queries_of(editor_client, url, **params) for url, params in ADMIN_LISTS}
    assert many == few


@pytest.mark.django_db
def test_the_news_page_counts_up_to_a_thousand_and_then_says_more(client):
    add_articles(1200)
    html = client.get("/news/").content.decode()
    assert "1,000+ articles" in html and "Page 1 of" not in html and 'href="?page=2"' in html
    # Past the pages counted, the next is still offered: the count reaches one past the page.
    html = client.get("/news/", {"page": "50"}).content.decode()
    assert "Station report" in html and 'href="?page=51"' in html
    last = client.get("/news/", {"page": "60"}).content.decode()
    assert "1,200 articles" in last and 'href="?page=61"' not in last


@pytest.mark.django_db
def test_a_deep_page_is_the_same_articles_as_an_offset_over_the_whole_list(client):
    add_articles(300)
    every = list(Article.objects.order_by(*Article._meta.ordering).values_list("title", flat=True))
    page = client.get("/api/articles", {"offset": "200", "limit": "30"}).json()
    assert [item["title"] for item in page["items"]] == every[200:230]
    assert page["count"] == 300 and page["count_is_exact"] is True


@pytest.mark.django_db
def test_the_api_count_is_a_lower_bound_past_a_thousand_and_next_stays_exact(client):
    add_articles(1100)
    first = client.get("/api/articles").json()
    assert (first["count"], first["count_is_exact"]) == (1000, False) and first["next"]
    last = client.get("/api/articles", {"offset": "1090", "limit": "50"}).json()
    assert (last["count"], last["count_is_exact"], last["next"]) == (1100, True, None)


@pytest.mark.django_db
def test_the_api_date_range_is_whole_utc_days(client):
    add_articles(40)
    page = client.get("/api/articles", {"published_after": "2023-01-02", "published_before": "2023-01-02"}).json()
    assert [item["title"] for item in page["items"]] == [f"Station report {n}" for n in (7, 6, 5, 4)]


# --- the plans -----------------------------------------------------------------------------


def sorts_of_everything(plan: dict) -> list[dict]:
    """Sort nodes with no Limit beneath them: those sort every row their input gives (a
    Sort above a Limit, such as re-ordering the twenty rows of a page, is fine)."""

    def has_limit(node) -> bool:
        return node["Node Type"] == "Limit" or any(has_limit(child) for child in node.get("Plans", []))

    def walk(node):
        if node["Node Type"] in ("Sort", "Incremental Sort") and not has_limit(node):
            yield node
        for child in node.get("Plans", []):
            yield from walk(child)

    return list(walk(plan))


def scans_of_the_article_table(plan: dict) -> bool:
    if plan["Node Type"] == "Seq Scan" and plan.get("Relation Name") == "news_article":
        return True
    return any(scans_of_the_article_table(child) for child in plan.get("Plans", []))


def pg_plan(queryset) -> dict:
    return json.loads(queryset.explain(format="json"))[0]["Plan"]


def paged_lists():
    """(list, start, stop) for each paged list of articles."""
    mission = Mission.objects.filter(mentions__isnull=False).first()
    in_summer = ArticleFilters(published_after=dt.date(2023, 6, 1), published_before=dt.date(2023, 9, 1))
    return {
        "news page 1": (articles_for_news_page(), 0, 20),
        "news page 26": (articles_for_news_page(), 500, 520),
        "news page of a mission": (articles_for_news_page(mission=mission), 200, 220),
        "api offset 500": (api_articles(), 500, 550),
        "api date range": (filter_articles(api_articles(), in_summer), 0, 50),
    }


def article_lists():
    pages = {name: rows_between(*paged) for name, paged in paged_lists().items()}
    return {**pages, "atom feed": linked_articles(), "dashboard": latest_linked_articles()}


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_no_list_sorts_the_article_table_and_the_pages_read_the_newest_index(record):  # noqa: F811
    # Committed and vacuumed, as autovacuum leaves a table in production: the planner's
    # statistics and visibility map are what a deployment's are (VACUUM cannot run inside
    # a test's transaction, hence transaction=True and the record put back by `record`).
    add_articles(5000)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE news_article")
        cursor.execute("VACUUM ANALYZE news_mention")
    for name, queryset in article_lists().items():
        plan = pg_plan(queryset)
        assert not scans_of_the_article_table(plan), f"{name}: {json.dumps(plan)}"
        if "mission" in name:
            continue  # one mission's articles may be found by its mentions and sorted: a few of them
        assert sorts_of_everything(plan) == [], f"{name}: {json.dumps(plan)}"
        if name.startswith(("news page", "api")):
            assert "news_article_newest_idx" in json.dumps(plan), f"{name}: {json.dumps(plan)}"
    # A capped count reads at most its cap.
    count_plan = json.dumps(pg_plan(Article.objects.order_by().values("pk")[:1001]))
    assert '"Node Type": "Limit"' in count_plan and count_up_to(Article.objects.all(), 1001) == 1001


@pytest.mark.django_db
def test_on_sqlite_the_page_keys_are_read_off_the_newest_index_without_a_sort():
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL plans have their own test")
    add_articles(300)
    for name in ("news page 26", "api offset 500", "api date range"):
        articles, start, stop = paged_lists()[name]
        plan = articles.values("pk")[start:stop].explain()  # the page's keys (rows_between)
        assert "news_article_newest_idx" in plan and "TEMP B-TREE" not in plan, f"{name}: {plan}"


@pytest.mark.django_db
def test_the_page_keys_are_in_the_lists_order_with_ties_broken_by_id():
    add_articles(30)
    Article.objects.update(published_at=timezone.now())
    keys = list(rows_between(articles_for_news_page(), 0, 30).values_list("pk", flat=True))
    assert keys == sorted(keys, reverse=True)
