"""Articles for a search: the database's full-text index picks and ranks them
(tracker/search/fulltext.py), then one query reads the page of them with their missions.

A search costs the same three queries at a thousand articles or a hundred thousand: the
ranked ids with the total, the articles, and their mission links."""

from tracker.news.models import Article
from tracker.news.queries import with_mission_links

from .fulltext import Named, ranked_article_ids
from .query import SearchQuery


def ranked_articles(query: SearchQuery, limit: int, named: Named | None = None) -> tuple[list[Article], int]:
    """The best `limit` articles for the query, with their linked missions, and how many match in all.

    `named`: the record's entries the query names; the articles that mention them match too."""
    ids, total = ranked_article_ids(query, named or Named(), limit)
    if not ids:
        return [], total
    articles = with_mission_links(Article.objects.filter(pk__in=ids)).defer("search_text").in_bulk()
    return [articles[pk] for pk in ids if pk in articles], total
