"""The mission and seat admins' list filters, and the answer to "why is this mission not
on the dashboard?"."""

from django.contrib import admin
from django.db.models import Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Mission, MissionStatus


class LaunchYearFilter(admin.SimpleListFilter):
    title = _("launch year")
    parameter_name = "year"
    launch_field = "launch_at"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .exclude(**{f"{self.launch_field}__isnull": True})
            .annotate(year=ExtractYear(self.launch_field))
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        return [(str(year), str(year)) for year in years] + [("unknown", _("unknown"))]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(**{f"{self.launch_field}__isnull": True})
        if self.value():
            return queryset.filter(**{f"{self.launch_field}__year": int(self.value())})
        return queryset


class SeatLaunchYearFilter(LaunchYearFilter):
    launch_field = "mission__launch_at"


class DashboardFilter(admin.SimpleListFilter):
    """Which missions the dashboard lists, and why the others are missing from it."""

    title = _("on the dashboard")
    parameter_name = "dashboard"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("yes")),
            ("uncovered", _("no: not covered by any agreement document")),
            ("no-seat", _("no: no cross-flight seat")),
            ("cancelled", _("no: cancelled")),
        ]

    def queryset(self, request, queryset):
        live = ~Q(status=MissionStatus.CANCELLED)
        return {
            "yes": queryset.filter(live, is_cross_flight=True),
            "uncovered": queryset.filter(live, is_covered=False),
            "no-seat": queryset.filter(live, is_covered=True, is_cross_flight=False),
            "cancelled": queryset.filter(status=MissionStatus.CANCELLED),
        }.get(self.value(), queryset)


def dashboard_reason(mission: Mission) -> str:
    """Whether the dashboard lists this mission and, if not, why (the dashboard lists the
    cross-flights: flights an agreement document covers with a seat for the other party)."""
    if mission.status == MissionStatus.CANCELLED:
        return gettext("No: the flight was cancelled (the dashboard lists upcoming, in-flight and completed flights).")
    if not mission.is_covered:
        return gettext(
            "No: not covered by any agreement document. If the seat swap covers this flight, "
            "add it to the document's flights under Agreements."
        )
    if not mission.is_cross_flight:
        return gettext(
            "No: no cross-flight seat. An agreement document covers it, but nobody aboard flies for "
            "another party of that agreement than the vehicle's operator."
        )
    return gettext("Yes: it has a cross-flight seat on a flight an agreement document covers.")
