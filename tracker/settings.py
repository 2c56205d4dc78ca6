"""Settings for the ISS crew rotation tracker.

One env-driven module. With no environment at all it runs on a laptop: SQLite in the
data folder, and (when `manage.py runstack` has started the private Redis) Redis for the
broker and cache. Production sets DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY,
DEBUG=false and ALLOWED_HOSTS.
"""

import datetime as dt
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_noop

from tracker.lib.env import (
    ConfigError,
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TRACKER_DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "tracker.core.admin_config.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    # Serves Swagger UI from our own static files (without it, ninja's docs use a CDN).
    "ninja",
    "axes",
    "tracker.record",
    "tracker.news",
    "tracker.feeds",
    "tracker.search",
    "tracker.api",
    "tracker.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database that cannot be reached (a restart, a failover) answers 503 + Retry-After, not 500.
    "tracker.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's language: the language cookie set by the header's switch, else the
    # browser's Accept-Language, else English. No language prefix in URLs: a link shared
    # between a reader in Moscow and one in Houston opens in each one's own language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Records which user made each change in the record's history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout signalled by its backend into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tracker.lib.theme.theme_context",
            ],
        },
    },
]

# Persistent connections with CONN_HEALTH_CHECKS (env_database): a connection the server cut
# (a restart, a failover) is replaced at the next request, without restarting the app.
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tracker.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A threaded Celery worker and the web server write to one file: without a busy
    # timeout, IMMEDIATE transactions and WAL, concurrent writers fail "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Both parties' languages. English is the default and the language of the record's data
# (names, mission names and notes are stored as the sources write them); every interface
# string is translated in locale/ru (see bin/messages).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", gettext_noop("English")), ("ru", gettext_noop("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Redis: broker, result backend and cache -------------------------------------------
REDIS_URL = env_redis_url("REDIS_URL")

if REDIS_URL:
    CACHES = {
        "default": {
            # Fails soft: with Redis unreachable, pages are rendered from the database (no 500).
            "BACKEND": "tracker.lib.fail_soft_cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs rather than refusing must not hang the pages with it.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # No Redis at all (runstack could not start its private one): kombu's filesystem
    # transport still lets a worker and beat on this machine share a queue, and a file
    # cache is shared by every process, so an editor's save invalidates pages everywhere.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    _queue_dir = DATA_DIR / "broker"
    for _sub in ("in", "processed", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "in"),
        "data_folder_out": str(_queue_dir / "in"),
        "processed_folder": str(_queue_dir / "processed"),
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None

if REDIS_URL:
    # A task not acknowledged within this window is handed to another worker. In production
    # the default hour: longer than any task may take (a poll holds its source's lock for 15
    # minutes at most), so a slow task is never run twice at once. The price: the task of a
    # worker killed mid-task (SIGKILL, out of memory, a lost machine: nothing acknowledges or
    # requeues it) comes back only after that hour, while its source is polled again at its
    # next interval anyway. The fault tests set a few seconds, to see the redelivery happen.
    _visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        # kombu looks for tasks past their timeout every interval × throttle seconds, 10 × 10
        # by default: a redelivery could come 100 s late. Every tenth of the timeout instead
        # (at most 10 s; one cheap Redis query), so a task comes back within 1.1× the timeout.
        "unacked_restore_interval": max(1, min(10, _visibility_timeout // 10)),
        "unacked_restore_throttle": 1,
        # A Redis that stops answering without closing the connection (frozen, partitioned)
        # would otherwise hang a publish, such as the admin's "poll now", for ever.
        "socket_connect_timeout": 5,
        "socket_timeout": 5,
    }

CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# When the worker reconnects after losing Redis (tracker/celery.py), a poll still running
# finishes and stores what it fetched rather than being killed mid-way; if its ack, owed to the
# lost connection, fails, the task comes back after the visibility timeout. Celery's
# default today, set here because it warns on every reconnect that the default may change.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    # Every minute, enqueue a poll for each news source that is due (its own interval is
    # on its row). Expires before the next run so a backlog never stacks up dispatches.
    "dispatch-due-news-sources": {"task": "news.dispatch_due_sources", "schedule": 60.0, "options": {"expires": 50}},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# A worker killed while polling a source (SIGKILL runs no cleanup) leaves the source's lock to
# expire this long after the poll last renewed it; a live poll renews it every third of this.
NEWS_POLL_LOCK_SECONDS = env_int("NEWS_POLL_LOCK_SECONDS", 60, minimum=1)
# The most entries one poll of a feed stores, the newest first (a source's row may say
# otherwise): a feed of 100,000 entries is read 200 at a time, a poll at a time, instead of
# holding a worker for minutes (tracker/news/entry_cap.py).
NEWS_MAX_ENTRIES_PER_POLL = env_int("NEWS_MAX_ENTRIES_PER_POLL", 200, minimum=1)

# --- Production hardening -----------------------------------------------------------------
# tests/test_deploy.py runs `check --deploy --fail-level WARNING` with production settings and
# checks each header on a real response; keep the two in step.
# SECURE_COOKIES=false only for plain HTTP on loopback (bin/run), where a browser would not
# send a Secure cookie back and the admin login would fail its CSRF check.
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Set only when a TLS-terminating proxy that overwrites X-Forwarded-Proto (and appends to
# X-Forwarded-For) is the one way in: otherwise a client could claim https, or any address.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# How many proxies append to X-Forwarded-For in front of the app (the client's address is
# that many entries from the right); read only when BEHIND_TLS_PROXY is set.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

LOGIN_URL = "admin:login"

# Login throttling (django-axes; tests/test_login_throttle.py). After LOGIN_FAILURE_LIMIT wrong
# passwords for one username from one address, that pair is refused (429, even with the
# right password) for LOGIN_COOLOFF_MINUTES after the last counted failure; a success resets it.
# Keyed by username AND address, deliberately: keyed by username alone, anyone could lock an
# editor out from everywhere by typing their name five times; keyed by address alone, an office
# behind one NAT would lock each other out. The price: one address may try a few passwords
# for each of many usernames (spraying), and many addresses may each try a few for one user.
# Editor usernames are not published, passwords pass Django's validators, and a proxy's rate
# limit on /admin/login/ is the complement for volume.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out neither extend the lockout nor append to its row: the lockout ends
# when the page says it does, and a script hammering a locked pair cannot grow the table.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "tracker.core.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "tracker.core.login_throttle.client_ip"
# What axes keeps: AccessAttempt rows (one per username/address/browser that failed) are
# deleted once their cool-off has passed; AccessLog gets a row per successful login only (an
# audit trail an attacker cannot grow without a password); the per-failure log stays off,
# since it would grow with every guess (the lockout itself is logged as a warning).
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Log lines name the address (for an operator, or fail2ban) but not the typed username, which
# is sometimes a password typed into the wrong field.
AXES_SENSITIVE_PARAMETERS = ["username"]

# A strict Content-Security-Policy: no inline scripts or styles anywhere, every file from
# our own static files. Templates therefore carry no <script> bodies and no style="".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Public pages are cached (per record version) for this long; "now"-dependent figures
# such as days aboard and countdowns are at most this stale.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
