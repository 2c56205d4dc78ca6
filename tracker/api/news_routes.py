"""The news endpoints: ingested articles with the record they name, and accepted updates."""

from ninja import Query, Router
from ninja.decorators import decorate_view

from . import filters, representations
from .caching import conditional_cached
from .schemas import ArticlePage, ErrorOut, UpdatePage

router = Router(tags=["news"])


@router.get("/articles", response={200: ArticlePage, 400: ErrorOut, 404: ErrorOut}, url_name="articles")
@decorate_view(conditional_cached(filters.ArticleFilters))
def list_articles(request, params: Query[filters.ArticleFilters]):
    """Ingested articles, newest first, with the missions and people each names."""
    articles = filters.filter_articles(representations.articles(), params)
    return representations.paginate(request, articles, params, lambda rows: [representations.article(r) for r in rows])


@router.get("/updates", response={200: UpdatePage, 400: ErrorOut, 404: ErrorOut}, url_name="updates")
@decorate_view(conditional_cached(filters.UpdateFilters))
def list_updates(request, params: Query[filters.UpdateFilters]):
    """Changes to the record that editors accepted from the news, newest first, with the
    articles (and sentences) that reported them."""
    updates = filters.filter_updates(representations.accepted_updates(), params)
    return representations.paginate(request, updates, params, lambda rows: [representations.update(r) for r in rows])
