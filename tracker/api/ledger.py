"""The seat-swap ledger (tracker/record/ledger.py) shaped like schemas.LedgerOut."""

from django.http import HttpRequest
from django.urls import reverse

from tracker.record.ledger import Account, Ledger, LedgerSeat

from .representations import ref


def _document(document) -> dict | None:
    return {"key": document.key, "title": document.title} if document else None


def _account(account: Account) -> dict:
    return {
        "document": _document(account.document),
        "sides": [
            {
                "party": ref(side.party),
                "given": vars(side.given),
                "used": vars(side.used),
                "balance": {
                    "seats": side.seat_balance,
                    "person_days": side.day_balance,
                    "seats_after_to_fly": side.seat_balance_after_to_fly,
                },
            }
            for side in account.sides
        ],
        "counted_elsewhere": [ref(mission) for mission in account.counted_elsewhere],
    }


def _ledger_seat(seat: LedgerSeat) -> dict:
    return {
        "person": ref(seat.person),
        "agency": ref(seat.person.agency),
        "vehicle_operator": ref(seat.giver),
        "launched_on": ref(seat.up_on),
        "returned_on": ref(seat.home_on) if seat.home_on else None,
        "document": _document(seat.document),
        "state": str(seat.state),
        "days": seat.days,
    }


def ledger(request: HttpRequest, row: Ledger) -> dict:
    return {
        "agreement": ref(row.agreement),
        "url": request.build_absolute_uri(reverse("record:ledger")),
        "as_of": row.now,
        "parties": [ref(party) for party in row.parties],
        "total": _account(row.total),
        "documents": [_account(account) for account in row.documents],
        "seats": [_ledger_seat(seat) for seat in row.seats],
    }
