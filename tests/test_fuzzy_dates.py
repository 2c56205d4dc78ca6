import datetime as dt

import pytest

from tracker.lib.fuzzy_dates import Precision, format_instant, parse_partial_date, window_end, window_start

UTC = dt.UTC


@pytest.mark.parametrize(
    ("precision", "text"),
    [
        (Precision.EXACT, "2026-07-14 09:00 UTC"),
        (Precision.DAY, "2026-07-14"),
        (Precision.MONTH, "July 2026"),
        (Precision.QUARTER, "NET Q3 2026"),
        (Precision.HALF, "NET H2 2026"),
        (Precision.YEAR, "NET 2026"),
    ],
)
def test_an_instant_is_shown_at_its_real_precision(precision, text):
    assert format_instant(dt.datetime(2026, 7, 14, 9, 0, tzinfo=UTC), precision) == text


def test_an_unknown_instant_says_unknown():
    assert format_instant(None, "") == "unknown"


@pytest.mark.parametrize(
    ("precision", "start", "end"),
    [
        (Precision.DAY, dt.datetime(2026, 7, 14, tzinfo=UTC), dt.datetime(2026, 7, 15, tzinfo=UTC)),
        (Precision.MONTH, dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2026, 8, 1, tzinfo=UTC)),
        (Precision.QUARTER, dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2026, 10, 1, tzinfo=UTC)),
        (Precision.HALF, dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC)),
        (Precision.YEAR, dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC)),
    ],
)
def test_window_bounds(precision, start, end):
    instant = dt.datetime(2026, 7, 14, 9, 30, tzinfo=UTC)
    assert window_start(instant, precision) == start
    assert window_end(start, precision) == end


def test_december_month_window_ends_in_the_next_year():
    assert window_end(dt.datetime(2026, 12, 1, tzinfo=UTC), Precision.MONTH) == dt.datetime(2027, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-12-28", (dt.datetime(2023, 12, 28, tzinfo=UTC), Precision.DAY)),
        ("2023-12", (dt.datetime(2023, 12, 1, tzinfo=UTC), Precision.MONTH)),
        ("2027", (dt.datetime(2027, 1, 1, tzinfo=UTC), Precision.YEAR)),
    ],
)
def test_partial_dates_keep_their_precision(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "2023-13-01", "2023-12-28-1"])
def test_a_malformed_date_is_a_clear_error(text):
    with pytest.raises(ValueError, match="date"):
        parse_partial_date(text)
