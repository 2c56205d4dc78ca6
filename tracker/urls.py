from django.contrib import admin
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

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
    # The header's language switch posts here (a plain form, so it works without JavaScript).
    # Exempt from CSRF: the public pages are cached whole and shared by every reader, so they
    # cannot carry a per-reader token, and all a forged post could do is pick a language.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("api/", api.urls),
    path("feeds/", include("tracker.feeds.urls")),
    path("search/", include("tracker.search.urls")),
    path("news/", include("tracker.news.urls")),
    path("", include("tracker.record.urls")),
]
