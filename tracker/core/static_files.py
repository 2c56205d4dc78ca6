"""Collect the static files only when they changed: `bin/run` starts in seconds, not minutes.

With DEBUG off the pages name hashed, compressed copies that collectstatic makes (whitenoise's
manifest storage); making them takes a minute or more, every time, whether or not a file
changed. So runstack keeps a fingerprint of the sources (every file the finders see, by path,
size and modification time) beside the collected files, and runs collectstatic when it differs.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STAMP = ".sources.sha256"


def sources_fingerprint() -> str:
    digest = hashlib.sha256(settings.STATIC_URL.encode())
    seen = set()
    for finder in finders.get_finders():
        for relative, storage in finder.list(ignore_patterns=None):
            if relative in seen:  # the first finder's copy is the one collected
                continue
            seen.add(relative)
            stat = Path(storage.path(relative)).stat()
            digest.update(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _stamp() -> Path:
    return Path(settings.STATIC_ROOT) / STAMP


def collected_files_are_current(fingerprint: str) -> bool:
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    try:
        return manifest.exists() and _stamp().read_text().strip() == fingerprint
    except FileNotFoundError:
        return False


def record_collected(fingerprint: str) -> None:
    _stamp().write_text(fingerprint + "\n")
