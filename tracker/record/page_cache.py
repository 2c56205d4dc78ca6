"""Whole-response caching for the public pages, invalidated by any change to the record.

Every page is keyed by the record's version (version.py), which any save or delete of a
record row bumps (see apps.py). So a cached page is served until either its time runs out (the
"now"-dependent figures such as days aboard move on) or an editor changes anything.

The version is read from the shared cache on every request, so a save anywhere is seen at
once by every process. The page bodies themselves (the dashboard runs to hundreds of KiB)
are also kept in each process for the current version, so a hot page is not copied out of
Redis and unpickled on every request (see bench/dashboard.py and docs/benchmarks.md).
"""

import contextlib
import functools
import gzip
import hashlib
import random
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from tracker.lib.theme import THEME_COOKIE

from .version import record_version

# A page is fresh for PAGE_CACHE_SECONDS (less a random part of up to PAGE_JITTER of it, so
# pages cached together do not all expire together), then kept as long again as a stale copy:
# one request re-renders it while concurrent ones are answered with the stale copy (the record
# version is part of the key, so a stale page never hides an editor's change; only the
# "now"-dependent figures are older by the few hundred ms of the render). A page that is
# missing altogether (a new record version, or never rendered) is rendered by one request at
# a time, the others waiting for it: without this single flight, every request that came in
# while the dashboard was rendering rendered it too, and p95 went up to the render time times
# the number of pages rendered at once (docs/reliability.md, "Load").
PAGE_JITTER = 0.15
RENDER_LOCK_SECONDS = 30  # a renderer that died: the next request takes over after this
RENDER_WAIT_SECONDS = 5  # then a waiting request renders the page itself
RENDER_POLL_SECONDS = 0.02


class CachedPage(NamedTuple):
    content: bytes
    compressed: bytes
    content_type: str
    fresh_until: float

    @property
    def fresh(self) -> bool:
        return self.fresh_until > time.time()


# Page bodies this process served, for the version it last saw: key -> CachedPage, least recently
# used first, at most LOCAL_MAX_BYTES; each dropped once its stale copy would be.
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_state = {"version": None, "bytes": 0}
_local_lock = threading.Lock()


def _kept_until(page: CachedPage) -> float:
    return page.fresh_until + settings.PAGE_CACHE_SECONDS


def _local_get(key: str) -> CachedPage | None:
    with _local_lock:
        page = _local.get(key)
        if page is None:
            return None
        if _kept_until(page) <= time.time():
            del _local[key]
            _local_state["bytes"] -= len(page.content) + len(page.compressed)
            return None
        _local.move_to_end(key)
        return page


def _local_put(key: str, page: CachedPage) -> None:
    version = key.split(":", 2)[1]
    with _local_lock:
        if version != _local_state["version"]:  # the record changed: drop every older page
            _local.clear()
            _local_state.update(version=version, bytes=0)
        if len(page.content) > LOCAL_MAX_BYTES // 4:
            return
        if (old := _local.pop(key, None)) is not None:  # a stale copy, re-rendered
            _local_state["bytes"] -= len(old.content) + len(old.compressed)
        _local[key] = page
        _local_state["bytes"] += len(page.content) + len(page.compressed)
        while _local_state["bytes"] > LOCAL_MAX_BYTES:
            _, dropped = _local.popitem(last=False)
            _local_state["bytes"] -= len(dropped.content) + len(dropped.compressed)


def _key(request) -> str:
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    # The language LocaleMiddleware chose (cookie, else Accept-Language): one page per
    # language, so a reader is never served the other language's copy.
    language = translation.get_language() or ""
    # Scheme and host too: feeds and calendars carry absolute links back to this site.
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{target}|{theme}|{language}"
    return f"page:{record_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _stored(key: str) -> CachedPage | None:
    """This process's copy if it has one and it is fresh, else the shared cache's (which
    another process may have refreshed), else the stale local copy."""
    local = _local_get(key)
    if local is not None and local.fresh:
        return local
    shared = cache.get(key)
    if shared is not None and len(shared) == 4 and (local is None or shared[3] > local.fresh_until):
        page = CachedPage(*shared)
        _local_put(key, page)
        return page
    return local


