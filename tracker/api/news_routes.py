"""The news endpoints: ingested articles with the record they name, and the record's changes."""

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.decorators import decorate_view

from . import filters, representations
from .caching import conditional_cached
from .language import reader_words
from .schemas import ArticlePage, ErrorOut, UpdatePage

router = Router(tags=["news"])


@router.get(
    "/articles",
    response={200: ArticlePage, 400: ErrorOut, 404: ErrorOut},
    url_name="articles",
    summary=_("List Articles"),
    description=_("Ingested articles, newest first, with the missions and people each names."),
)
@decorate_view(conditional_cached(filters.ArticleFilters))
def list_articles(request, params: Query[filters.ArticleFilters]):
    articles = filters.filter_articles(representations.articles(), params)
    return representations.paginate(request, articles, params, lambda rows: [representations.article(r) for r in rows])


@router.get(
    "/updates",
    response={200: UpdatePage, 400: ErrorOut, 404: ErrorOut},
    url_name="updates",
    summary=_("List Updates"),
    description=_(
        "Every change to the record's facts, newest first: editors' edits in the admin and\nproposals accepted from the news, each with who, when, old → new, why, and (for\nproposals) the articles and sentences that reported it. The same list as\n/feeds/updates.atom."
    ),
)
@decorate_view(conditional_cached(filters.UpdateFilters))
def list_updates(request, params: Query[filters.UpdateFilters]):
    # An update is told in words (summary, by, reason, old → new): the reader's language.
    with reader_words():
        updates = filters.update_changes(params)
        return representations.paginate(
            request, updates, params, lambda rows: [representations.update(request, r) for r in rows]
        )
