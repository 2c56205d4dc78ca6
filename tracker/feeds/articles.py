"""Articles for the news feed: those linked to a mission, newest first, read lightly."""

from tracker.news.models import Article
from tracker.record.models import Mission

NEWS_LIMIT = 50


def linked_articles(*, mission: Mission | None = None, limit: int = NEWS_LIMIT):
    """The newest articles naming a mission (or `mission`), each with `mission_mentions`
    (the missions it names, by name) and `text_start`; undated articles last."""
    return Article.objects.naming_a_mission(mission).with_missions().with_text_start().newest_first()[:limit]
