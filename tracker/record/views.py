"""Public, read-only pages. Each view parses input, asks a query function, renders.

A dashboard request from htmx names its target region in HX-Target; the view then renders
only the partial of the same name (region id == partial name == target id)."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from tracker.lib.theme import THEME_COOKIE, THEMES

from . import dashboard, detail, expeditions, indexes, ledger, ledger_chart, timeline
from .forms import CrossFlightFilterForm, MissionFilterForm
from .models import Mission, Person, VehicleFamily
from .page_cache import cached_public_page

# Regions of the dashboard that htmx may ask for alone (HX-Target == partial name).
LIVE_PARTIALS = {"aboard-now", "next-crossflight"}
# The query parameters the dashboard reads: its filters and the page of completed flights.
DASHBOARD_QUERY = (*CrossFlightFilterForm.base_fields, "page")
MISSIONS_QUERY = (*MissionFilterForm.base_fields, "page")
# The people index's columns, each a sort key with its heading.
PEOPLE_COLUMNS = [
    ("name", pgettext_lazy("people column", "Name")),
    ("agency", pgettext_lazy("people column", "Agency")),
    ("days", pgettext_lazy("people column", "Days in space")),
    ("flights", pgettext_lazy("people column", "Flights")),
]


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@require_GET
@cached_public_page(query=DASHBOARD_QUERY)
def dashboard_view(request):
    now = timezone.now()
    target = request.htmx.target if request.htmx else None
    if target in LIVE_PARTIALS:
        return render(request, f"record/dashboard.html#{target}", {"now": now, **dashboard.live_context(now)})
    form = dashboard.filter_form(request.GET)
    context = {
        "now": now,
        "form": form,
        "sections": dashboard.cross_flight_sections(form.filters(), page=_page_number(request), now=now),
    }
    if target == "crossflights":
        return render(request, "record/dashboard.html#crossflights", context)
    context["agreement"], context["documents"] = dashboard.agreement_progress()
    return render(request, "record/dashboard.html", {**context, **dashboard.live_context(now)})


@require_GET
@cached_public_page(query=())
def mission_view(request, slug):
    now = timezone.now()
    missions = Mission.objects.for_listing(now).with_cross_flight().prefetch_related("sources")
    mission = get_object_or_404(missions, slug=slug)
    context = detail.mission_context(mission, now=now)
    return render(request, "record/mission.html", context)


@require_GET
@cached_public_page(query=())
def person_view(request, slug):
    person = get_object_or_404(Person.objects.select_related("agency").prefetch_related("aliases"), slug=slug)
    return render(request, "record/person.html", detail.person_context(person, now=timezone.now()))


@require_GET
@cached_public_page(query=())
def vehicle_view(request, slug):
    family = get_object_or_404(VehicleFamily.objects.select_related("operator"), slug=slug)
    return render(request, "record/vehicle.html", detail.vehicle_context(family, now=timezone.now()))


@require_GET
@cached_public_page(query=())
def agreement_view(request):
    agreement, documents = dashboard.agreement_progress(with_sources=True)
    if agreement is None:
        raise Http404(_("No agreement is recorded yet."))
    return render(
        request,
        "record/agreement.html",
        {"agreement": agreement, "documents": documents, "sources": agreement.sources.all()},
    )


@require_GET
@cached_public_page(query=())
def ledger_view(request):
    account = ledger.seat_swap_ledger(now=timezone.now())
    if account is None:
        raise Http404(_("No agreement is recorded yet."))
    return render(request, "record/ledger.html", {"ledger": account, "chart": ledger_chart.ledger_chart(account)})


@require_GET
@cached_public_page(query=())
def expeditions_view(request):
    """Every ISS expedition the record tells, newest first, with its crew."""
    context = {"expeditions": expeditions.expeditions()[::-1], "anchor_source": expeditions.ANCHOR_SOURCE}
    return render(request, "record/expeditions.html", context)


@require_GET
@cached_public_page(query=())
def timeline_view(request):
    return render(request, "record/timeline.html", {"chart": timeline.occupancy_chart(now=timezone.now())})


@require_GET
@cached_public_page(query=())
def timeline_svg_view(request):
    response = render(
        request,
        "record/timeline.svg",
        {"chart": timeline.occupancy_chart(now=timezone.now()), "standalone": True},
        content_type="image/svg+xml; charset=utf-8",
    )
    return response


def _page_or_region(request, template: str, region: str, context: dict):
    """The whole page, or only `region` (partial name == DOM id) when htmx targets it."""
    partial = request.htmx and request.htmx.target == region
    response = render(request, f"{template}#{region}" if partial else template, context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@require_GET
@cached_public_page(query=MISSIONS_QUERY)
def missions_index_view(request):
    now = timezone.now()
    form = indexes.mission_filter_form(request.GET)
    filters = form.filters()
    context = {
        "now": now,
        "form": form,
        "filtered": bool(filters),
        "page": indexes.missions_page(filters, page=_page_number(request), now=now),
    }
    return _page_or_region(request, "record/missions_index.html", "missions-list", context)


@require_GET
@cached_public_page(query=("sort", "page"))
def people_index_view(request):
    sort = request.GET.get("sort", indexes.DEFAULT_PEOPLE_SORT)
    if sort not in indexes.PEOPLE_SORTS:
        sort = indexes.DEFAULT_PEOPLE_SORT
    page = indexes.people_page(sort=sort, page=_page_number(request), now=timezone.now())
    context = {"page": page, "sort": sort, "sort_label": indexes.PEOPLE_SORTS[sort].label, "columns": PEOPLE_COLUMNS}
    return _page_or_region(request, "record/people_index.html", "people-list", context)


@require_GET
@cached_public_page(query=())
def vehicles_index_view(request):
    return render(request, "record/vehicles_index.html", {"families": indexes.vehicle_families()})


@require_GET
def theme_view(request, theme):
    """Switch between the dark (default) and light themes; works without JavaScript."""
    if theme not in THEMES:
        raise Http404(_("Unknown theme."))
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(THEME_COOKIE, theme, max_age=365 * 24 * 3600, samesite="Lax", secure=request.is_secure())
    return response
