"""Whole-response caching for the public pages, invalidated by any change to the record.

Every page is keyed by the record's version, which any save or delete of a record row
bumps (see apps.py). So a cached page is served until either its time runs out (the
"now"-dependent figures such as days aboard move on) or an editor changes anything.
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

VERSION_KEY = "record:version"
THEME_COOKIE = "theme"


def record_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache (restart, eviction) starts a new version: never an old page.
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def bump_record_version(**kwargs) -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def _key(request) -> str:
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    raw = f"{request.get_full_path()}|{target}|{theme}"
    return f"page:{record_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def cached_public_page(view):
    """Cache a public GET view's 200 responses (full page and htmx fragments alike)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not timeout:
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render"):
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), timeout)
        # Fragments and full pages share URLs, and the theme comes from a cookie.
        patch_vary_headers(response, ["HX-Request", "HX-Target", "Cookie"])
        patch_cache_control(response, public=True, max_age=timeout)
        return response

    return wrapper
