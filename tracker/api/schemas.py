"""What the API returns, as typed schemas: the OpenAPI document is generated from these.

Every instant is UTC ISO 8601. An instant known only roughly comes with its precision
("day", "month", "quarter", ...) and is the start of that window: "2026-07-01T00:00:00Z"
with precision "month" means "July 2026", not the first of July. A mission's event time
also says how far it can be trusted: its certainty (what happened, or an announced
target), whether the target is "no earlier than", and whether it is overdue — the same
names as `manage.py crossflights --json` (`certainty`, `net`, `overdue`)."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import Field

Precision = Literal["exact", "day", "month", "quarter", "half", "year"]
Certainty = Literal["confirmed", "target", "net"]
CERTAINTY_HELP = _(
    "'confirmed': it happened at this time; 'target': the latest announced time of an event that has not "
    "happened; 'net': a target that only bounds it from below (no earlier than); null when the time is unknown."
)
NET_HELP = _("The time is a 'no earlier than' target (certainty 'net').")
OVERDUE_HELP = _(
    "A target whose whole window, and a day's grace, has passed with no confirmation in the record; "
    "never for a cancelled mission."
)
MissionStatus = Literal["planned", "scheduled", "delayed", "in_flight", "landed", "cancelled"]
CrossFlightState = Literal["upcoming", "in_flight", "completed", "cancelled"]
RECORD_KINDS = (
    "mission",
    "seat",
    "person",
    "alias",
    "agency",
    "vehicle_family",
    "spacecraft",
    "agreement",
    "agreement_document",
)


class Ref(Schema):
    """A link to another object of the record."""

    slug: str
    name: str


class EventOut(Schema):
    at: dt.datetime | None = Field(description=_("UTC; the start of the window when known only roughly."))
    precision: Precision | None
    certainty: Certainty | None = Field(description=CERTAINTY_HELP)
    net: bool = Field(description=NET_HELP)
    overdue: bool = Field(description=OVERDUE_HELP)
    display: str = Field(
        description=_("In words: '2022-09-21', 'target 2026-07-14, overdue', 'NET September 2026', 'unknown'.")
    )


class EventsOut(Schema):
    launch: EventOut
    docking: EventOut
    undocking: EventOut
    landing: EventOut


class ExpeditionRefOut(Schema):
    """An ISS expedition a stay overlaps (see /api/expeditions)."""

    number: int
    expected: bool = Field(description=_("The expedition's start, or the stay, is still a target date."))


EXPEDITIONS_OF_STAY = _(
    "The ISS expeditions the stay overlaps, derived from the record's Soyuz departures; before Expedition 68 "
    "only 67 is derived (for whoever was aboard when it ended)."
)


class SeatOut(Schema):
    person: Ref
    agency: Ref
    role: str | None
    cross_flight: bool = Field(
        description=_("A party's crew member on the other party's vehicle, under the agreement.")
    )
    other_mission: Ref | None = Field(
        description=_(
            "For an ascent seat, the mission that brought the person home; for a descent seat, the one "
            "they launched on — when it is another mission."
        )
    )
    expeditions: list[ExpeditionRefOut] = Field(description=EXPEDITIONS_OF_STAY)


class SeatsByLegOut(Schema):
    ascent: list[SeatOut]
    descent: list[SeatOut]


class MissionOut(Schema):
    slug: str
    name: str
    url: str = Field(description=_("The mission's page on this site."))
    vehicle_family: Ref
    operator: Ref
    spacecraft: str | None
    launch_vehicle: str | None
    launch_site: str | None
    status: MissionStatus
    is_cross_flight: bool
    stale: bool = Field(
        description=_(
            "A target has passed without confirmation in the record (an event is overdue), or the "
            "flight has outstayed its vehicle's usual stay with no landing time."
        )
    )
    events: EventsOut
    seats: SeatsByLegOut


class CitationOut(Schema):
    url: str
    title: str


class DocumentRef(Schema):
    key: str
    title: str


class MissionDetailOut(MissionOut):
    flight_days: int | None
    notes: str
    agreement_documents: list[DocumentRef]
    sources: list[CitationOut]


class CrossFlightOut(MissionOut):
    state: CrossFlightState


class FlightOut(Schema):
    """One stay in space: up on one mission, home on the same or another."""

    launched_on: Ref
    returned_on: Ref | None
    launch_at: dt.datetime | None
    launch_precision: Precision | None
    launch_certainty: Certainty | None = Field(description=CERTAINTY_HELP)
    launch_net: bool = Field(description=NET_HELP)
    launch_overdue: bool = Field(description=OVERDUE_HELP)
    return_landing_at: dt.datetime | None
    return_landing_precision: Precision | None
    return_landing_certainty: Certainty | None = Field(description=CERTAINTY_HELP)
    return_landing_net: bool = Field(description=NET_HELP)
    return_landing_overdue: bool = Field(description=OVERDUE_HELP)
    days: int | None = Field(
        description=_("Whole days up so far (to now while still up); null until the launch is confirmed.")
    )
    cross_flight: bool = Field(description=_("Either leg of the stay was a cross-flight seat."))
    expeditions: list[ExpeditionRefOut] = Field(description=EXPEDITIONS_OF_STAY)


class PersonOut(Schema):
    slug: str
    name: str
    url: str
    agency: Ref
    nationality: str | None
    aliases: list[str]
    days_in_space: int = Field(description=_("Whole days over every stay that has begun, to now."))
    flights: list[FlightOut]


class SpacecraftOut(Schema):
    name: str
    flights: int


class VehicleOut(Schema):
    slug: str
    name: str
    url: str
    operator: Ref
    builder: str | None
    seats: int
    typical_stay_days: int | None
    missions: int
    craft: list[SpacecraftOut]


class AgreementDocumentOut(Schema):
    key: str
    title: str
    kind: Literal["original", "addendum", "statement"]
    signed_on: dt.date | None
    signed_precision: Precision | None
    announced_on: dt.date | None
    announced_precision: Precision | None
    covers: str
    crew_changes: str
    notes: str
    missions: list[Ref]
    flown: int = Field(description=_("How many of its missions have launched (in flight or landed)."))
    in_flight: int = Field(description=_("How many of those are still in flight (launched, not yet landed)."))
    sources: list[CitationOut]


class AgreementOut(Schema):
    slug: str
    name: str
    short_name: str
    url: str
    parties: list[Ref]
    terms_summary: str
    notes: str
    documents: list[AgreementDocumentOut]
    sources: list[CitationOut]


class AboardOut(Schema):
    person: Ref
    agency: Ref
    arrived_on: Ref = Field(description=_("The mission the person launched on."))
    launched_at: dt.datetime
    arrived_at: dt.datetime = Field(description=_("Docking, or launch when the docking is not recorded."))
    days_aboard: int
    returns_on: Ref | None
    cross_flight: bool
    mission_stale: bool = Field(description=_("The record of the arrival mission is stale: they may have left."))


class ExpeditionCrewOut(Schema):
    person: Ref
    launched_on: Ref
    expected: bool = Field(description=_("Their place in it rests on a target date."))


class ExpeditionOut(Schema):
    """An ISS expedition: from one Soyuz undocking to the next."""

    number: int
    start: dt.datetime | None = Field(description=_("Null only for Expedition 67, which began before the record."))
    start_precision: Precision | None
    end: dt.datetime | None = Field(description=_("Null while no later Soyuz departure is in the record."))
    end_precision: Precision | None
    expected: bool = Field(description=_("Its start is a target date: the Soyuz that begins it has not undocked."))
    began_with: str | None = Field(description=_("The Soyuz whose undocking began it."))
    began_with_mission: Ref | None = Field(description=_("That Soyuz, when it is in the record."))
    source: str | None = Field(description=_("For Expedition 68, the source of its start; the others are derived."))
    crew: list[ExpeditionCrewOut]


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    source: str | None
    published_at: dt.datetime | None
    language: str | None
    excerpt: str = Field(description=_("The first words of the article's plain text."))
    missions: list[Ref]
    people: list[Ref]


class EvidenceOut(Schema):
    article_id: int
    title: str
    url: str
    sentence: str


class FieldChangeOut(Schema):
    field: str = Field(description=_("The fact that changed: 'landing', 'name', 'role'."))
    what: str = Field(description=_("In words: 'Soyuz MS-28 landing'."))
    old: str = Field(
        description=_(
            "In words: 'unknown', 'July 2026', 'target 2026-07-14', 'NET September 2026', 'none'; a "
            "target that became a fact reads 'target 2026-07-14' → '2026-07-14 09:27 UTC'."
        )
    )
    new: str


class ProposalOut(Schema):
    """The news proposal a change was accepted from."""

    id: int
    kind: Literal["launch", "docking", "undocking", "landing", "delay", "crew_assignment", "agreement"]
    summary: str = Field(description=_("What the news reported: 'Soyuz MS-29 launch: 2026-07-14, planned'."))
    date: dt.date | None
    time: dt.time | None = Field(description=_("Time of day, UTC, when the news gave one (precision is then 'exact')."))
    precision: Precision | None
    outcome: str


class UpdateOut(Schema):
    id: str = Field(
        description=_("Stable: 'mission/412' for an editor's save, 'proposal/17' for an accepted proposal.")
    )
    kind: Literal[RECORD_KINDS] = Field(description=_("The kind of record row that changed."))
    summary: str
    changed_at: dt.datetime
    by: str = Field(description=_("The editor's username, or 'news proposal #17 accepted by <username>'."))
    editor: str | None = Field(description=_("The editor who made or accepted the change; null for a script."))
    url: str = Field(description=_("The public page that shows the changed fact."))
    mission: Ref | None
    person: Ref | None
    changes: list[FieldChangeOut] = Field(description=_("Old → new for each fact the change touched."))
    reason: str = Field(description=_("Why: the editor's change reason, or what accepting the proposal did."))
    proposal: ProposalOut | None
    sources: list[EvidenceOut] = Field(description=_("The articles that reported it (accepted proposals only)."))


class ErrorOut(Schema):
    detail: str


class PageOut(Schema):
    count: int = Field(description=_("Items matching the filters, on every page."))
    limit: int
    offset: int
    next: str | None = Field(description=_("The next page's URL, or null on the last page."))
    previous: str | None


class MissionPage(PageOut):
    items: list[MissionOut]


class CrossFlightPage(PageOut):
    items: list[CrossFlightOut]


class PersonPage(PageOut):
    items: list[PersonOut]


class VehiclePage(PageOut):
    items: list[VehicleOut]


class ArticlePage(PageOut):
    items: list[ArticleOut]


class UpdatePage(PageOut):
    items: list[UpdateOut]


# --- The seat-swap ledger (tracker/record/ledger.py) ------------------------------------------


class LedgerTallyOut(Schema):
    seats: int = Field(description=_("Seats used so far: stays in space that have begun (landed or still up)."))
    in_flight: int = Field(description=_("Of those, stays still going; their days count to now."))
    person_days: int = Field(description=_("Whole days in space from those seats."))
    to_fly: int = Field(description=_("Seats on flights that have not launched: never in the figures above."))


class LedgerBalanceOut(Schema):
    seats: int = Field(description=_("Seats given minus seats used, flown seats only; positive: in credit."))
    person_days: int
    seats_after_to_fly: int = Field(description=_("The seat balance once the flights still to fly have flown."))


class LedgerSideOut(Schema):
    party: Ref
    given: LedgerTallyOut = Field(description=_("The party's vehicles carrying the other party's crew."))
    used: LedgerTallyOut = Field(description=_("The party's crew on the other party's vehicles."))
    balance: LedgerBalanceOut


class LedgerAccountOut(Schema):
    document: DocumentRef | None = Field(description=_("The agreement document; null for the total."))
    sides: list[LedgerSideOut]
    counted_elsewhere: list[Ref] = Field(
        description=_("Flights this document covers that count under an earlier document (each counts once).")
    )


class LedgerSeatOut(Schema):
    person: Ref
    agency: Ref
    vehicle_operator: Ref = Field(description=_("The party whose vehicle gave the seat."))
    launched_on: Ref
    returned_on: Ref | None
    document: DocumentRef
    state: Literal["planned", "in_flight", "landed"]
    days: int | None = Field(description=_("Whole days in space (to now while still up); null until launch."))


class LedgerOut(Schema):
    """The agreement as a barter: seats and person-days given and used by each party."""

    agreement: Ref
    url: str = Field(description=_("The ledger's page on this site."))
    as_of: dt.datetime
    parties: list[Ref]
    total: LedgerAccountOut
    documents: list[LedgerAccountOut]
    seats: list[LedgerSeatOut] = Field(description=_("Every seat counted: one per stay with a cross-flight leg."))
