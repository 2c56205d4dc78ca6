"""Test settings: the real settings, pointed at the test run's own Redis database."""

import os

from tracker.settings import *  # noqa: F403

# bin/test gives each run its own Redis database number (and purges it) so that test
# tasks never reach a development worker and two runs never share a queue.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
CELERY_BROKER_URL = TEST_REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = TEST_REDIS_URL or "cache+memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Whitenoise warns at start-up about a missing STATIC_ROOT; tests never collect static files.
STATIC_ROOT = DATA_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)

# Browser tests run a live server in other threads. On SQLite's shared in-memory test
# database Django hands those threads the test's own connection, and concurrent use of one
# connection hung the suite (a request thread waiting with no end in a plain query). A file,
# with WAL and the busy timeout from settings, gives every thread its own connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
