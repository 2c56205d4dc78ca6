"""The seat-swap ledger. The agreement is a barter with no exchange of funds, so its account
is kept in seats and in person-days: for each party, the seats its vehicles gave the other
party's crew and the seats its crew used on the other party's vehicles, per agreement
document and in total.

Everything is derived from the record. A seat here is one stay in space with a cross-flight
leg (tracker/record/models/seats.py decides which legs are): Rubio went up on Soyuz MS-22
and came home on Soyuz MS-23, 371 days, and that is one NASA seat used on a Roscosmos
vehicle, not two. Days come from SeatQuerySet.stays(), the same figures as the person pages.
A seat whose flight has not launched counts apart (`to_fly`), never in the flown figures;
a stay still going counts its days to now.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q

from .models import Agency, Agreement, AgreementDocument, Leg, Mission, Person, Seat
from .models.seats import cross_flight_condition
from .stays import StayState, stay_state


@dataclass(frozen=True)
class Tally:
    seats: int = 0  # seats used so far: stays that have begun (landed or still up)
    in_flight: int = 0  # of those, stays still going (their days count to now)
    person_days: int = 0  # whole days in space from those seats
    to_fly: int = 0  # seats on flights that have not launched


@dataclass(frozen=True)
class Side:
    """One party's side of an account."""

    party: Agency
    given: Tally  # the party's vehicles carrying the other parties' crew
    used: Tally  # the party's crew on the other parties' vehicles

    @property
    def seat_balance(self) -> int:
        """Seats given minus seats used, flown ones only: positive means in credit."""
        return self.given.seats - self.used.seats

    @property
    def day_balance(self) -> int:
        return self.given.person_days - self.used.person_days

    @property
    def seat_balance_after_to_fly(self) -> int:
        """The seat balance once every flight still to fly has flown as planned."""
        return self.seat_balance + self.given.to_fly - self.used.to_fly


@dataclass(frozen=True)
class LedgerSeat:
    seat_id: int  # the ascent seat that began the stay
    person: Person
    giver: Agency  # the operator of the vehicle that carried the person under the agreement
    up_on: Mission
    home_on: Mission | None
    document: AgreementDocument
    state: StayState
    days: int | None  # None until the flight launches


@dataclass(frozen=True)
class Account:
    """One agreement document's seats, or (document None) all of them."""

    document: AgreementDocument | None
    sides: list[Side]
    # Flights this document covers whose seats are counted under an earlier document.
    counted_elsewhere: list[Mission] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(side.given.seats or side.given.to_fly for side in self.sides)


@dataclass(frozen=True)
class Ledger:
    agreement: Agreement
    parties: list[Agency]
    documents: list[Account]
    total: Account
    seats: list[LedgerSeat]
    now: dt.datetime


def _first_documents(documents: list[AgreementDocument]) -> dict[int, AgreementDocument]:
    """mission id -> the earliest document covering it: a flight named by two documents
    (an addendum and the talks that followed it) counts once, under the first."""
    first: dict[int, AgreementDocument] = {}
    for document in documents:
        for mission in document.missions.all():
            first.setdefault(mission.pk, document)
    return first


def _ledger_seats(first_document: dict[int, AgreementDocument], now: dt.datetime) -> list[LedgerSeat]:
    cross_descents = set(Seat.objects.filter(leg=Leg.DESCENT).cross_flight().values_list("person_id", "mission_id"))
    stays = list(
        Seat.objects.stays(now)
        .with_cross_flight()
        .filter(cross_flight_condition() | Q(person_id__in={person for person, _ in cross_descents}))
        .select_related("person__agency", "mission__family__operator")
        .order_by(F("mission__launch_at").asc(nulls_last=True), "mission__name", "pk")
    )
    home = Mission.objects.select_related("family__operator").in_bulk({s.return_mission_id for s in stays} - {None})
    seats = []
    for stay in stays:
        home_on = home.get(stay.return_mission_id)
        # The leg that makes the stay a cross-flight: the way up, else the way home.
        if stay.is_cross_flight:
            carrier = stay.mission
        elif home_on is not None and (stay.person_id, home_on.pk) in cross_descents:
            carrier = home_on
        else:
            continue
        document = first_document.get(carrier.pk)
        state = stay_state(stay, now)
        if document is None or state == StayState.CANCELLED:
            continue  # another agreement's flight, or one that will not fly
        seats.append(
            LedgerSeat(
                seat_id=stay.pk,
                person=stay.person,
                giver=carrier.family.operator,
                up_on=stay.mission,
                home_on=home_on,
                document=document,
                state=state,
                days=None if state == StayState.PLANNED else stay.stay_duration.days,
            )
        )
    return seats


def _tally(seats: list[LedgerSeat]) -> Tally:
    flown = [seat for seat in seats if seat.state != StayState.PLANNED]
    return Tally(
        seats=len(flown),
        in_flight=sum(1 for seat in flown if seat.state == StayState.IN_FLIGHT),
        person_days=sum(seat.days for seat in flown),
        to_fly=len(seats) - len(flown),
    )


def _sides(parties: list[Agency], seats: list[LedgerSeat]) -> list[Side]:
    return [
        Side(
            party=party,
            given=_tally([seat for seat in seats if seat.giver.pk == party.pk]),
            used=_tally([seat for seat in seats if seat.person.agency_id == party.pk]),
        )
        for party in parties
    ]


def seat_swap_ledger(*, now: dt.datetime) -> Ledger | None:
    """The ledger of the recorded agreement (None when no agreement is recorded)."""
    agreement = Agreement.objects.prefetch_related("parties").order_by("pk").first()
    if agreement is None:
        return None
    parties = list(agreement.parties.all())
    documents = list(agreement.documents.prefetch_related("missions"))
    first_document = _first_documents(documents)
    seats = _ledger_seats(first_document, now)
    accounts = [
        Account(
            document=document,
            sides=_sides(parties, [seat for seat in seats if seat.document.pk == document.pk]),
            counted_elsewhere=[
                mission for mission in document.missions.all() if first_document[mission.pk].pk != document.pk
            ],
        )
        for document in documents
    ]
    return Ledger(
        agreement=agreement,
        parties=parties,
        documents=accounts,
        total=Account(document=None, sides=_sides(parties, seats)),
        seats=seats,
        now=now,
    )
