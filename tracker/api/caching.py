"""Cached, conditional API responses: ETag, Last-Modified and 304 Not Modified.

A response is cached per record version (like the public pages, see
tracker/record/page_cache.py) for PAGE_CACHE_SECONDS, keyed by the path, the language of its
human-readable fields (`?lang=`, else Accept-Language; see language.py) and only the query
parameters the operation reads, in a canonical order: `?b=1&a=2`, `?a=2&b=1` and
`?a=2&b=1&junk=x` share one entry, so random parameters cannot bypass the cache.

ETag is a hash of the body, so it is right even for figures that move with the clock
(days aboard, stale flags). Last-Modified is when this exact body was first served for
this URL: the API's figures are computed, not stored, so no row's timestamp would say when
a representation changed. Each new body for a URL gets a Last-Modified strictly later than
the one before, so a client's If-Modified-Since never matches a newer body.
"""

import functools
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, urlencode

from tracker.record.version import record_version

from .language import requested_language, words_in

# How long the "first served at" of a URL's current body is remembered. After that the next
# request gets a new, later Last-Modified: a needless download, never a wrong 304.
LAST_MODIFIED_MEMORY = 7 * 24 * 3600


def _identity(request, params: frozenset[str], language: str) -> str:
    query = sorted((name, value) for name, values in request.GET.lists() if name in params for value in values)
    # Scheme and host too: bodies carry absolute links back to this site. The language too:
    # the human-readable fields are in it, so one language's body is never the other's.
    url = f"{request.build_absolute_uri(request.path)}?{urlencode(query)}"
    return hashlib.sha256(f"{url}|{language}".encode()).hexdigest()


def _last_modified(identity: str, etag: str) -> int:
    key = f"api:last-modified:{identity}"
    remembered = cache.get(key)
    if remembered and remembered[0] == etag:
        return remembered[1]
    now = math.ceil(time.time())
    last_modified = max(now, remembered[1] + 1) if remembered else now
    cache.set(key, (etag, last_modified), LAST_MODIFIED_MEMORY)
    return last_modified


def _with_validators(
    response: HttpResponse, etag: str, last_modified: int, max_age: int, language: str
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Content-Language"] = language
    patch_cache_control(response, public=True, max_age=max_age)
    # Without ?lang=, the words follow Accept-Language (LocaleMiddleware: or the language cookie).
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def conditional_cached(*params_schemas):
    """Decorate a ninja operation (via ninja.decorators.decorate_view) whose query parameters
    are the fields of `params_schemas`."""
    params = frozenset(name for schema in params_schemas for name in schema.model_fields)

    def decorator(run):
        @functools.wraps(run)
        def wrapper(request, *args, **kwargs):
            language = requested_language(request)
            if request.method not in ("GET", "HEAD"):
                with words_in(language):
                    return run(request, *args, **kwargs)
            timeout = settings.PAGE_CACHE_SECONDS
            identity = _identity(request, params, language)
            key = f"api:{record_version()}:{identity}"
            entry = cache.get(key) if timeout else None
            if entry is None:
                with words_in(language):
                    response = run(request, *args, **kwargs)
                if response.status_code != 200:
                    patch_vary_headers(response, ["Accept-Language", "Cookie"])
                    return response
                etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
                entry = (response.content, response["Content-Type"], etag, _last_modified(identity, etag))
                if timeout:
                    cache.set(key, entry, timeout)
            content, content_type, etag, last_modified = entry
            not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
            if not_modified is not None:
                return _with_validators(not_modified, etag, last_modified, timeout, language)
            response = HttpResponse(content, content_type=content_type)
            return _with_validators(response, etag, last_modified, timeout, language)

        return wrapper

    return decorator
