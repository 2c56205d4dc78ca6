"""Instants known only to some precision ("July 2026", "NET Q3 2026").

An instant is stored as the start of its window (a UTC datetime) plus a precision. These
pure helpers turn that pair into the window's bounds and into text, so the database can
store one column and the pages can still say exactly how much is known.
"""

import datetime as dt

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .instants import shifted


class Precision(models.TextChoices):
    EXACT = "exact", pgettext_lazy("a precision", "exact time")
    DAY = "day", pgettext_lazy("a precision", "day")
    MONTH = "month", pgettext_lazy("a precision", "month")
    QUARTER = "quarter", pgettext_lazy("a precision", "quarter")
    HALF = "half", pgettext_lazy("a precision", "half-year")
    YEAR = "year", pgettext_lazy("a precision", "year")


def window_start(instant: dt.datetime, precision: str) -> dt.datetime:
    """The first instant of the window of `precision` that contains `instant`."""
    if precision == Precision.EXACT:
        return instant
    day = instant.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == Precision.DAY:
        return day
    if precision == Precision.MONTH:
        return day.replace(day=1)
    if precision == Precision.QUARTER:
        return day.replace(day=1, month=(instant.month - 1) // 3 * 3 + 1)
    if precision == Precision.HALF:
        return day.replace(day=1, month=1 if instant.month <= 6 else 7)
    if precision == Precision.YEAR:
        return day.replace(day=1, month=1)
    raise ValueError(f"unknown precision {precision!r}")


def window_end(start: dt.datetime, precision: str) -> dt.datetime:
    """The first instant after the window that starts at `start` (exclusive bound); the
    latest representable instant for a window that runs past year 9999."""
    if precision == Precision.EXACT:
        return start
    if precision == Precision.DAY:
        return shifted(start, dt.timedelta(days=1))
    months = {Precision.MONTH: 1, Precision.QUARTER: 3, Precision.HALF: 6, Precision.YEAR: 12}[precision]
    month_index = start.year * 12 + start.month - 1 + months
    if month_index // 12 > dt.MAXYEAR:
        return dt.datetime.max.replace(tzinfo=start.tzinfo)
    return start.replace(year=month_index // 12, month=month_index % 12 + 1, day=1)


def format_instant(instant: dt.datetime | dt.date | None, precision: str) -> str:
    """Text for an instant at its real precision, in the active language: '2026-07-14 09:00
    UTC', 'July 2026', 'NET Q3 2026'; in Russian '14 июля 2026, 09:00 UTC', 'июль 2026',
    'не ранее III квартала 2026'. The date formats are translated strings (Django's date
    format syntax), so each language writes dates its own way from one code path."""
    if instant is None or not precision:
        return gettext("unknown")
    if precision == Precision.EXACT:
        return dateformat.format(instant, pgettext("date format: an exact UTC time", r"Y-m-d H:i \U\T\C"))
    if precision == Precision.DAY:
        return format_day(instant)
    if precision == Precision.MONTH:
        return format_month(instant)
    if precision == Precision.QUARTER:
        quarter = (instant.month - 1) // 3 + 1
        return gettext("NET Q%(quarter)s %(year)s") % {"quarter": quarter, "year": instant.year}
    if precision == Precision.HALF:
        half = 1 if instant.month <= 6 else 2
        return gettext("NET H%(half)s %(year)s") % {"half": half, "year": instant.year}
    if precision == Precision.YEAR:
        return gettext("NET %(year)s") % {"year": instant.year}
    raise ValueError(f"unknown precision {precision!r}")


# Month names as they stand alone or begin a phrase ("July 2026"): Russian writes them in
# lower case ("июль 2026"), where Django's date format "F" gives a capital.
STANDALONE_MONTHS = [
    pgettext_lazy("month, standing alone: July 2026", "January"),
    pgettext_lazy("month, standing alone: July 2026", "February"),
    pgettext_lazy("month, standing alone: July 2026", "March"),
    pgettext_lazy("month, standing alone: July 2026", "April"),
    pgettext_lazy("month, standing alone: July 2026", "May"),
    pgettext_lazy("month, standing alone: July 2026", "June"),
    pgettext_lazy("month, standing alone: July 2026", "July"),
    pgettext_lazy("month, standing alone: July 2026", "August"),
    pgettext_lazy("month, standing alone: July 2026", "September"),
    pgettext_lazy("month, standing alone: July 2026", "October"),
    pgettext_lazy("month, standing alone: July 2026", "November"),
    pgettext_lazy("month, standing alone: July 2026", "December"),
]


def format_month(instant: dt.datetime | dt.date) -> str:
    """A month of a year in the active language: 'July 2026'; in Russian 'июль 2026'."""
    return pgettext("a month of a year: July 2026", "%(month)s %(year)s") % {
        "month": STANDALONE_MONTHS[instant.month - 1],
        "year": instant.year,
    }


def format_day(day: dt.datetime | dt.date) -> str:
    """A calendar day in the active language: '2022-09-21' in English, '21 сентября 2022' in Russian."""
    return dateformat.format(day, pgettext("date format: a day", "Y-m-d"))


def parse_partial_date(text: str) -> tuple[dt.datetime, str]:
    """'2023-12-28' -> (that day, DAY); '2023-12' -> (2023-12-01, MONTH); '2023' -> YEAR."""
    parts = text.strip().split("-")
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD") from None
    precision = {1: Precision.YEAR, 2: Precision.MONTH, 3: Precision.DAY}.get(len(numbers))
    if precision is None:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (numbers + [1, 1])[:3]
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC), precision
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date: {exc}") from None
