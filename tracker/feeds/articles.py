"""Articles for the news feed: those linked to a mission, newest first, read lightly."""

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Substr

from tracker.news.models import Article, Mention
from tracker.news.queries import NEWEST_FIRST
from tracker.record.models import Mission

NEWS_LIMIT = 50
# An entry's summary is an excerpt: read this much of each article's text, not all of it
# (a page may run to hundreds of KiB, and the feed lists fifty).
TEXT_START_CHARS = 600


def linked_articles(*, mission: Mission | None = None, limit: int = NEWS_LIMIT):
    """The newest articles naming a mission (or `mission`), each with `mission_mentions`
    (the missions it names, by name) and `text_start`; undated articles last."""
    linked = Mention.objects.filter(article=OuterRef("pk"), mission__isnull=False)
    if mission is not None:
        linked = linked.filter(mission=mission)
    mentions = Mention.objects.filter(mission__isnull=False).select_related("mission").order_by("mission__name")
    return (
        Article.objects.filter(Exists(linked))
        .select_related("source")
        .prefetch_related(Prefetch("mentions", queryset=mentions, to_attr="mission_mentions"))
        .only("pk", "url", "title", "published_at", "updated_at", "language", "source")
        .annotate(text_start=Substr("text", 1, TEXT_START_CHARS))
        .order_by(*NEWEST_FIRST)[:limit]
    )
