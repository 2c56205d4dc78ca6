"""The editors' admin for the flight record."""

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_filters import DashboardFilter, LaunchYearFilter, SeatLaunchYearFilter, dashboard_reason
from .admin_history import HistoryAdmin
from .forms import MissionAdminForm
from .models import (
    Agency,
    Agreement,
    AgreementDocument,
    Citation,
    Mission,
    MissionStatus,
    Person,
    PersonAlias,
    Seat,
    Spacecraft,
    VehicleFamily,
)
from .validation import LEG_NAMES, seats_text


class SeatInlineFormSet(forms.BaseInlineFormSet):
    """Counts the seats of one mission together against the vehicle's seats (a new mission's
    seats cannot be counted in the database yet). Each seat's own rules (the person's
    schedule, one way home per stay) run in Seat.clean and stand at the seat's row."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        mission = self.instance
        kept = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.instance.person_id
        ]
        if mission.family_id:
            for leg in {seat.leg for seat in kept}:
                riding = sum(1 for seat in kept if seat.leg == leg)
                if riding > mission.family.seats:
                    raise ValidationError(
                        ngettext(
                            "%(family)s has %(seats)s, but %(riding)s person is listed on the %(leg)s.",
                            "%(family)s has %(seats)s, but %(riding)s people are listed on the %(leg)s.",
                            riding,
                        )
                        % {
                            "family": mission.family,
                            "seats": seats_text(mission.family.seats),
                            "riding": riding,
                            "leg": LEG_NAMES[leg],
                        }
                    )


class SeatInline(admin.TabularInline):
    model = Seat
    formset = SeatInlineFormSet
    extra = 1
    autocomplete_fields = ["person"]
    fields = ["person", "leg", "role", "notes"]
    # Seat notes are a line or two; the default ten-row box made every row tall.
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}


@admin.register(Mission)
class MissionAdmin(HistoryAdmin):
    form = MissionAdminForm
    list_display = ["name", "family", "craft", "launch", "landing", "status", "on_dashboard", "stale"]
    list_filter = [
        "status",
        DashboardFilter,
        "family",
        LaunchYearFilter,
        "seats__person__agency",
        "agreement_documents",
    ]
    readonly_fields = ["on_the_dashboard"]

    def changelist_view(self, request, extra_context=None):
        # Django's date hierarchy computes "the year after" and fails for year 9999 (only
        # a row written around the CHECKs can be there): the launch-year filter shows it.
        year = request.GET.get("launch_at__year", "")
        if year.isdigit() and int(year) >= dt.MAXYEAR:
            query = request.GET.copy()
            del query["launch_at__year"]
            query["year"] = year
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context)

    search_fields = ["name", "slug", "seats__person__name", "seats__person__aliases__alias"]
    date_hierarchy = "launch_at"
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["spacecraft", "sources"]
    inlines = [SeatInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "status",
                    "on_the_dashboard",
                    "family",
                    "spacecraft",
                    "launch_vehicle",
                    "launch_site",
                ]
            },
        ),
        (
            _("Timeline (UTC; a blank time means only the day is known)"),
            {
                # One field a line: an error then stands right above its own field, and
                # the date, time and precision stack readably on a phone.
                "fields": [
                    "launch_at",
                    "launch_precision",
                    "launch_certainty",
                    "docking_at",
                    "docking_precision",
                    "docking_certainty",
                    "undocking_at",
                    "undocking_precision",
                    "undocking_certainty",
                    "landing_at",
                    "landing_precision",
                    "landing_certainty",
                ]
            },
        ),
        (_("Sources and notes"), {"fields": ["sources", "notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_stale()
            .with_cross_flight()
            .annotate(is_covered=Exists(AgreementDocument.objects.filter(missions=OuterRef("pk"))))
            .select_related("family", "spacecraft__family")
        )

    @admin.display(description=_("craft"), ordering="spacecraft__name")
    def craft(self, mission):
        # A craft's name is English data (the admin shows names as the record keeps them).
        if mission.spacecraft:
            return format_html('<span lang="en">{}</span>', mission.spacecraft.name)
        return _("unknown")

    @admin.display(description=_("launch"), ordering="launch_at")
    def launch(self, mission):
        return mission.describe("launch")

    @admin.display(description=_("landing"), ordering="landing_at")
    def landing(self, mission):
        return mission.describe("landing")

    @admin.display(description=_("on the dashboard"), boolean=True, ordering="is_cross_flight")
    def on_dashboard(self, mission):
        return mission.is_cross_flight and mission.status != MissionStatus.CANCELLED

    @admin.display(description=_("On the dashboard"))
    def on_the_dashboard(self, mission):
        if mission.pk is None:
            return _("Decided once the mission is saved with its seats.")
        return dashboard_reason(mission)

    @admin.display(description=_("stale"), boolean=True, ordering="is_stale")
    def stale(self, mission):
        return mission.is_stale


@admin.register(Seat)
class SeatAdmin(HistoryAdmin):
    list_display = ["person", "mission", "leg", "role", "cross_flight"]
    list_filter = ["leg", "role", "person__agency", "mission__family", "mission__status", SeatLaunchYearFilter]
    search_fields = ["person__name", "person__aliases__alias", "mission__name"]
    autocomplete_fields = ["person", "mission"]
    date_hierarchy = "mission__launch_at"
    list_select_related = ["person", "mission"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_cross_flight()

    @admin.display(description=_("cross-flight"), boolean=True, ordering="is_cross_flight")
    def cross_flight(self, seat):
        return seat.is_cross_flight


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1


class PersonSeatInline(admin.TabularInline):
    """A person's flights, read-only here: seats are edited on their mission."""

    model = Seat
    fields = ["mission", "leg", "role"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "agency", "nationality", "aliases_list", "flights"]
    list_filter = ["agency", "seats__mission__family", "nationality"]
    search_fields = ["name", "slug", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PersonAliasInline, PersonSeatInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agency")
            .prefetch_related("aliases")
            .annotate(flight_count=Count("seats", filter=Q(seats__leg="ascent"), distinct=True))
            # Meta.ordering is dropped from GROUP BY queries: without this the seat
            # inline's person autocomplete lists (and pages through) people in no order.
            .order_by(*Person._meta.ordering)
        )

    @admin.display(description=_("also spelled"))
    def aliases_list(self, person):
        return ", ".join(alias.alias for alias in person.aliases.all())

    @admin.display(description=_("flights up"), ordering="flight_count")
    def flights(self, person):
        return person.flight_count


