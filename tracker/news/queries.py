"""Read-side queries other pages use to show the news."""

from django.db.models import Exists, OuterRef, Prefetch

from .models import Article, Mention


def latest_linked_articles(limit: int = 6, *, mission=None):
    """The newest articles that mention a mission (or the given one), each with its missions."""
    linked = Mention.objects.filter(article=OuterRef("pk"), mission__isnull=False)
    if mission is not None:
        linked = linked.filter(mission=mission)
    mission_mentions = Mention.objects.filter(mission__isnull=False).select_related("mission").order_by("mission__name")
    return (
        Article.objects.filter(Exists(linked))
        .select_related("source")
        .prefetch_related(Prefetch("mentions", queryset=mission_mentions, to_attr="mission_mentions"))
        .order_by("-published_at", "-pk")[:limit]
    )
