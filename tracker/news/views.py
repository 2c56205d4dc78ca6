"""The public news page: every ingested article, newest first, filterable by mission.

Article titles and text come from outside and are shown as plain, escaped text; titles
link to the publisher only when the address is an http(s) one."""

from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from tracker.lib.excerpts import lead
from tracker.lib.paging import BoundedPaginator

from .forms import NewsFilterForm
from .queries import articles_for_news_page

PAGE_SIZE = 20
PARTIAL = "news-list"


@require_GET
def news_list_view(request):
    form = NewsFilterForm(request.GET)
    filters = form.filters()
    articles = articles_for_news_page(mission=filters.get("mission"), linked_only=filters.get("linked", False))
    page = BoundedPaginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for article in page.object_list:
        article.lead = lead(article.text_start)
    context = {"form": form, "page": page, "mission": filters.get("mission"), "filtered": bool(filters)}
    partial = request.htmx and request.htmx.target == PARTIAL
    response = render(request, f"news/list.html#{PARTIAL}" if partial else "news/list.html", context)
    # The same URL answers with the page or the list alone.
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
