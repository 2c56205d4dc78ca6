"""Requests that meet an unreachable database get a 503 "temporarily unavailable".

A restart or failover of PostgreSQL cuts every connection, and until the server is back each
request that needs the database fails with OperationalError (InterfaceError on a connection
that died under it). That is an outage, not a bug in the page: a 503 with Retry-After tells
browsers, load balancers and monitors to come back shortly, where a 500 says something is
broken. The app recovers by itself: with CONN_HEALTH_CHECKS (settings) a persistent connection
is checked before a request reuses it and replaced when it has died. (tests/faults)
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.utils.translation import get_language, gettext

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
PAGE = """<!doctype html>
<html lang="%(lang)s"><head><meta charset="utf-8"><title>%(title)s</title></head>
<body><h1>%(title)s</h1>
<p>%(message)s</p></body></html>
"""


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        # A warning, not an error with a traceback: the cause is the server, and one line per
        # request is enough to see when the outage began and ended.
        logger.warning("database unavailable, answered 503 to %s %s: %s", request.method, request.path, exception)
        page = PAGE % {
            "lang": get_language() or "en",
            "title": gettext("Temporarily unavailable"),
            "message": gettext("The tracker cannot reach its database right now. Please try again in a few seconds."),
        }
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
