"""The news as other pages show it, each read named for its consumer and built from
ArticleQuerySet's steps (tracker/news/models.py), which the feeds, the API and search use too."""

from django.db.models import Count, Q

from tracker.record.models import Mission

from .models import Article


def latest_linked_articles(limit: int = 6, *, mission=None):
    """The newest articles that mention a mission (or the given one), each with its missions:
    the dashboard's and a mission page's news panel (templatetags/news_tags.py)."""
    return Article.objects.naming_a_mission(mission).with_missions().newest_first()[:limit]


def articles_for_news_page(*, mission: Mission | None = None, linked_only: bool = False):
    """Every article (or those naming `mission`, or any mission), newest first, with its
    missions and the start of its text as `text_start`."""
    articles = Article.objects.all()
    if mission is not None or linked_only:
        articles = articles.naming_a_mission(mission)
    return articles.with_missions().with_text_start().newest_first()


def missions_with_article_counts(*, include_slug: str | None = None):
    """Missions that some article names, each with `article_count`, in the record's order;
    plus the mission `include_slug` even when no article names it (a filter may ask for it)."""
    missions = Mission.objects.annotate(article_count=Count("mentions"))
    keep = Q(article_count__gt=0)
    if include_slug:
        keep |= Q(slug=include_slug)
    return missions.filter(keep)
