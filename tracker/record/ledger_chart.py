"""The seat-swap ledger as a small server-drawn SVG: for each account (all documents, then
each document) one bar per party, the seats its vehicles gave. A bar is made of one segment
per seat, as long as that seat's person-days, so that seats and days read off one bar;
seats still to fly are dashed boxes after it. One scale for every bar, so bars compare.

Narrow on purpose (WIDTH units): the page scales it to its column, and on a phone the text
must stay legible."""

from dataclasses import dataclass

from .ledger import Account, Ledger, LedgerSeat, Side
from .stays import StayState

WIDTH = 360
HEADING_HEIGHT = 24
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
    title: str
    ongoing: bool


@dataclass(frozen=True)
class Row:
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
    rows: list[Row]


@dataclass(frozen=True)
class LedgerChart:
    width: int
    height: int
    blocks: list[Block]
    bar_offset: int = BAR_OFFSET
    bar_height: int = BAR_HEIGHT


def _seat_title(seat: LedgerSeat) -> str:
    home = f", home on {seat.home_on.name}" if seat.home_on and seat.home_on.pk != seat.up_on.pk else ""
    if seat.state == StayState.PLANNED:
        return f"{seat.person.name} ({seat.person.agency.name}): to fly on {seat.up_on.name}"
    so_far = " so far" if seat.state == StayState.IN_FLIGHT else ""
    return f"{seat.person.name} ({seat.person.agency.name}): up on {seat.up_on.name}{home}, {seat.days} days{so_far}"


def _value(side: Side) -> str:
    given = side.given
    seats = f"{given.seats} seat{'' if given.seats == 1 else 's'} · {given.person_days} days"
    return seats + (f" · {given.to_fly} to fly" if given.to_fly else "")


def _row(side: Side, seats: list[LedgerSeat], *, y: float, index: int, scale: float) -> Row:
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
    return Row(y, index, f"{side.party.name} vehicles", _value(side), segments, to_fly)


def ledger_chart(ledger: Ledger) -> LedgerChart:
    accounts: list[tuple[str, Account]] = [("All documents", ledger.total)]
    accounts += [(account.document.title, account) for account in ledger.documents if not account.is_empty]
    most_days = max((side.given.person_days for side in ledger.total.sides), default=0) or 1
    most_to_fly = max((side.given.to_fly for side in ledger.total.sides), default=0)
    scale = (WIDTH - most_to_fly * TO_FLY_STEP - 4) / most_days
    blocks, y = [], 0
    for title, account in accounts:
        seats = [s for s in ledger.seats if account.document is None or s.document.pk == account.document.pk]
        rows = [
            _row(side, seats, y=y + HEADING_HEIGHT + n * ROW_HEIGHT, index=n, scale=scale)
            for n, side in enumerate(account.sides)
        ]
        blocks.append(Block(y, title, rows))
        y += HEADING_HEIGHT + len(rows) * ROW_HEIGHT + BLOCK_GAP
    return LedgerChart(width=WIDTH, height=int(y), blocks=blocks)
