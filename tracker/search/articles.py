"""Articles whose title or text holds every word of the query, matched on the folded copy
each article keeps (Article.search_text: folded title, newline, folded text).

The match is a case-sensitive LIKE on folded text on both databases: the same answer
from SQLite and PostgreSQL. It scans the articles (a LIKE '%…%' uses no index), which is
cheap at the thousands of articles a tracker like this collects; far beyond that, a
full-text or trigram index would take over here."""

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.functions import StrIndex

from tracker.news.models import NEWEST_FIRST, Article

from .query import SearchQuery

# Rank of an article, best first; then newest first.
TITLE_START, IN_TITLE, IN_TEXT, WORDS_ONLY = range(4)


def matching_articles(query: SearchQuery):
    articles = Article.objects.all()
    for word in query.words:
        articles = articles.filter(search_text__contains=word)
    return articles


def ranked_articles(query: SearchQuery, limit: int) -> tuple[list[Article], int]:
    """The best `limit` articles for the query, with their linked missions, and how many match in all."""
    articles = matching_articles(query)
    total = articles.count()
    if not total:
        return [], 0
    ranked = (
        articles.with_missions()
        .defer("search_text")
        .alias(
            position=StrIndex("search_text", Value(query.folded)),
            title_end=StrIndex("search_text", Value("\n")),
        )
        .annotate(
            match_rank=Case(
                When(position=1, then=Value(TITLE_START)),
                When(position__gt=0, position__lt=F("title_end"), then=Value(IN_TITLE)),
                When(position__gt=0, then=Value(IN_TEXT)),
                default=Value(WORDS_ONLY),
                output_field=IntegerField(),
            )
        )
        .order_by("match_rank", *NEWEST_FIRST)
    )
    return list(ranked[:limit]), total
