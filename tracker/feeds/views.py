"""Calendar and Atom feeds. Each view parses its filters, asks a query function, renders.

Their words follow `?lang=` or Accept-Language (language.py), their data does not. All
three are cached like the public pages (per record version and language, gzipped; see
tracker/record/page_cache.py) and answer If-None-Match with 304: calendar apps and feed
readers poll, and an unchanged record should cost them, and us, next to nothing.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import conditional_page, require_safe

from tracker.lib.languages import in_requested_language
from tracker.record.models import Mission, Person
from tracker.record.page_cache import cached_public_page

from .calendar import build_calendar
from .crew_events import CalendarFilters, events_for, find_agency
from .syndication import NewsFeed, UpdatesFeed

CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_filters(query) -> CalendarFilters:
    """`?mission=` and `?person=` (slugs), `?agency=` (slug or name, any case). An empty
    value is no filter; an unknown one is a 404, so a mistyped subscription fails loudly
    in the calendar app instead of showing an empty calendar forever."""
    mission, person, agency = (query.get(name, "").strip() for name in ("mission", "person", "agency"))
    found_agency = find_agency(agency) if agency else None
    if agency and found_agency is None:
        raise Http404("No agency has that slug or name.")
    return CalendarFilters(
        mission=get_object_or_404(Mission, slug=mission) if mission else None,
        person=get_object_or_404(Person, slug=person) if person else None,
        agency=found_agency,
    )


@require_safe
@conditional_page
@in_requested_language
@cached_public_page
def crew_events_view(request):
    filters = calendar_filters(request.GET)
    now = timezone.now()
    calendar = build_calendar(
        events_for(filters, now=now), absolute_url=request.build_absolute_uri, now=now, labels=filters.labels()
    )
    return HttpResponse(calendar.to_ical(), content_type=CALENDAR_CONTENT_TYPE)


@require_safe
@conditional_page
@in_requested_language
@cached_public_page
def updates_view(request):
    return UpdatesFeed()(request)


@require_safe
@conditional_page
@in_requested_language
@cached_public_page
def news_view(request):
    return NewsFeed()(request)
