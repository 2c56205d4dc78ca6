"""Whole-response caching for the public pages, invalidated by any change to the record.

Every page is keyed by the record's version, which any save or delete of a record row
bumps (see apps.py). So a cached page is served until either its time runs out (the
"now"-dependent figures such as days aboard move on) or an editor changes anything.

The version is read from the shared cache on every request, so a save anywhere is seen at
once by every process. The page bodies themselves (the dashboard runs to hundreds of KiB)
are also kept in each process for the current version, so a hot page is not copied out of
Redis and unpickled on every request (see bench/dashboard.py and docs/benchmarks.md).
"""

import functools
import gzip
import hashlib
import threading
import time
import uuid
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

VERSION_KEY = "record:version"
THEME_COOKIE = "theme"


def record_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh cache (restart, eviction) starts a new version: never an old page.
        version = _fresh_version()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return str(version)


def _fresh_version() -> str:
    # Not the clock alone: two versions made at the same instant (a frozen test clock, two
    # processes) must still differ, or a page of the older record would pass for current.
    return uuid.uuid4().hex


def _new_version() -> None:
    cache.set(VERSION_KEY, _fresh_version(), timeout=None)


def bump_record_version(**kwargs) -> None:
    _new_version()
    # Inside a transaction (the admin's save, the reference loader) other connections do not
    # see the change until COMMIT: a page rendered in between would be cached under the new
    # version with the old data. So the version moves on again once the change is visible.
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(_new_version, using=using)


# Page bodies this process served, for the version it last saw: key -> (expires, content,
# gzipped content, content type), least recently used first, at most LOCAL_MAX_BYTES.
LOCAL_MAX_BYTES = 32 * 1024 * 1024
_local: OrderedDict[str, tuple[float, bytes, bytes, str]] = OrderedDict()
_local_state = {"version": None, "bytes": 0}
_local_lock = threading.Lock()


def _local_get(key: str) -> tuple[bytes, bytes, str] | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry[0] <= time.time():
            del _local[key]
            _local_state["bytes"] -= len(entry[1]) + len(entry[2])
            return None
        _local.move_to_end(key)
        return entry[1], entry[2], entry[3]


def _local_put(key: str, expires: float, content: bytes, compressed: bytes, content_type: str) -> None:
    version = key.split(":", 2)[1]
    with _local_lock:
        if version != _local_state["version"]:  # the record changed: drop every older page
            _local.clear()
            _local_state.update(version=version, bytes=0)
        if key in _local or len(content) > LOCAL_MAX_BYTES // 4:
            return
        _local[key] = (expires, content, compressed, content_type)
        _local_state["bytes"] += len(content) + len(compressed)
        while _local_state["bytes"] > LOCAL_MAX_BYTES:
            _, dropped = _local.popitem(last=False)
            _local_state["bytes"] -= len(dropped[1]) + len(dropped[2])


def _key(request) -> str:
    target = request.headers.get("HX-Target", "") if request.headers.get("HX-Request") else ""
    theme = request.COOKIES.get(THEME_COOKIE, "")
    raw = f"{request.get_full_path()}|{target}|{theme}"
    return f"page:{record_version()}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _stored(key: str) -> tuple[bytes, bytes, str] | None:
    stored = _local_get(key)
    if stored is None and (shared := cache.get(key)) is not None and len(shared) == 4:
        content, compressed, content_type, expires = shared
        _local_put(key, expires, content, compressed, content_type)
        stored = content, compressed, content_type
    return stored


def _store(key: str, response, timeout: int) -> tuple[bytes, bytes, str]:
    # Compressed once per page and version, not per request: a browser gets a few dozen
    # KiB instead of the whole dashboard, and the server spends no CPU on it again.
    compressed = gzip.compress(response.content, compresslevel=6, mtime=0)
    expires = time.time() + timeout
    cache.set(key, (response.content, compressed, response["Content-Type"], expires), timeout)
    _local_put(key, expires, response.content, compressed, response["Content-Type"])
    return response.content, compressed, response["Content-Type"]


def cached_public_page(view):
    """Cache a public GET view's 200 responses (full page and htmx fragments alike),
    served gzipped to clients that accept it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        timeout = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not timeout:
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = _stored(key)
        if stored is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render"):
                response.render()
            stored = _store(key, response, timeout)
        content, compressed, content_type = stored
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response = HttpResponse(compressed, content_type=content_type)
            response["Content-Encoding"] = "gzip"
        else:
            response = HttpResponse(content, content_type=content_type)
        # Fragments and full pages share URLs, the theme comes from a cookie, and the body
        # may be compressed.
        patch_vary_headers(response, ["HX-Request", "HX-Target", "Cookie", "Accept-Encoding"])
        patch_cache_control(response, public=True, max_age=timeout)
        return response

    return wrapper
