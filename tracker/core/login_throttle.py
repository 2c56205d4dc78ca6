"""Login throttling with django-axes (settings AXES_*): whose attempts are counted together,
and the page a locked-out login gets.

Settings name these functions by dotted path; django-axes imports them when a login comes in,
so this module may import models at the top.
"""

import ipaddress
import math

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers


def _ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address a login attempt is counted against (AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, unless BEHIND_TLS_PROXY says a proxy is the one way in: then the entry our
    proxies appended to X-Forwarded-For, TRUSTED_PROXY_COUNT from the right. Never the
    left-most entry, which the client writes itself: believing it would give a guesser a fresh
    counter per request. An unusable header falls back to REMOTE_ADDR (and a value that is not
    an address is never stored: the column is an inet on PostgreSQL).
    """
    if settings.BEHIND_TLS_PROXY:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= settings.TRUSTED_PROXY_COUNT and (
            forwarded := _ip_or_none(hops[-settings.TRUSTED_PROXY_COUNT])
        ):
            return forwarded
    return _ip_or_none(request.META.get("REMOTE_ADDR"))


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE): 429 with Retry-After and the
    time the lockout ends, which is the last counted failure plus the cool-off (failures while
    locked out are not counted: AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off)."""
    now = timezone.now()
    username = get_client_username(request, credentials) or ""
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(last=Max("attempt_time"))["last"]
    ends = (last_failure or now) + settings.AXES_COOLOFF_TIME
    retry_after = max(1, math.ceil((ends - now).total_seconds()))
    response = render(
        request,
        "axes/lockout.html",
        {
            "username": username,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
            "ends": ends,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response
