"""Read-side queries other pages use to show the news."""

from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Substr

from tracker.record.models import Mission

from .models import Article, Mention

# Undated articles last on both databases (PostgreSQL would put NULLs first when descending).
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), "-pk")
# The news page shows a short lead of each article: read only this much of its text.
LEAD_CHARS = 600
# The news page's mission filter counts each mission's articles up to this many ("100+").
ARTICLE_COUNT_CAP = 100


class CappedCount(Subquery):
    """COUNT(*) of a correlated subquery that is already sliced (`[:n]`): it reads at most
    n rows, where a plain COUNT reads them all."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"
    output_field = IntegerField()


def with_mission_links(articles):
    """`articles` with their source and, as `mission_mentions`, the missions each names."""
    mission_mentions = Mention.objects.filter(mission__isnull=False).select_related("mission").order_by("mission__name")
    return articles.select_related("source").prefetch_related(
        Prefetch("mentions", queryset=mission_mentions, to_attr="mission_mentions")
    )


def _names_a_mission(mission=None) -> Exists:
    linked = Mention.objects.filter(article=OuterRef("pk"), mission__isnull=False)
    if mission is not None:
        linked = linked.filter(mission=mission)
    return Exists(linked)


def latest_linked_articles(limit: int = 6, *, mission=None):
    """The newest articles that mention a mission (or the given one), each with its missions."""
    return with_mission_links(Article.objects.filter(_names_a_mission(mission))).order_by(*NEWEST_FIRST)[:limit]


def articles_for_news_page(*, mission: Mission | None = None, linked_only: bool = False):
    """Every article (or those naming `mission`, or any mission), newest first, with its
    missions and the first LEAD_CHARS of its text as `text_start` (the text itself, which
    may be long, and its search copy are not read)."""
    articles = Article.objects.all()
    if mission is not None or linked_only:
        articles = articles.filter(_names_a_mission(mission))
    return (
        with_mission_links(articles)
        .defer("text", "search_text")
        .annotate(text_start=Substr("text", 1, LEAD_CHARS))
        .order_by(*NEWEST_FIRST)
    )


def missions_with_article_counts(*, include_slug: str | None = None):
    """Missions that some article names, each with `article_count`, in the record's order;
    plus the mission `include_slug` even when no article names it (a filter may ask for it).
    The count stops at ARTICLE_COUNT_CAP + 1 (shown as "100+"): each is read off the
    mentions' mission index, and a full count would read every mention on every request."""
    mentions = Mention.objects.filter(mission=OuterRef("pk"))
    keep = Exists(mentions)
    if include_slug:
        keep |= Q(slug=include_slug)
    first_ones = mentions.order_by().values("pk")[: ARTICLE_COUNT_CAP + 1]
    return Mission.objects.filter(keep).annotate(article_count=CappedCount(first_ones))
