"""The seat-swap ledger as a small server-drawn SVG: for each account (all documents, then
each document) one bar per party, the seats its vehicles gave. A bar is made of one segment
per seat, as long as that seat's person-days, so that seats and days read off one bar;
seats still to fly are dashed boxes after it. One scale for every bar, so bars compare.

Narrow on purpose (WIDTH units): the page scales it to its column, and on a phone the text
must stay legible."""

from dataclasses import dataclass, field

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from .ledger import Account, Ledger, LedgerSeat, Side
from .stays import StayState
from .templatetags.reader_tags import format_named

WIDTH = 360
HEADING_HEIGHT = 24
HEADING_LINE = 17  # each further line of a heading too long for one (a long title, a longer language)
ROW_HEIGHT = 38
BLOCK_GAP = 12
BAR_OFFSET = 19  # from the row's top to its bar
BAR_HEIGHT = 12
SEGMENT_GAP = 1.5
TO_FLY_BOX = 10
TO_FLY_STEP = 13


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    seat_id: int
    title: str  # safe markup: names in Latin are marked lang="en" on pages in another language
    ongoing: bool


@dataclass(frozen=True)
class ChartRow:
    y: int
    party_index: int  # colours the giving party's bars alike in every block
    label: str
    value: str
    segments: list[Segment]
    to_fly: list[Segment]


@dataclass(frozen=True)
class Block:
    y: int
    title: str
    rows: list[ChartRow]
    lines: list[str] = field(default_factory=list)  # the title as drawn, wrapped to the chart's width


def _heading_lines(title: str) -> list[str]:
    """The title in lines that fit WIDTH in the 14px bold heading (a rough measure of the
    font: Cyrillic letters run wider than Latin)."""
    lines, line = [], ""
    for word in title.split():
        candidate = f"{line} {word}".strip()
        if line and _heading_width(candidate) > WIDTH:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _heading_width(text: str) -> float:
    return sum(8.6 if "\u0400" <= char <= "\u04ff" else 7.6 for char in text)


@dataclass(frozen=True)
class LedgerChart:
    width: int
    height: int
    blocks: list[Block]
    bar_offset: int = BAR_OFFSET
    bar_height: int = BAR_HEIGHT
    # The chart's own words, here rather than in ledger.svg so that they are collected for translation.
    title: str = ""
    no_seats: str = ""


def _seat_title(seat: LedgerSeat) -> str:
    who = {"person": seat.person.reader_name, "agency": seat.person.agency.name, "up": seat.up_on.reader_name}
    if seat.state == StayState.PLANNED:
        return format_named(gettext("%(person)s (%(agency)s): to fly on %(up)s"), **who)
    if seat.home_on and seat.home_on.pk != seat.up_on.pk:
        message = gettext("%(person)s (%(agency)s): up on %(up)s, home on %(home)s")
        where = format_named(message, **who, home=seat.home_on.reader_name)
    else:
        where = format_named(gettext("%(person)s (%(agency)s): up on %(up)s"), **who)
    if seat.state == StayState.IN_FLIGHT:
        days = ngettext("%(days)s day so far", "%(days)s days so far", seat.days) % {"days": seat.days}
    else:
        days = ngettext("%(days)s day", "%(days)s days", seat.days) % {"days": seat.days}
    return mark_safe(f"{where}, {conditional_escape(days)}")


def _value(side: Side) -> str:
    given = side.given
    parts = [
        ngettext("%(seats)s seat", "%(seats)s seats", given.seats) % {"seats": given.seats},
        ngettext("%(days)s day", "%(days)s days", given.person_days) % {"days": given.person_days},
    ]
    if given.to_fly:
        parts.append(gettext("%(seats)s to fly") % {"seats": given.to_fly})
    return " · ".join(parts)


def _row(side: Side, seats: list[LedgerSeat], *, y: float, index: int, scale: float) -> ChartRow:
    given = [seat for seat in seats if seat.giver.pk == side.party.pk]
    segments, x = [], 0.0
    for seat in (seat for seat in given if seat.state != StayState.PLANNED):
        width = max(2.0, seat.days * scale - SEGMENT_GAP)
        segments.append(
            Segment(round(x, 1), round(width, 1), seat.seat_id, _seat_title(seat), seat.state == "in_flight")
        )
        x += width + SEGMENT_GAP
    to_fly = [
        Segment(round(x + 3 + n * TO_FLY_STEP, 1), TO_FLY_BOX, seat.seat_id, _seat_title(seat), False)
        for n, seat in enumerate(seat for seat in given if seat.state == StayState.PLANNED)
    ]
    label = gettext("%(party)s vehicles") % {"party": side.party.name}
    return ChartRow(y, index, label, _value(side), segments, to_fly)


def ledger_chart(ledger: Ledger) -> LedgerChart:
    accounts: list[tuple[str, Account]] = [(gettext("All documents"), ledger.total)]
    accounts += [(account.document.reader_title, account) for account in ledger.documents if not account.is_empty]
    most_days = max((side.given.person_days for side in ledger.total.sides), default=0) or 1
    most_to_fly = max((side.given.to_fly for side in ledger.total.sides), default=0)
    scale = (WIDTH - most_to_fly * TO_FLY_STEP - 4) / most_days
    blocks, y = [], 0
    for title, account in accounts:
        lines = _heading_lines(str(title))
        heading = HEADING_HEIGHT + HEADING_LINE * (len(lines) - 1)
        seats = [s for s in ledger.seats if account.document is None or s.document.pk == account.document.pk]
        rows = [
            _row(side, seats, y=y + heading + n * ROW_HEIGHT, index=n, scale=scale)
            for n, side in enumerate(account.sides)
        ]
        blocks.append(Block(y, title, rows, lines))
        y += heading + len(rows) * ROW_HEIGHT + BLOCK_GAP
    return LedgerChart(
        width=WIDTH,
        height=int(y),
        blocks=blocks,
        title=gettext(
            "Seats each party's vehicles gave the other party's crew: one segment per seat, as long as its "
            "person-days; dashed boxes are seats still to fly"
        ),
        no_seats=gettext("no seats under this document"),
    )
