"""Dates in news text, absolute or relative to the day of publication.

`find_dates` returns what a sentence says (`DateExpr`), and `resolve` turns that into the
start of a window and its precision once the event's tense is known, because the tense
decides which year "September 21" or which week "Thursday" means:

- a day and month without a year take the year of publication; if that puts a reported
  (past) event after publication it is the year before, and if it puts a planned (future)
  event more than three months before publication it is the year after; "next February" is
  the first February after the month of publication;
- "on Thursday" is the latest Thursday on or before publication for a past event, the first
  on or after it for a planned one (wire style names the weekday even for the same day);
- "next week" has no precision of its own, so it becomes the smallest window (month,
  quarter, half, year) that holds the whole week, with low confidence;
- "later this year" is the year of publication; "second half of 2026" the half; "early
  2026" the first half, "late 2026" the second.
"""

import datetime as dt
import re
from dataclasses import dataclass

from .date_patterns import DAY, HALF, MONTH, QUARTER, YEAR, DateExpr, find_dates
from .text import normalise

__all__ = [
    "DAY",
    "HALF",
    "MONTH",
    "QUARTER",
    "YEAR",
    "DateExpr",
    "Resolved",
    "find_dates",
    "find_publication_date",
    "resolve",
]

PAST, FUTURE = "past", "future"
_MONTHS_IN = {MONTH: 1, QUARTER: 3, HALF: 6, YEAR: 12}
# A plan's yearless date up to this long before publication is this year's (a story retelling
# what was planned: "chose to dispatch a replacement on February 24", written in March);
# further back, it is next year's ("will launch on January 10", written in November).
_PLAN_LOOKBACK = dt.timedelta(days=92)


@dataclass(frozen=True)
class Resolved:
    date: dt.date
    precision: str
    confidence: float


def first_day_of_window(day: dt.date, precision: str) -> dt.date:
    if precision == DAY:
        return day
    months = _MONTHS_IN[precision]
    return dt.date(day.year, (day.month - 1) // months * months + 1, 1)


def day_after_window(start: dt.date, precision: str) -> dt.date:
    if precision == DAY:
        return start + dt.timedelta(days=1)
    index = start.year * 12 + start.month - 1 + _MONTHS_IN[precision]
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve(expr: DateExpr, published: dt.date | None, tense: str) -> Resolved | None:
    """The window `expr` means for an event in `tense` ("past", "future" or "") reported on `published`."""
    if expr.kind == "absolute":
        return _absolute(expr.year, expr.month, expr.day, expr.precision, expr.confidence)
    if published is None:
        return None
    handler = {
        "yearless": _yearless,
        "this_year": _this_year,
        "days": _days,
        "weekday": _weekday,
        "span": _span_window,
        "anchor": lambda *_: None,  # needs the date before it: when.resolve_anchor
    }[expr.kind]
    return handler(expr, published, tense)


def _absolute(year, month, day, precision: str, confidence: float) -> Resolved | None:
    try:
        start = dt.date(year, month or 1, day or 1)
    except (TypeError, ValueError):
        return None
    return Resolved(first_day_of_window(start, precision), precision, confidence)


def _yearless(expr: DateExpr, published: dt.date, tense: str) -> Resolved | None:
    if expr.offset:  # "next February" / "last March": strictly after / before the month of publication
        after = expr.month > published.month
        year = (
            published.year + (0 if after else 1)
            if expr.offset > 0
            else published.year - (0 if expr.month < published.month else 1)
        )
        return _absolute(year, expr.month, expr.day, expr.precision, expr.confidence)
    found = _absolute(published.year, expr.month, expr.day, expr.precision, expr.confidence)
    if found is None:
        return None
    slack = dt.timedelta(days=1)
    if tense == PAST and found.date > published + slack:
        return _absolute(published.year - 1, expr.month, expr.day, expr.precision, expr.confidence)
    if tense == FUTURE and day_after_window(found.date, found.precision) < published - _PLAN_LOOKBACK:
        return _absolute(published.year + 1, expr.month, expr.day, expr.precision, expr.confidence)
    return found


def _this_year(expr: DateExpr, published: dt.date, tense: str) -> Resolved | None:
    """ "July this year", "second half of next year": `offset` years from publication."""
    return _absolute(published.year + expr.offset, expr.month, expr.day, expr.precision, expr.confidence)


def _days(expr: DateExpr, published: dt.date, tense: str) -> Resolved:
    return Resolved(published + dt.timedelta(days=expr.offset), DAY, expr.confidence)


def _weekday(expr: DateExpr, published: dt.date, tense: str) -> Resolved:
    ahead = (expr.weekday - published.weekday()) % 7
    if expr.offset > 0 or (expr.offset == 0 and tense == FUTURE):
        days = ahead if expr.offset == 0 else ahead or 7
    else:
        behind = (published.weekday() - expr.weekday) % 7
        days = -(behind if expr.offset == 0 else behind or 7)
    return Resolved(published + dt.timedelta(days=days), DAY, expr.confidence)


def _span_window(expr: DateExpr, published: dt.date, tense: str) -> Resolved | None:
    if expr.unit == "week":
        monday = published - dt.timedelta(days=published.weekday()) + dt.timedelta(weeks=expr.offset)
        return _covering(monday, monday + dt.timedelta(days=6), expr.confidence)
    if expr.unit == "month":
        index = published.year * 12 + published.month - 1 + expr.offset
        return Resolved(dt.date(index // 12, index % 12 + 1, 1), MONTH, expr.confidence)
    return Resolved(dt.date(published.year + expr.offset, 1, 1), YEAR, expr.confidence)


def _covering(first: dt.date, last: dt.date, confidence: float) -> Resolved | None:
    """The narrowest window of an allowed precision holding both days (a week has none of its own)."""
    for precision in (MONTH, QUARTER, HALF, YEAR):
        if first_day_of_window(first, precision) == first_day_of_window(last, precision):
            return Resolved(first_day_of_window(first, precision), precision, confidence)
    return None


_LABEL = re.compile(r"(?i:\b(?:published|updated|posted|dated?|опубликовано|обновлено|дата))\W{0,5}(?:\w+\W+){0,3}$")


def find_publication_date(text: str) -> dt.date | None:
    """The date a page says it was published, from a full date near its top.

    A date right after "Published", "Updated", "date", "Опубликовано"… wins; otherwise the
    first full date (day, month and year) in the first 2,000 characters."""
    top = normalise(text[:2000])
    found = sorted(
        (expr for language in ("en", "ru") for expr in find_dates(top, language=language)),
        key=lambda expr: expr.start,
    )
    days = [expr for expr in found if expr.kind == "absolute" and expr.precision == DAY]
    labelled = [expr for expr in days if _LABEL.search(top, max(0, expr.start - 40), expr.start)]
    for expr in labelled + days:
        resolved = resolve(expr, None, "")
        if resolved and 1990 <= resolved.date.year <= 2100:
            return resolved.date
    return None
