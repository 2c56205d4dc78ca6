"""Template helpers for showing the record honestly: times at their real precision."""

import datetime as dt

from django import template
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.text import capfirst

from tracker.lib.fuzzy_dates import Precision, format_day, format_instant, window_start
from tracker.record.models.missions import EVENTS, TARGETS, Certainty

register = template.Library()


@register.filter
def day(instant: dt.datetime | dt.date | None) -> str:
    """A calendar day in the reader's language: '2022-09-21'; in Russian '21 сентября 2022'.
    Use it instead of |date:"Y-m-d" wherever a person reads the date (the <time datetime>
    attribute keeps the ISO form)."""
    return "" if instant is None else format_day(instant)


@register.filter
def utc_time(instant: dt.datetime | None) -> str:
    """An exact time in UTC in the reader's language: '2026-12-04 22:35 UTC'; in Russian
    '4 декабря 2026, 22:35 UTC'."""
    return "" if instant is None else format_instant(instant, Precision.EXACT)


OVERDUE_TITLE = "Announced target passed with no confirmation in the record"


@register.inclusion_tag("record/_time.html", takes_context=True)
def event_time(context, mission, event: str):
    """An event's time at its precision, in a <time> element; exact times also get the
    viewer's local time beside UTC (filled in by app.js). A target is said as one ("Target
    2026-07-14", "NET September 2026") and, once passed unconfirmed, as overdue; what
    happened reads as plain fact. `now` comes from the page's context, so a page says
    "overdue" as of the same instant as everything else on it."""
    instant = getattr(mission, f"{event}_at")
    precision = getattr(mission, f"{event}_precision")
    certainty = getattr(mission, f"{event}_certainty", "")
    text = format_instant(instant, precision)
    label = ""
    # A window wider than a month is already written "NET Q3 2026": no second label.
    if certainty in TARGETS and not text.startswith("NET "):
        label = "NET" if certainty == Certainty.NO_EARLIER_THAN else "Target"
    return {
        "instant": instant,
        "text": text,
        "iso": machine_readable(instant, precision),
        "exact": precision == Precision.EXACT,
        "target": certainty in TARGETS,
        "label": label,
        "overdue": mission.is_overdue(event, context.get("now")),
        "overdue_title": OVERDUE_TITLE,
    }


def overdue_targets(mission, now: dt.datetime | None = None) -> list[str]:
    """Each target of `mission` that has passed unconfirmed, said in words: 'Landing
    target July 2026 passed unconfirmed'."""
    return [
        f"{capfirst(event)} {mission.describe(event, now).removesuffix(', overdue')} passed unconfirmed"
        for event in EVENTS
        if mission.is_overdue(event, now)
    ]


@register.inclusion_tag("record/_flags.html", takes_context=True)
def record_flags(context, mission, *, stale=None, long=False):
    """The warning badges of a mission: 'landing overdue' for each target passed with no
    confirmation (the sentence in the title, or beside it when `long`), else 'stale' for a
    flight in space past its vehicle's usual stay with no landing target. `stale` overrides
    the mission's `is_stale` annotation where a page computed it apart."""
    overdue = overdue_targets(mission, context.get("now"))
    is_stale = getattr(mission, "is_stale", False) if stale is None else stale
    return {
        "overdue": [(sentence.split(" ", 1)[0].lower(), sentence) for sentence in overdue],
        "stale": is_stale and not overdue,
        "long": long,
        "overdue_title": OVERDUE_TITLE,
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
    """'in 12 days, 3 h' or '2 days ago': the server's text before JavaScript ticks it
    (launch_countdown asks it only about a time still ahead)."""
    if instant is None:
        return ""
    delta = instant - (now or timezone.now())
    future = delta.total_seconds() >= 0
    seconds = abs(int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours = rest // 3600
    text = f"{days} days, {hours} h" if days else f"{hours} h {rest % 3600 // 60} min"
    return f"in {text}" if future else f"{text} ago"


@register.inclusion_tag("record/_countdown.html", takes_context=True)
def launch_countdown(context, mission):
    """How far off the launch is, no finer than the record knows it: hours and minutes
    (ticked by app.js) only for an exact time, whole days for a day, 'in September 2026'
    for a wider window. Never counts up: a target that has passed says it awaits
    confirmation, and once overdue, that it is overdue."""
    now = context.get("now") or timezone.now()
    instant, precision = mission.launch_at, mission.launch_precision
    if instant is None:
        return {"state": "unknown"}
    if mission.is_overdue("launch", now):
        return {
            "state": "overdue",
            "text": f"{capfirst(mission.describe('launch', now).removesuffix(', overdue'))} passed: no launch in the record",
        }
    start = window_start(instant, precision)
    if precision == Precision.EXACT and instant > now:
        return {"state": "ticking", "iso": instant.isoformat(), "text": countdown(instant, now)}
    if precision == Precision.DAY and start.date() >= now.date():
        days = (start.date() - now.date()).days
        return {"state": "ahead", "text": f"in {days} day{pluralize(days)}" if days else "today"}
    if precision not in (Precision.EXACT, Precision.DAY) and now < start:
        net = mission.launch_certainty == Certainty.NO_EARLIER_THAN
        window = format_instant(instant, precision).removeprefix("NET ")
        return {"state": "ahead", "text": f"{'no earlier than' if net else 'in'} {window}"}
    return {"state": "passed", "text": "Target passed: launch not confirmed yet"}


@register.filter
def days_since(instant: dt.datetime | None, now: dt.datetime) -> int | None:
    return (now - instant).days if instant else None


@register.filter
def flight_days(mission, now: dt.datetime) -> str:
    """A mission's duration: landed ones in full, flying ones so far (a landing target is
    not a landing: it makes no duration)."""
    if mission.launch_at is None:
        return "—"
    if mission.landing_at is not None and not mission.is_target("landing"):
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
