"""The index pages: every mission (filterable, paged), every person (sortable), every vehicle.

Built on the querysets the dashboard and detail pages use (for_listing, stays, the filter
form and its filtering), so an index row says what the page it links to says."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Min, Q
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .dashboard import apply_mission_filters, families_flown, launch_years
from .forms import MissionFilterForm
from .models import Leg, Mission, MissionStatus, Person, Seat, VehicleFamily
from .models.missions import UPCOMING_STATUSES

MISSIONS_PER_PAGE = 25
PEOPLE_PER_PAGE = 50


def mission_filter_form(query) -> MissionFilterForm:
    return MissionFilterForm(query, years=launch_years(), families=families_flown(Mission.objects.all()))


def missions_page(filters: dict, *, page: int, now: dt.datetime) -> Page:
    """A page of missions, newest launch first (undated ones, still to be scheduled, on top)."""
    missions = Mission.objects.with_cross_flight()
    if filters.get("cross_flight"):
        missions = missions.filter(is_cross_flight=True)
    missions = apply_mission_filters(missions, filters).for_listing(now)
    ordered = missions.order_by(F("launch_at").desc(nulls_first=True), "-name")
    return Paginator(ordered, MISSIONS_PER_PAGE).get_page(page)


@dataclass(frozen=True)
class Sort:
    label: str | Promise  # read after "by": "days in space" (people sorted by)
    key: Callable[[Person], tuple]  # figures biggest first, names A to Z (as the reader reads them); ties by name


PEOPLE_SORTS = {
    "days": Sort(pgettext_lazy("people sorted by", "days in space"), lambda p: (-p.days_in_space, p.reader_name)),
    "flights": Sort(
        pgettext_lazy("people sorted by", "flights"),
        lambda p: (-(p.flights + p.flying), -p.days_in_space, p.reader_name),
    ),
    "agency": Sort(pgettext_lazy("people sorted by", "agency"), lambda p: (p.agency.name, p.reader_name)),
    "name": Sort(pgettext_lazy("people sorted by", "name"), lambda p: (p.reader_name,)),
}
DEFAULT_PEOPLE_SORT = "days"


def people_page(*, sort: str, page: int, now: dt.datetime) -> Page:
    """Everyone in the record with their days in space (as the person page counts them),
    flights flown and still planned, and whether any was a cross-flight; in `sort` order.
    Sorted in Python: days in space are summed per stay, and a few hundred people are cheap."""
    ascents = Q(seats__leg=Leg.ASCENT)
    people = list(
        Person.objects.select_related("agency").annotate(
            flights=Count("seats", filter=ascents & Q(seats__mission__status=MissionStatus.LANDED)),
            flying=Count("seats", filter=ascents & Q(seats__mission__status=MissionStatus.IN_FLIGHT)),
            planned=Count("seats", filter=ascents & Q(seats__mission__status__in=UPCOMING_STATUSES)),
        )
    )
    days = Seat.objects.total_days_by_person(now)
    cross_flown = set(Seat.objects.cross_flight().values_list("person_id", flat=True))
    for person in people:
        total = days.get(person.pk)
        person.days_in_space = total.days if total is not None else 0
        person.has_cross_flight = person.pk in cross_flown
    people.sort(key=PEOPLE_SORTS[sort].key)
    return Paginator(people, PEOPLE_PER_PAGE).get_page(page)


def vehicle_families():
    """Every vehicle family with its flights (and how many carried a cross-flight seat),
    its craft, and the years of its first and latest launch."""
    cross_flights = Mission.objects.cross_flights().values("pk")
    return (
        VehicleFamily.objects.select_related("operator")
        .annotate(
            mission_count=Count("missions", distinct=True),
            cross_flight_count=Count("missions", filter=Q(missions__in=cross_flights), distinct=True),
            craft_count=Count("craft", distinct=True),
            first_launch=Min("missions__launch_at"),
            last_launch=Max("missions__launch_at"),
        )
        .order_by("operator__name", "name")
    )
