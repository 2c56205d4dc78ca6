"""Query parameters the API takes, and how they narrow a queryset.

Lists are comma-separated (`?agency=nasa,roscosmos`): any of the values matches. A value
that is malformed (not a slug, not one of the statuses) is a 400; a well-formed slug that
names nothing in the record is a 404 naming it, not an empty result, so a typo is not
mistaken for "nothing happened"."""

import datetime as dt
import re
from typing import Annotated, Literal

from django.db.models import Exists, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from tracker.news.changes import KINDS, RecordChanges
from tracker.news.models import Mention, NewsSource
from tracker.record.models import Agency, Mission, MissionStatus, Person, Seat, VehicleFamily
from tracker.record.models.missions import UPCOMING_STATUSES

# A list parameter is at most this long: bounded work, whatever the client sends.
MAX_LIST_CHARS = 2000
# An offset past this is never a real page; SQLite cannot even take one past 2**63.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 200
DEFAULT_LIMIT = 50

# The dashboard's three sections, plus the flights that will not happen.
CROSS_FLIGHT_STATES = {
    "upcoming": UPCOMING_STATUSES,
    "in_flight": (MissionStatus.IN_FLIGHT,),
    "completed": (MissionStatus.LANDED,),
    "cancelled": (MissionStatus.CANCELLED,),
}


def cross_flight_state(status: str) -> str:
    return next(state for state, statuses in CROSS_FLIGHT_STATES.items() if status in statuses)


def _iso_date_only(value):
    # pydantic would also take "0" or "1700000000" as a date (seconds since 1970): a
    # parameter that looks like a typo must be refused, not read as 1 January 1970.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]


def _list_help(what, extra=None):
    """'Comma-separated <what>; any of them matches.' (and `extra`), in the reader's language."""
    text = format_lazy(_("Comma-separated {what}; any of them matches."), what=what)
    return format_lazy("{} {}", text, extra) if extra else text


# Patterns for the schema (and so for validation): explicit ASCII classes, because "\w"
# means different things to the schema's ECMA regexes and to Python's.
SLUGS = r"^[-A-Za-z0-9_]+(,[-A-Za-z0-9_]+)*$"


def one_of(values) -> str:
    choice = "|".join(values)
    return rf"^({choice})(,({choice}))*$"


def slugs(what, extra=None):
    """A parameter of comma-separated slugs; `what` names them ('agency slugs')."""
    return Field(None, pattern=SLUGS, max_length=MAX_LIST_CHARS, description=_list_help(what, extra))


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=format_lazy(_("Items per page (at most {limit})."), limit=MAX_LIMIT),
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=_("Items to skip."))


class MissionFilters(PageParams):
    agency: str | None = slugs(_("agency slugs"), _("Crew from it, or operated by it."))
    family: str | None = slugs(_("vehicle family slugs"))
    status: str | None = Field(
        None,
        max_length=MAX_LIST_CHARS,
        pattern=one_of(MissionStatus.values),
        description=_list_help(format_lazy(_("statuses: {values}"), values=", ".join(MissionStatus.values))),
    )
    person: str | None = slugs(_("person slugs"), _("The person has a seat on it."))
    cross_flight: bool | None = Field(
        None, description=_("Only missions with (true) or without (false) a cross-flight.")
    )
    launched_after: IsoDate | None = Field(None, description=_("Launch on or after this UTC date."))
    launched_before: IsoDate | None = Field(None, description=_("Launch on or before this UTC date."))


class CrossFlightFilters(PageParams):
    state: str | None = Field(
        None,
        max_length=MAX_LIST_CHARS,
        pattern=one_of(CROSS_FLIGHT_STATES),
        description=_list_help(format_lazy(_("states: {values}"), values=", ".join(CROSS_FLIGHT_STATES))),
    )
    agency: str | None = slugs(_("agency slugs"), _("Crew from it, or operated by it."))
    family: str | None = slugs(_("vehicle family slugs"))
    person: str | None = slugs(_("person slugs"))
    launched_after: IsoDate | None = Field(None, description=_("Launch on or after this UTC date."))
    launched_before: IsoDate | None = Field(None, description=_("Launch on or before this UTC date."))


class PersonFilters(PageParams):
    agency: str | None = slugs(_("agency slugs"))
    mission: str | None = slugs(_("mission slugs"), _("The person had a seat on it."))
    cross_flight: bool | None = Field(
        None, description=_("Only people who flew (true) or never flew (false) a cross-flight.")
    )


class VehicleFilters(PageParams):
    operator: str | None = slugs(_("agency slugs"))


class ArticleFilters(PageParams):
    mission: str | None = slugs(_("mission slugs"), _("The article names it."))
    person: str | None = slugs(_("person slugs"), _("The article names them."))
    has_mission: bool | None = Field(
        None, description=_("Only articles linked (true) or not linked (false) to a mission.")
    )
    source: str | None = Field(None, max_length=MAX_LIST_CHARS, description=_list_help(_("news source names")))
    published_after: IsoDate | None = Field(None, description=_("Published on or after this UTC date."))
    published_before: IsoDate | None = Field(None, description=_("Published on or before this UTC date."))


