from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from tracker.api.api import api


def healthz(request):
    """Liveness for load balancers: answers without touching the database or Redis."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon. Not a
    permanent redirect: the target's name carries a hash that changes with the icon."""
    response = HttpResponseRedirect(static("record/favicon.svg"))
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", api.urls),
    path("feeds/", include("tracker.feeds.urls")),
    path("search/", include("tracker.search.urls")),
    path("news/", include("tracker.news.urls")),
    path("", include("tracker.record.urls")),
]
