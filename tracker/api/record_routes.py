"""The record's endpoints: missions, cross-flights, people, vehicles, the agreement and its ledger, who is aboard."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from tracker.record import dashboard
from tracker.record.ledger import seat_swap_ledger

from . import filters, representations
from .caching import conditional_cached
from .language import reader_words
from .ledger import ledger as ledger_representation
from .schemas import (
    AboardOut,
    AgreementOut,
    CrossFlightPage,
    ErrorOut,
    ExpeditionOut,
    LedgerOut,
    MissionDetailOut,
    MissionPage,
    PersonOut,
    PersonPage,
    VehicleOut,
    VehiclePage,
)

router = Router(tags=["record"])
# 400: a malformed parameter; 404: a filter names something the record does not have.
ERRORS = {400: ErrorOut, 404: ErrorOut}
NOT_FOUND = {404: ErrorOut}


def no_agreement() -> str:
    with reader_words():
        return gettext("No agreement is recorded yet.")


@router.get(
    "/missions",
    response={200: MissionPage, **ERRORS},
    url_name="missions",
    summary=_("List Missions"),
    description=_("Every mission in launch order (undated last), with seats by leg and cross-flight flags."),
)
@decorate_view(conditional_cached(filters.MissionFilters))
def list_missions(request, params: Query[filters.MissionFilters]):
    now = timezone.now()
    missions = filters.filter_missions(representations.missions(now), params)
    return representations.paginate(
        request, missions, params, lambda rows: representations.mission_list(request, rows, now)
    )


@router.get(
    "/missions/{slug}",
    response={200: MissionDetailOut, **NOT_FOUND},
    url_name="mission",
    summary=_("Get Mission"),
    description=_("One mission, with its agreement documents and sources."),
)
@decorate_view(conditional_cached())
def get_mission(request, slug: str):
    now = timezone.now()
    mission = get_object_or_404(representations.missions_detail_queryset(now), slug=slug)
    return representations.mission_detail(request, mission, now)


@router.get(
    "/crossflights",
    response={200: CrossFlightPage, **ERRORS},
    url_name="crossflights",
    summary=_("List Cross Flights"),
    description=_(
        "Missions that carry a cross-flight seat, each with its state: upcoming, in_flight,\ncompleted (or cancelled)."
    ),
)
@decorate_view(conditional_cached(filters.CrossFlightFilters))
def list_cross_flights(request, params: Query[filters.CrossFlightFilters]):
    now = timezone.now()
    missions = representations.missions(now).filter(is_cross_flight=True)
    missions = filters.filter_cross_flights(missions, params)
    return representations.paginate(
        request, missions, params, lambda rows: representations.cross_flight_list(request, rows, now)
    )


@router.get(
    "/people",
    response={200: PersonPage, **ERRORS},
    url_name="people",
    summary=_("List People"),
    description=_("Crew members by name, with days in space and every flight."),
)
@decorate_view(conditional_cached(filters.PersonFilters))
def list_people(request, params: Query[filters.PersonFilters]):
    now = timezone.now()
    people = filters.filter_people(representations.people(), params)
    return representations.paginate(
        request, people, params, lambda rows: representations.person_list(request, rows, now)
    )


@router.get("/people/{slug}", response={200: PersonOut, **NOT_FOUND}, url_name="person", summary=_("Get Person"))
@decorate_view(conditional_cached())
def get_person(request, slug: str):
    person = get_object_or_404(representations.people(), slug=slug)
    return representations.person_list(request, [person], timezone.now())[0]


@router.get(
    "/vehicles",
    response={200: VehiclePage, **ERRORS},
    url_name="vehicles",
    summary=_("List Vehicles"),
    description=_("Vehicle families (Soyuz MS, Crew Dragon...), their operators and flown craft."),
)
@decorate_view(conditional_cached(filters.VehicleFilters))
def list_vehicles(request, params: Query[filters.VehicleFilters]):
    families = filters.filter_vehicles(representations.vehicles(), params)
    return representations.paginate(
        request, families, params, lambda rows: [representations.vehicle(request, row) for row in rows]
    )


@router.get("/vehicles/{slug}", response={200: VehicleOut, **NOT_FOUND}, url_name="vehicle", summary=_("Get Vehicle"))
@decorate_view(conditional_cached())
def get_vehicle(request, slug: str):
    return representations.vehicle(request, get_object_or_404(representations.vehicles(), slug=slug))


@router.get(
    "/agreement",
    response={200: AgreementOut, **NOT_FOUND},
    url_name="agreement",
    summary=_("Get Agreement"),
    description=_("The seat-swap agreement, its documents (original and addenda) and the flights each covers."),
)
@decorate_view(conditional_cached())
def get_agreement(request):
    agreement = representations.agreement(request)
    if agreement is None:
        return 404, {"detail": no_agreement()}
    return agreement


@router.get(
    "/ledger",
    response={200: LedgerOut, **NOT_FOUND},
    url_name="ledger",
    summary=_("Get Ledger"),
    description=_(
        "The seat-swap ledger: for each party, seats its vehicles gave the other party's crew and seats its\ncrew used on the other's vehicles, with person-days and the balance, per agreement document and in\ntotal. A seat is one stay in space with a cross-flight leg; flights still to fly count apart."
    ),
)
@decorate_view(conditional_cached())
def get_ledger(request):
    row = seat_swap_ledger(now=timezone.now())
    if row is None:
        return Status(404, {"detail": no_agreement()})
    return ledger_representation(request, row)


@router.get(
    "/aboard-now",
    response=list[AboardOut],
    url_name="aboard-now",
    summary=_("List Aboard Now"),
    description=_("Who is aboard the ISS now, by arrival."),
)
@decorate_view(conditional_cached())
def list_aboard_now(request):
    now = timezone.now()
    return representations.aboard(dashboard.aboard_now(now), now)


@router.get(
    "/expeditions",
    response=list[ExpeditionOut],
    url_name="expeditions",
    summary=_("List Expeditions"),
    description=_(
        "ISS expeditions in order, each with its crew: an expedition runs from one Soyuz undocking to the next,\nnumbered from the one sourced start (Expedition 68 began when Soyuz MS-21 undocked, 2022-09-29 07:34 UTC)."
    ),
)
@decorate_view(conditional_cached())
def list_expeditions(request):
    return representations.expedition_list()
