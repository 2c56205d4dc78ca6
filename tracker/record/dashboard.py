"""What the dashboard shows, assembled from the record in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from .forms import CrossFlightFilterForm
from .models import EVENTS, Agreement, AgreementDocument, Mission, MissionStatus, Seat, VehicleFamily
from .models.missions import FLOWN_STATUSES, UPCOMING_STATUSES

COMPLETED_PER_PAGE = 20
LIVE_LIMIT = 20
CHIPS_PER_DOCUMENT = 12


@dataclass
class CrossFlightSections:
    upcoming: list[Mission]
    in_flight: list[Mission]
    completed: Page
    filtered: bool
    upcoming_total: int
    in_flight_total: int


def launch_years() -> list[int]:
    years = (
        Mission.objects.exclude(launch_at__isnull=True)
        .annotate(year=ExtractYear("launch_at"))
        .values_list("year", flat=True)
        # Without this the model's ordering (launch time, name) joins the DISTINCT and
        # each year comes back once per mission.
        .order_by("-year")
        .distinct()
    )
    return list(years)


def families_flown(missions) -> QuerySet[VehicleFamily]:
    """The vehicle families that have at least one of `missions`: the filters offer no other."""
    return VehicleFamily.objects.filter(Exists(missions.filter(family=OuterRef("pk"))))


def filter_form(query) -> CrossFlightFilterForm:
    return CrossFlightFilterForm(query, years=launch_years(), families=families_flown(Mission.objects.cross_flights()))


def filtered_cross_flights(filters: dict):
    return apply_mission_filters(Mission.objects.cross_flights(), filters)


def apply_mission_filters(missions, filters: dict):
    """`missions` narrowed by the filter forms' cleaned values (agency: its crew flew on it or
    it operates the vehicle)."""
    if agency := filters.get("agency"):
        missions = missions.involving([agency])
    if family := filters.get("family"):
        missions = missions.filter(family=family)
    if year := filters.get("year"):
        missions = missions.filter(launch_at__year=year)
    if status := filters.get("status"):
        missions = missions.filter(status=status)
    return missions


def cross_flight_sections(filters: dict, *, page: int, now: dt.datetime) -> CrossFlightSections:
    """Upcoming and in-flight cross-flights (the soonest LIVE_LIMIT of each: in practice a
    handful, but a big record must not make the dashboard unbounded) and a page of completed ones."""
    missions = filtered_cross_flights(filters)
    totals = missions.aggregate(
        upcoming=Count("pk", filter=Q(status__in=UPCOMING_STATUSES)),
        in_flight=Count("pk", filter=Q(status=MissionStatus.IN_FLIGHT)),
    )
    listed = missions.for_listing(now)
    completed = listed.completed().order_by("-launch_at", "-name")
    return CrossFlightSections(
        upcoming=list(listed.upcoming()[:LIVE_LIMIT]) if totals["upcoming"] else [],
        in_flight=list(listed.in_flight()[:LIVE_LIMIT]) if totals["in_flight"] else [],
        completed=Paginator(completed, COMPLETED_PER_PAGE).get_page(page),
        filtered=bool(filters),
        upcoming_total=totals["upcoming"],
        in_flight_total=totals["in_flight"],
    )


def next_cross_flight(now: dt.datetime) -> Mission | None:
    """The first cross-flight still to launch: dated ones first, soonest first."""
    return Mission.objects.cross_flights().upcoming().for_listing(now).first()


def aboard_now(now: dt.datetime) -> list[Seat]:
    """Stays in progress, with who, on what, since when, cross-flight marks, and whether
    the record of the mission they came on is stale (they may well have landed)."""
    stays = list(
        Seat.objects.aboard_at(now)
        .with_cross_flight()
        .select_related("person__agency", "mission__family")
        .order_by("mission__launch_at", "mission__name", "pk")
    )
    stale = set(
        Mission.objects.with_stale(now)
        .filter(is_stale=True, pk__in={stay.mission_id for stay in stays})
        .values_list("pk", flat=True)
    )
    for stay in stays:
        stay.mission_is_stale = stay.mission_id in stale
    return stays


def agreement_progress(*, with_sources: bool = False) -> tuple[Agreement | None, list[AgreementDocument]]:
    """The agreement and its documents, each with its flights in launch order and how many
    have flown. The agreement page also wants parties and sources; the dashboard does not."""
    agreements = Agreement.objects.prefetch_related("parties", "sources") if with_sources else Agreement.objects
    agreement = agreements.first()
    if agreement is None:
        return None, []
    in_launch_order = Mission.objects.order_by(F("launch_at").asc(nulls_last=True), "name")
    documents = agreement.documents.prefetch_related(Prefetch("missions", queryset=in_launch_order))
    documents = list(documents.prefetch_related("sources") if with_sources else documents)
    for document in documents:
        covered = document.missions.all()
        document.flown_count = sum(1 for mission in covered if mission.status in FLOWN_STATUSES)
        # A flight still up has launched but not flown its whole course: pages count it apart.
        document.in_flight_count = sum(1 for mission in covered if mission.status == MissionStatus.IN_FLIGHT)
        document.landed_count = document.flown_count - document.in_flight_count
        # The dashboard shows a document's first flights; the agreement page shows them all.
        document.first_missions, document.more_missions = (
            covered[:CHIPS_PER_DOCUMENT],
            max(0, len(covered) - CHIPS_PER_DOCUMENT),
        )
    return agreement, documents


def live_context(now: dt.datetime) -> dict:
    """The regions that change with time: who is aboard, and the next cross-flight."""
    aboard = aboard_now(now)
    overdue = [any(stay.mission.is_overdue(event, now) for event in EVENTS) for stay in aboard]
    return {
        "aboard": aboard,
        # The note under the table explains the badges shown: a target passed unconfirmed
        # reads "overdue"; "stale" is left for a stay past its vehicle's usual length.
        "aboard_has_overdue": any(overdue),
        "aboard_has_stale": any(stay.mission_is_stale and not late for stay, late in zip(aboard, overdue, strict=True)),
        "next_flight": next_cross_flight(now),
    }
