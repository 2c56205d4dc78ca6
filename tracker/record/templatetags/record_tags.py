"""Template helpers for showing the record honestly: times at their real precision."""

import datetime as dt

from django import template
from django.utils import timezone

from tracker.lib.fuzzy_dates import Precision, format_instant

register = template.Library()


@register.inclusion_tag("record/_time.html")
def event_time(mission, event: str):
    """An event's time at its precision, in a <time> element; exact times also get the
    viewer's local time beside UTC (filled in by app.js)."""
    instant = getattr(mission, f"{event}_at")
    precision = getattr(mission, f"{event}_precision")
    return {
        "instant": instant,
        "text": format_instant(instant, precision),
        "iso": machine_readable(instant, precision),
        "exact": precision == Precision.EXACT,
    }


def machine_readable(instant: dt.datetime | None, precision: str) -> str:
    """The <time datetime> value at the precision known: a time of day only for an exact
    time ('2026-07-14T09:00:00+00:00'), else the day, month or year ('2026-07-14', '2026-07', '2026')."""
    if instant is None:
        return ""
    if precision == Precision.EXACT:
        return instant.isoformat()
    if precision == Precision.DAY:
        return instant.strftime("%Y-%m-%d")
    if precision == Precision.YEAR:
        return f"{instant.year:04d}"
    return instant.strftime("%Y-%m")


@register.filter
def countdown(instant: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """'in 12 days, 3 h' or '2 days ago': the server's text before JavaScript ticks it."""
    if instant is None:
        return ""
    delta = instant - (now or timezone.now())
    future = delta.total_seconds() >= 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    text = f"{days} days, {hours} h" if days else f"{hours} h {rest % 3600 // 60} min"
    return f"in {text}" if future else f"{text} ago"


@register.filter
def days_since(instant: dt.datetime | None, now: dt.datetime) -> int | None:
    return (now - instant).days if instant else None


@register.filter
def flight_days(mission, now: dt.datetime) -> str:
    """A mission's duration: landed ones in full, flying ones so far."""
    if mission.launch_at is None:
        return "—"
    if mission.landing_at is not None:
        return f"{(mission.landing_at - mission.launch_at).days} days"
    if mission.status == "in_flight":
        return f"{(now - mission.launch_at).days} days so far"
    return "—"


@register.filter
def script_lang(text: str) -> str:
    """'ru' for Cyrillic spellings, so screen readers pronounce them in Russian."""
    return "ru" if any("\u0400" <= char <= "\u04ff" for char in text) else "en"


@register.filter
def linkable(url: str) -> bool:
    """Is this an address a reader can open? (Not a GUID-only urn:, nor a reserved .invalid
    host such as the offline sample feed's.)"""
    from urllib.parse import urlsplit

    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and not (parts.hostname or "").endswith(".invalid")
