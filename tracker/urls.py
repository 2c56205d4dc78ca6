from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path

from tracker.api.api import api


def healthz(request):
    """Liveness for load balancers: answers without touching the database or Redis."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("feeds/", include("tracker.feeds.urls")),
    path("search/", include("tracker.search.urls")),
    path("news/", include("tracker.news.urls")),
    path("", include("tracker.record.urls")),
]
