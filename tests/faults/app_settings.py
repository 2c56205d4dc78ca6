"""Settings for the app processes a fault scenario starts (gunicorn, Celery worker and beat).

The production settings (DEBUG off, the environment gives DATABASE_URL, REDIS_URL and the
Celery timeouts), changed only where a throwaway loopback deployment must differ:
"""

import os

from tracker.settings import *  # noqa: F403

# Plain HTTP on loopback, no TLS proxy in front: cookies marked Secure would never be sent back,
# so the logged-in editor could not stay logged in.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# No collectstatic for a server that lives a minute: the manifest storage would fail every
# {% static %} tag without it. What is measured is the pages' status codes, not their assets.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)

# Beat's dispatch of due sources runs every minute in production; a scenario that waits for
# ingestion to resume after an outage sets a shorter period, so it waits seconds, not a minute.
_dispatch_seconds = float(os.environ.get("FAULTS_DISPATCH_SECONDS", "60"))
CELERY_BEAT_SCHEDULE["dispatch-due-news-sources"].update(  # noqa: F405
    schedule=_dispatch_seconds, options={"expires": _dispatch_seconds * 0.8}
)

# A task that only sleeps (tasks.py), for the scenario that needs a task to end at a set moment.
CELERY_IMPORTS = ["tests.faults.tasks"]
