"""The span of time the record accepts, and date arithmetic that cannot overflow.

The record keeps instants from 1957-10-04 (Sputnik 1: nothing reached orbit, and no crew
or seat-swap agreement existed, before that day) to 2100-12-31 (far beyond any announced
plan — the ISS is to be retired around 2030 — yet eight thousand years short of the end of
Python's datetime, so derived arithmetic such as `launch + typical stay` or the end of a
year-precision window always stays representable). A typo like 9999-12-31 is refused at
the form, the model and the database.

Rows written before those bounds existed (or by hand in SQL) may still hold such a value:
`shifted` clamps instead of raising OverflowError, so a page that derives a date from one
still renders and the editor can open the row and repair it.
"""

import datetime as dt

from django.core.exceptions import ValidationError

FIRST_DAY = dt.date(1957, 10, 4)
LAST_DAY = dt.date(2100, 12, 31)
# The same bounds as UTC instants: [FIRST_INSTANT, END_INSTANT).
FIRST_INSTANT = dt.datetime(1957, 10, 4, tzinfo=dt.UTC)
END_INSTANT = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)

RANGE_MESSAGE = "%(value)s is outside the record's range: enter a date from 1957-10-04 (Sputnik 1) to 2100-12-31 (UTC)."


def _as_day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).date() if value.tzinfo else value.date()
    return value


def in_record_range(value: dt.date | None) -> bool:
    return value is None or FIRST_DAY <= _as_day(value) <= LAST_DAY


def validate_in_record_range(value: dt.date | None) -> None:
    """Field validator for every instant and date of the record."""
    if not in_record_range(value):
        raise ValidationError(RANGE_MESSAGE, code="out_of_range", params={"value": _as_day(value).isoformat()})


def shifted(value, delta: dt.timedelta):
    """`value + delta`, clamped to the earliest or latest representable date or datetime
    instead of raising OverflowError."""
    try:
        return value + delta
    except OverflowError:
        if isinstance(value, dt.datetime):
            edge = dt.datetime.max if delta > dt.timedelta(0) else dt.datetime.min
            return edge.replace(tzinfo=value.tzinfo)
        return dt.date.max if delta > dt.timedelta(0) else dt.date.min