class UpdateFilters(PageParams):
    mission: str | None = slugs(_("mission slugs"), _("Changes to it and its seats."))
    kind: str | None = Field(
        None,
        max_length=MAX_LIST_CHARS,
        pattern=one_of(KINDS),
        description=_list_help(format_lazy(_("kinds of record row: {values}"), values=", ".join(KINDS))),
    )
    via: Literal["editor", "news"] | None = Field(
        None, description=_("Only editors' own edits (editor) or proposals accepted from the news (news).")
    )
    changed_after: IsoDate | None = Field(None, description=_("Changed on or after this UTC date."))
    changed_before: IsoDate | None = Field(None, description=_("Changed on or before this UTC date."))
    # The first API listed only accepted proposals, filtered by these two; callers written
    # against it keep working: they ask for proposals accepted in the range, as before.
    accepted_after: IsoDate | None = Field(
        None, description=_("Proposals accepted on or after this UTC date (implies via=news unless via is given).")
    )
    accepted_before: IsoDate | None = Field(
        None, description=_("Proposals accepted on or before this UTC date (implies via=news unless via is given).")
    )


def split(value: str | None) -> list[str]:
    """'a,b,a' -> ['a', 'b']: the schema's pattern has already refused empty or spaced items."""
    return list(dict.fromkeys(value.split(","))) if value else []


def choices(value: str | None, name: str, allowed) -> list[str]:
    values = split(value)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise HttpError(400, f"{name}: unknown value {unknown[0]!r}; expected any of {', '.join(allowed)}.")
    return values


def known(value: str | None, name: str, model, field: str = "slug") -> list:
    """The rows the listed slugs (or names) name; a 404 for the first that names none."""
    values = split(value)
    if not values:
        return []
    rows = {getattr(row, field): row for row in model.objects.filter(**{f"{field}__in": values})}
    for value in values:
        if value not in rows:
            raise HttpError(404, f"{name}: no {model._meta.verbose_name} {value!r}.")
    return list(rows.values())


def _date_range(queryset, field: str, after: dt.date | None, before: dt.date | None):
    if after is not None:
        queryset = queryset.filter(**{f"{field}__date__gte": after})
    if before is not None:
        queryset = queryset.filter(**{f"{field}__date__lte": before})
    return queryset


def filter_missions(queryset, filters: MissionFilters):
    if agencies := known(filters.agency, "agency", Agency):
        queryset = queryset.involving(agencies)
    if families := known(filters.family, "family", VehicleFamily):
        queryset = queryset.filter(family__in=families)
    if statuses := choices(filters.status, "status", MissionStatus.values):
        queryset = queryset.filter(status__in=statuses)
    if people := known(filters.person, "person", Person):
        queryset = queryset.carrying(people)
    if filters.cross_flight is not None:
        queryset = queryset.filter(is_cross_flight=filters.cross_flight)
    return _date_range(queryset, "launch_at", filters.launched_after, filters.launched_before)


def filter_cross_flights(queryset, filters: CrossFlightFilters):
    if states := choices(filters.state, "state", list(CROSS_FLIGHT_STATES)):
        queryset = queryset.filter(status__in=[status for state in states for status in CROSS_FLIGHT_STATES[state]])
    if agencies := known(filters.agency, "agency", Agency):
        queryset = queryset.involving(agencies)
    if families := known(filters.family, "family", VehicleFamily):
        queryset = queryset.filter(family__in=families)
    if people := known(filters.person, "person", Person):
        queryset = queryset.carrying(people)
    return _date_range(queryset, "launch_at", filters.launched_after, filters.launched_before)


def filter_people(queryset, filters: PersonFilters):
    if agencies := known(filters.agency, "agency", Agency):
        queryset = queryset.filter(agency__in=agencies)
    if missions := known(filters.mission, "mission", Mission):
        queryset = queryset.filter(Exists(Seat.objects.filter(person=OuterRef("pk"), mission__in=missions)))
    if filters.cross_flight is not None:
        flew_one = Exists(Seat.objects.cross_flight().filter(person=OuterRef("pk")))
        queryset = queryset.filter(flew_one if filters.cross_flight else ~flew_one)
    return queryset


def filter_vehicles(queryset, filters: VehicleFilters):
    if agencies := known(filters.operator, "operator", Agency):
        queryset = queryset.filter(operator__in=agencies)
    return queryset


def filter_articles(queryset, filters: ArticleFilters):
    if missions := known(filters.mission, "mission", Mission):
        queryset = queryset.filter(Exists(Mention.objects.filter(article=OuterRef("pk"), mission__in=missions)))
    if people := known(filters.person, "person", Person):
        queryset = queryset.filter(Exists(Mention.objects.filter(article=OuterRef("pk"), person__in=people)))
    if filters.has_mission is not None:
        linked = Exists(Mention.objects.filter(article=OuterRef("pk"), mission__isnull=False))
        queryset = queryset.filter(linked if filters.has_mission else ~linked)
    if sources := known(filters.source, "source", NewsSource, field="name"):
        queryset = queryset.filter(source__in=sources)
    return _date_range(queryset, "published_at", filters.published_after, filters.published_before)


def update_changes(filters: UpdateFilters) -> RecordChanges:
    """The record's changes these filters ask for (tracker/news/changes.py)."""
    day = dt.timedelta(days=1)
    after = filters.changed_after or filters.accepted_after
    before = filters.changed_before or filters.accepted_before
    accepted_only = filters.accepted_after is not None or filters.accepted_before is not None
    return RecordChanges(
        missions=known(filters.mission, "mission", Mission) or None,
        kinds=choices(filters.kind, "kind", KINDS) or None,
        via=filters.via or ("news" if accepted_only else None),
        since=dt.datetime.combine(after, dt.time(), dt.UTC) if after else None,
        until=dt.datetime.combine(before, dt.time(), dt.UTC) + day if before else None,
    )
