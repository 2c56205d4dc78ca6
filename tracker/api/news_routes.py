"""The news endpoints: ingested articles with the record they name, and the record's changes."""

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
    return representations.paginate(
        request, articles, params, lambda rows: [representations.article(r) for r in rows], bounded=True
    )


@router.get("/updates", response={200: UpdatePage, 400: ErrorOut, 404: ErrorOut}, url_name="updates")
@decorate_view(conditional_cached(filters.UpdateFilters))
def list_updates(request, params: Query[filters.UpdateFilters]):
    """Every change to the record's facts, newest first: editors' edits in the admin and
    proposals accepted from the news, each with who, when, old → new, why, and (for
    proposals) the articles and sentences that reported it. The same list as
    /feeds/updates.atom."""
    updates = filters.update_changes(params)
    return representations.paginate(
        request, updates, params, lambda rows: [representations.update(request, r) for r in rows]
    )
