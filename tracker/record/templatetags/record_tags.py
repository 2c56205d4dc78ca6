"""Template helpers for showing the record honestly: times at their real precision."""

import datetime as dt

from django import template
from django.utils import dateformat, timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from tracker.lib.fuzzy_dates import Precision, format_day, format_instant, window_start
from tracker.record.models.missions import (
    EVENT_NAMES,
    EVENTS,
    NET_WINDOWS,
    TARGETS,
    Certainty,
    format_net_time,
    reader_mission_name,
)

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


@register.filter
def reader_mission(name: str | None) -> str:
    """A mission's name from a query (an annotation such as `returned_on`) as the reader's
    press writes it: 'Союз МС-23' on Russian pages."""
    return reader_mission_name(name or "")


def name_html(name: str) -> str:
    """A name for the page, escaped; one the reader's press keeps in Latin script ('SpaceX
    Crew-5' on a Russian page) is marked as English, so screen readers say it in English
    and the page says which text is English data. English pages are unchanged."""
    language = translation.get_language() or "en"
    if not language.startswith("en") and name and script_lang(name) == "en":
        return format_html('<span lang="en">{}</span>', name)
    return conditional_escape(name)


@register.filter
def mission_name(mission) -> str:
    """A mission (or a mission's name from a query) as the reader's press writes it, in
    HTML: '{{ mission|mission_name }}' -> 'Союз МС-22', or '<span lang="en">SpaceX
    Crew-5</span>' on a Russian page."""
    name = mission.reader_name if hasattr(mission, "reader_name") else reader_mission_name(mission or "")
    return name_html(name)


OVERDUE_TITLE = gettext_lazy("Announced target passed with no confirmation in the record")
# The short badge of a target passed unconfirmed, per event ("landing overdue").
OVERDUE_BADGES = {
    "launch": pgettext_lazy("badge", "launch overdue"),
    "docking": pgettext_lazy("badge", "docking overdue"),
    "undocking": pgettext_lazy("badge", "undocking overdue"),
    "landing": pgettext_lazy("badge", "landing overdue"),
}


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
    if certainty in TARGETS and precision not in NET_WINDOWS:
        if certainty == Certainty.NO_EARLIER_THAN:
            label = pgettext("label of a time", "NET")
            text = format_net_time(instant, precision)  # "не ранее сентября 2026"
        else:
            label = pgettext("label of a time", "Target")
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
    """Each target of `mission` that has passed unconfirmed, as (event, sentence): ('landing',
    'Landing target July 2026 passed unconfirmed')."""
    return [
        (
            event,
            gettext("%(event)s %(time)s passed unconfirmed")
            % {"event": capfirst(EVENT_NAMES[event]), "time": mission.describe(event, now, mark_overdue=False)},
        )
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
        "overdue": [(OVERDUE_BADGES[event], sentence) for event, sentence in overdue],
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
    hours, minutes = rest // 3600, rest % 3600 // 60
    if days:
        text = ngettext("%(days)s day, %(hours)s h", "%(days)s days, %(hours)s h", days) % {
            "days": days,
            "hours": hours,
        }
    else:
        text = gettext("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    return (gettext("in %(time)s") if future else gettext("%(time)s ago")) % {"time": text}


# "in September 2026" needs the month in the form "in" takes (Russian: "в сентябре 2026").
IN_MONTH = [
    pgettext_lazy("countdown: in a month", "in January %(year)s"),
    pgettext_lazy("countdown: in a month", "in February %(year)s"),
    pgettext_lazy("countdown: in a month", "in March %(year)s"),
    pgettext_lazy("countdown: in a month", "in April %(year)s"),
    pgettext_lazy("countdown: in a month", "in May %(year)s"),
    pgettext_lazy("countdown: in a month", "in June %(year)s"),
    pgettext_lazy("countdown: in a month", "in July %(year)s"),
    pgettext_lazy("countdown: in a month", "in August %(year)s"),
    pgettext_lazy("countdown: in a month", "in September %(year)s"),
    pgettext_lazy("countdown: in a month", "in October %(year)s"),
    pgettext_lazy("countdown: in a month", "in November %(year)s"),
    pgettext_lazy("countdown: in a month", "in December %(year)s"),
]


def launch_window(instant: dt.datetime, precision: str, net: bool) -> str:
    """A launch window wider than a day, as the countdown says it: 'in September 2026',
    'no earlier than Q3 2026' (Russian: 'в сентябре 2026', 'не ранее 3-го квартала 2026')."""
    year = instant.year
    if precision == Precision.MONTH:
        if net:
            return gettext("no earlier than %(month)s") % {
                "month": dateformat.format(instant, pgettext("date format: no earlier than a month", "F Y"))
            }
        return IN_MONTH[instant.month - 1] % {"year": year}
    if precision == Precision.QUARTER:
        quarter = (instant.month - 1) // 3 + 1
        text = gettext("no earlier than Q%(quarter)s %(year)s") if net else gettext("in Q%(quarter)s %(year)s")
        return text % {"quarter": quarter, "year": year}
    if precision == Precision.HALF:
        half = 1 if instant.month <= 6 else 2
        text = gettext("no earlier than H%(half)s %(year)s") if net else gettext("in H%(half)s %(year)s")
        return text % {"half": half, "year": year}
    return (gettext("no earlier than %(year)s") if net else gettext("in %(year)s")) % {"year": year}


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
            "text": gettext("%(time)s passed: no launch in the record")
            % {"time": capfirst(mission.describe("launch", now, mark_overdue=False))},
        }
    start = window_start(instant, precision)
    if precision == Precision.EXACT and instant > now:
        return {
            "state": "ticking",
            "iso": instant.isoformat(),
            "text": countdown(instant, now),
            # What app.js writes, in the page's language: the unit of its "T− 3 d 04:05:06"
            # and the sentence it puts in once the target time passes.
            "day_unit": pgettext("countdown: abbreviation of days", "d"),
            "passed_text": gettext("Target passed: launch not confirmed yet"),
        }
    if precision == Precision.DAY and start.date() >= now.date():
        days = (start.date() - now.date()).days
        text = ngettext("in %(days)s day", "in %(days)s days", days) % {"days": days} if days else gettext("today")
        return {"state": "ahead", "text": text}
    if precision not in (Precision.EXACT, Precision.DAY) and now < start:
        net = mission.launch_certainty == Certainty.NO_EARLIER_THAN
        return {"state": "ahead", "text": launch_window(instant, precision, net)}
    return {"state": "passed", "text": gettext("Target passed: launch not confirmed yet")}


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
        days = (mission.landing_at - mission.launch_at).days
        return ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    if mission.status == "in_flight":
        days = (now - mission.launch_at).days
        return ngettext("%(days)s day so far", "%(days)s days so far", days) % {"days": days}
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