def _keep(key: str, response, timeout: int) -> CachedPage:
    # Compressed once per page and version, not per request: a browser gets a few dozen
    # KiB instead of the whole dashboard, and the server spends no CPU on it again.
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    lifetime = timeout * (1 - random.uniform(0, PAGE_JITTER))
    page = CachedPage(response.content, compressed, response["Content-Type"], time.time() + lifetime)
    cache.set(key, tuple(page), int(lifetime + timeout) + 1)
    _local_put(key, page)
    return page


def _claim(lock: str) -> bool:
    try:
        return cache.add(lock, 1, timeout=RENDER_LOCK_SECONDS)
    except Exception:  # a cache that cannot take a lock must not stop the page: render it
        return True


def _held(lock: str) -> bool:
    try:
        return cache.get(lock) is not None
    except Exception:
        return False


def _release(lock: str) -> None:
    with contextlib.suppress(Exception):
        cache.delete(lock)


def _render_once(key: str, stale: CachedPage | None, render):
    """The page for `key` rendered by one request at a time (see RENDER_LOCK_SECONDS): the
    request that takes the lock renders; the others get `stale` if there is one, or wait for
    the page (and render it themselves if the renderer stored none: a 404, an error)."""
    lock = f"{key}:rendering"
    if _claim(lock):
        try:
            return render()
        finally:
            _release(lock)
    if stale is not None:
        return stale
    deadline = time.monotonic() + RENDER_WAIT_SECONDS
    while True:
        page = _stored(key)
        if page is not None:
            return page
        # Nobody holds the lock (any more; or a cache that is down holds nothing): render.
        if not _held(lock) or time.monotonic() >= deadline:
            return render()
        time.sleep(RENDER_POLL_SECONDS)


def _keep_only(request, names: tuple[str, ...]) -> None:
    """Narrow the request's query string to `names`, in that order, without empty values."""
    kept = QueryDict(mutable=True)
    for name in names:
        values = [value for value in request.GET.getlist(name) if value != ""]
        if values:
            kept.setlist(name, values)
    request.META["QUERY_STRING"] = kept.urlencode()
    request.GET = QueryDict(request.META["QUERY_STRING"])


def cached_public_page(view=None, *, query: tuple[str, ...] | None = None):
    """Cache a public GET view's 200 responses (full page and htmx fragments alike),
    served gzipped to clients that accept it.

    `query` names the GET parameters the view reads (`@cached_public_page(query=("page",))`;
    `query=()` for none). The view then sees, and the page is cached under, only those, in
    that order, an empty value counting as none: `/?utm_source=x&b=1` is the cached `/`, so
    made-up parameters cannot turn every request into a render, and what a page builds from
    the request (`{% querystring %}`, `get_full_path`) carries no stray parameter into the
    cache. The values of the named parameters still key the page. Without `query`, the whole
    query string is part of the key: safe for a view that has not said what it reads.
    """
    if view is None:
        return functools.partial(cached_public_page, query=query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if request.method in ("GET", "HEAD") and query is not None:
            _keep_only(request, query)
        if request.method not in ("GET", "HEAD") or not timeout:
            return view(request, *args, **kwargs)
        key = _key(request)

        def render():
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render"):
                response.render()
            return _keep(key, response, timeout)

        page = _stored(key)
        if page is None or not page.fresh:
            page = _render_once(key, page, render)
            if not isinstance(page, CachedPage):
                return page  # not a page to cache: the view's own response
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(page.compressed, content_type=page.content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(page.content, content_type=page.content_type)
        # Fragments and full pages share URLs, the theme and language come from cookies, the
        # language else from Accept-Language, and the body may be compressed.
        patch_vary_headers(response, ["HX-Request", "HX-Target", "Cookie", "Accept-Language", "Accept-Encoding"])
        patch_cache_control(response, public=True, max_age=timeout)
        return response

    return wrapper