@admin.register(PersonAlias)
class PersonAliasAdmin(HistoryAdmin):
    list_display = ["alias", "person"]
    search_fields = ["alias", "person__name"]
    autocomplete_fields = ["person"]
    list_select_related = ["person"]


@admin.register(Agency)
class AgencyAdmin(HistoryAdmin):
    list_display = ["name", "full_name", "country", "people_count"]
    search_fields = ["name", "full_name", "country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(people_total=Count("people"))

    @admin.display(description=_("people"), ordering="people_total")
    def people_count(self, agency):
        return agency.people_total


class SpacecraftInline(admin.TabularInline):
    model = Spacecraft
    extra = 1


@admin.register(VehicleFamily)
class VehicleFamilyAdmin(HistoryAdmin):
    list_display = ["name", "operator", "builder", "seats", "stay"]
    list_filter = ["operator"]
    search_fields = ["name", "builder"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpacecraftInline]

    # Django shows a duration as Python writes it ("245 days, 0:00:00"): the same, in the
    # reader's language.
    @admin.display(description=VehicleFamily._meta.get_field("typical_stay").verbose_name, ordering="typical_stay")
    def stay(self, family):
        if family.typical_stay is None:
            return None
        days, time = family.typical_stay.days, dt.timedelta(seconds=family.typical_stay.seconds)
        return ngettext("%(days)s day, %(time)s", "%(days)s days, %(time)s", days) % {"days": days, "time": time}


@admin.register(Spacecraft)
class SpacecraftAdmin(HistoryAdmin):
    list_display = ["name", "family"]
    list_filter = ["family"]
    search_fields = ["name", "family__name"]
    list_select_related = ["family"]


class AgreementDocumentInline(admin.StackedInline):
    model = AgreementDocument
    extra = 0
    autocomplete_fields = ["missions", "sources"]
    fields = [
        ("key", "kind"),
        "title",
        ("signed_on", "signed_precision"),
        ("announced_on", "announced_precision"),
        "covers",
        "missions",
        "crew_changes",
        "notes",
        "sources",
    ]


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    list_display = ["short_name", "name", "document_count"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["parties"]
    autocomplete_fields = ["sources"]
    inlines = [AgreementDocumentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(documents_total=Count("documents"))

    @admin.display(description=_("documents"), ordering="documents_total")
    def document_count(self, agreement):
        return agreement.documents_total


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(HistoryAdmin):
    list_display = ["title", "agreement", "kind", "signed_display", "announced_display", "mission_count"]
    list_filter = ["kind", "agreement"]
    search_fields = ["title", "key", "covers", "missions__name"]
    autocomplete_fields = ["missions", "sources"]
    date_hierarchy = "announced_on"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agreement").annotate(missions_total=Count("missions"))

    @admin.display(description=_("signed"), ordering="signed_on")
    def signed_display(self, document):
        return document.signed_display

    @admin.display(description=_("announced"), ordering="announced_on")
    def announced_display(self, document):
        return document.announced_display

    @admin.display(description=_("flights covered"), ordering="missions_total")
    def mission_count(self, document):
        return document.missions_total


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    # Sources typed without a scheme are web pages on https today.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["url", "title"]
    search_fields = ["url", "title"]
