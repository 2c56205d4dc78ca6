"""The search page and its htmx partials.

One view: a plain request gets the full results page; an htmx request gets the partial
its HX-Target names — the header box's dropdown (a few results per kind) or, from the
search page itself, the page's results region."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from .query import MIN_LENGTH, parse_query
from .results import search

# Results per kind: a dropdown stays short; the page shows more, and says when there are more still.
SUGGESTION_LIMIT = 5
PAGE_LIMIT = 50
PAGE_PARTIAL = "search-results"
DROPDOWN_PARTIAL = "search-suggestions"


@require_GET
def results_view(request):
    query = parse_query(request.GET.get("q", ""))
    partial = None
    if request.htmx:
        partial = PAGE_PARTIAL if request.htmx.target == PAGE_PARTIAL else DROPDOWN_PARTIAL
    limit = SUGGESTION_LIMIT if partial == DROPDOWN_PARTIAL else PAGE_LIMIT
    context = {
        "query": query,
        "results": None if query.too_short else search(query, limit=limit),
        "min_length": MIN_LENGTH,
    }
    template = "search/results.html" + (f"#{partial}" if partial else "")
    response = render(request, template, context)
    # The same URL answers with a page or either fragment.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
