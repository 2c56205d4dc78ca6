"""The record's version: a token that changes whenever anything in the record changes.

Any save or delete of a record row bumps it (apps.py connects the signals). Whatever is
derived from the record and kept — whole pages (page_cache.py), API answers, the names the
news extractor links and the record search finds — is keyed by it, so a change is seen at
once by every process, with no list of what to invalidate. It lives in the shared cache
(Redis in production), so all web and worker processes agree on it.

`per_record_version` keeps a value derived from the record in the process for as long as
the version stands (the expeditions, the extractor's names, the searchable record)."""

import functools
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction

VERSION_KEY = "record:version"

T = TypeVar("T")


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


def per_record_version(build: Callable[[], T] | None = None, /, *, also_by: Callable[[], Hashable] | None = None):
    """`build()` run once per record version and kept in the process: calls while the version
    stands share its value; the first call after a change builds again and drops the values of
    older versions. `also_by` adds a part to the key (the active language, for values written
    in the reader's language), each kept while the version stands. One build at a time: threads
    that ask meanwhile wait for it rather than build the same thing again."""
    if build is None:
        return functools.partial(per_record_version, also_by=also_by)
    lock = threading.Lock()
    kept: dict[Hashable, T] = {}
    kept_version: str | None = None

    @functools.wraps(build)
    def current() -> T:
        nonlocal kept_version
        version = record_version()
        key = also_by() if also_by else None
        with lock:
            if version != kept_version:
                kept.clear()
                kept_version = version
            if key not in kept:
                kept[key] = build()
            return kept[key]

    return current
