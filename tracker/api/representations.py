"""The record and the news as the API shows them: querysets that fetch a page in a fixed
number of queries, and plain dicts shaped like the schemas in schemas.py."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, F, Prefetch
from django.http import HttpRequest

from tracker.lib.excerpts import lead
from tracker.news.changes import RecordChange
from tracker.news.models import Article, Mention
from tracker.record import expeditions as iss_expeditions
from tracker.record.crossflights import event_state
from tracker.record.models import (
    EVENTS,
    Agreement,
    Certainty,
    Leg,
    Mission,
    MissionStatus,
    Person,
    Seat,
    Spacecraft,
    VehicleFamily,
)
from tracker.record.models.missions import FLOWN_STATUSES

from .filters import PageParams, cross_flight_state
from .language import reader_words

EXCERPT_CHARS = 300


def paginate(request: HttpRequest, queryset, params: PageParams, serialize) -> dict:
    """One page of `queryset` (already in a stable order) with links to its neighbours."""
    count = queryset.count()
    rows = list(queryset[params.offset : params.offset + params.limit])

    def link(offset: int) -> str:
        query = request.GET.copy()
        query["offset"], query["limit"] = str(offset), str(params.limit)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    has_next = params.offset + params.limit < count
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": link(params.offset + params.limit) if has_next else None,
        "previous": link(max(0, params.offset - params.limit)) if params.offset else None,
        "items": serialize(rows),
    }


def ref(obj) -> dict:
    return {"slug": obj.slug, "name": obj.name}


def _ref_or_none(name: str | None, slug: str | None) -> dict | None:
    return {"slug": slug, "name": name} if slug else None


def _in_words(mission: Mission, event: str, now: dt.datetime) -> str:
    with reader_words():
        return mission.describe(event, now)


def _event_fields(mission: Mission, now: dt.datetime) -> dict:
    return {
        event: {
            "at": getattr(mission, f"{event}_at"),
            "precision": getattr(mission, f"{event}_precision") or None,
            **event_state(mission, event, now),
            "display": _in_words(mission, event, now),
        }
        for event in EVENTS
    }


def _flight_event(prefix: str, mission: Mission | None, event: str, now: dt.datetime) -> dict:
    """A stay's launch or return landing as flat fields named like `crossflights --json`'s."""
    state = event_state(mission, event, now) if mission else {"certainty": None, "net": False, "overdue": False}
    precision = getattr(mission, f"{event}_precision") if mission else ""
    return {f"{prefix}_precision": precision or None, **{f"{prefix}_{name}": value for name, value in state.items()}}


def _expeditions(membership: iss_expeditions.Membership) -> list[dict]:
    return [{"number": number, "expected": number in membership.expected} for number in membership.numbers]


def _seat(seat: Seat, expedition_record: iss_expeditions.ExpeditionRecord) -> dict:
    if seat.leg == Leg.ASCENT:
        other = _ref_or_none(seat.returned_on, seat.returned_on_slug)
    else:
        other = _ref_or_none(seat.launched_on, seat.launched_on_slug)
    if other and other["slug"] == seat.mission.slug:
        other = None
    return {
        "person": ref(seat.person),
        "agency": ref(seat.person.agency),
        "role": seat.role_label or None,  # the API runs in English (language.words_in): data
        "cross_flight": seat.is_cross_flight,
        "other_mission": other,
        "expeditions": _expeditions(iss_expeditions.membership(seat, expedition_record)),
    }


# --- Missions and cross-flights ----------------------------------------------------------


def missions(now: dt.datetime):
    """Missions in launch order (undated last), each with seats, flags and its family."""
    return (
        Mission.objects.for_listing(now)
        .with_cross_flight()
        .select_related("family__operator")
        .order_by(F("launch_at").asc(nulls_last=True), "name")
    )


def mission(
    request: HttpRequest,
    mission: Mission,
    now: dt.datetime,
    expedition_record: iss_expeditions.ExpeditionRecord | None = None,
) -> dict:
    """One mission. A list passes `expedition_record` (expeditions.current(), read once)."""
    seats = mission.seats.all()
    expedition_record = expedition_record or iss_expeditions.current()
    return {
        "slug": mission.slug,
        "name": mission.name,
        "url": request.build_absolute_uri(mission.get_absolute_url()),
        "vehicle_family": ref(mission.family),
        "operator": ref(mission.family.operator),
        "spacecraft": mission.spacecraft.name if mission.spacecraft else None,
        "launch_vehicle": mission.launch_vehicle or None,
        "launch_site": mission.launch_site or None,
        "status": mission.status,
        "is_cross_flight": mission.is_cross_flight,
        "stale": mission.is_stale,
        "events": _event_fields(mission, now),
        "seats": {
            "ascent": [_seat(seat, expedition_record) for seat in seats if seat.leg == Leg.ASCENT],
            "descent": [_seat(seat, expedition_record) for seat in seats if seat.leg == Leg.DESCENT],
        },
    }


def mission_detail(request: HttpRequest, mission_row: Mission, now: dt.datetime) -> dict:
    landed_days = (
        (mission_row.landing_at - mission_row.launch_at).days
        if mission_row.launch_at and mission_row.landing_at
        else None
    )
    return {
        **mission(request, mission_row, now),
        "flight_days": landed_days,
        "notes": mission_row.notes,
        "agreement_documents": [{"key": d.key, "title": d.title} for d in mission_row.agreement_documents.all()],
        "sources": [{"url": c.url, "title": c.title} for c in mission_row.sources.all()],
    }


def missions_detail_queryset(now: dt.datetime):
    return missions(now).prefetch_related("agreement_documents", "sources")


def mission_list(request: HttpRequest, rows: list[Mission], now: dt.datetime) -> list[dict]:
    expedition_record = iss_expeditions.current()
    return [mission(request, row, now, expedition_record) for row in rows]


def cross_flight_list(request: HttpRequest, rows: list[Mission], now: dt.datetime) -> list[dict]:
    expedition_record = iss_expeditions.current()
    return [{**mission(request, row, now, expedition_record), "state": cross_flight_state(row.status)} for row in rows]


# --- People ----------------------------------------------------------------------------------


def people():
    return Person.objects.select_related("agency").prefetch_related("aliases").order_by("name", "pk")


def _flight(
    stay: Seat,
    returning: Mission | None,
    now: dt.datetime,
    expedition_record: iss_expeditions.ExpeditionRecord,
) -> dict:
    """One stay of person_list(): `returning` is the mission that brought the person home."""
    returned = _ref_or_none(stay.returned_on, stay.returned_on_slug)
    launched = stay.mission.launch_certainty == Certainty.CONFIRMED
    return {
        "launched_on": ref(stay.mission),
        "returned_on": returned,
        "launch_at": stay.mission.launch_at,
        **_flight_event("launch", stay.mission, "launch", now),
        "return_landing_at": stay.stay_end,
        **_flight_event("return_landing", returning, "landing", now),
        # Days from a target that passed unconfirmed would count a stay that never began.
        "days": stay.stay_duration.days if launched and stay.stay_duration is not None else None,
        "cross_flight": stay.is_cross_flight or stay.returns_cross_flight,
        "expeditions": _expeditions(iss_expeditions.membership(stay, expedition_record)),
    }


def person_list(request: HttpRequest, rows: list[Person], now: dt.datetime) -> list[dict]:
    """People with their days in space and each stay, in a fixed number of queries for the
    whole page."""
    ids = [person.pk for person in rows]
    totals = Seat.objects.filter(person__in=ids).total_days_by_person(now)
    stays = (
        Seat.objects.filter(person__in=ids)
        .stays(now)
        .with_cross_flight()
        .with_return_cross_flight()
        .with_connections()
        .select_related("mission")
        .order_by(F("mission__launch_at").asc(nulls_last=True), "mission__name")
    )
    returning = Mission.objects.in_bulk({stay.return_mission_id for stay in stays if stay.return_mission_id})
    expedition_record = iss_expeditions.current()
    flights = defaultdict(list)
    for stay in stays:
        returned_on = returning.get(stay.return_mission_id)
        flights[stay.person_id].append(_flight(stay, returned_on, now, expedition_record))
    return [
        {
            "slug": person.slug,
            "name": person.name,
            "url": request.build_absolute_uri(person.get_absolute_url()),
            "agency": ref(person.agency),
            "nationality": person.nationality or None,
            "aliases": [alias.alias for alias in person.aliases.all()],
            "days_in_space": totals[person.pk].days if totals.get(person.pk) is not None else 0,
            "flights": flights[person.pk],
        }
        for person in rows
    ]


# --- Vehicles and the agreement ------------------------------------------------------------


def vehicles():
    craft = Spacecraft.objects.annotate(flights=Count("missions")).order_by("name")
    return (
        VehicleFamily.objects.select_related("operator")
        .annotate(mission_count=Count("missions", distinct=True))
        .prefetch_related(Prefetch("craft", queryset=craft))
        .order_by("name", "pk")
    )


def vehicle(request: HttpRequest, family: VehicleFamily) -> dict:
    return {
        "slug": family.slug,
        "name": family.name,
        "url": request.build_absolute_uri(family.get_absolute_url()),
        "operator": ref(family.operator),
        "builder": family.builder or None,
        "seats": family.seats,
        "typical_stay_days": family.typical_stay.days if family.typical_stay is not None else None,
        "missions": family.mission_count,
        "craft": [{"name": craft.name, "flights": craft.flights} for craft in family.craft.all()],
    }


def agreement(request: HttpRequest) -> dict | None:
    in_launch_order = Mission.objects.order_by(F("launch_at").asc(nulls_last=True), "name")
    row = (
        Agreement.objects.prefetch_related(
            "parties",
            "sources",
            Prefetch("documents__missions", queryset=in_launch_order),
            "documents__sources",
        )
        .order_by("pk")
        .first()
    )
    if row is None:
        return None
    return {
        "slug": row.slug,
        "name": row.name,
        "short_name": row.short_name,
        "url": request.build_absolute_uri(row.get_absolute_url()),
        "parties": [ref(party) for party in row.parties.all()],
        "terms_summary": row.terms_summary,
        "notes": row.notes,
        "documents": [
            {
                "key": document.key,
                "title": document.title,
                "kind": document.kind,
                "signed_on": document.signed_on,
                "signed_precision": document.signed_precision or None,
                "announced_on": document.announced_on,
                "announced_precision": document.announced_precision or None,
                "covers": document.covers,
                "crew_changes": document.crew_changes,
                "notes": document.notes,
                "missions": [ref(m) for m in document.missions.all()],
                "flown": sum(1 for m in document.missions.all() if m.status in FLOWN_STATUSES),
                "in_flight": sum(1 for m in document.missions.all() if m.status == MissionStatus.IN_FLIGHT),
                "sources": [{"url": c.url, "title": c.title} for c in document.sources.all()],
            }
            for document in row.documents.all()
        ],
        "sources": [{"url": c.url, "title": c.title} for c in row.sources.all()],
    }


def aboard(stays: list[Seat], now: dt.datetime) -> list[dict]:
    """dashboard.aboard_now() rows as the API shows them, with the mission each person is
    booked to return on (one query for all of them)."""
    returning = Mission.objects.in_bulk({stay.return_mission_id for stay in stays if stay.return_mission_id})
    rows = []
    for stay in stays:
        arrived_at = stay.mission.docking_at or stay.mission.launch_at
        returns_on = returning.get(stay.return_mission_id)
        rows.append(
            {
                "person": ref(stay.person),
                "agency": ref(stay.person.agency),
                "arrived_on": ref(stay.mission),
                "launched_at": stay.mission.launch_at,
                "arrived_at": arrived_at,
                "days_aboard": (now - arrived_at).days,
                "returns_on": ref(returns_on) if returns_on else None,
                "cross_flight": stay.is_cross_flight,
                "mission_stale": stay.mission_is_stale,
            }
        )
    return rows


def expedition_list() -> list[dict]:
    return [
        {
            "number": expedition.number,
            "start": expedition.start,
            "start_precision": expedition.start_precision or None,
            "end": expedition.end,
            "end_precision": expedition.end_precision or None,
            "expected": expedition.expected,
            "began_with": expedition.began_with or None,
            "began_with_mission": _ref_or_none(expedition.began_with, expedition.began_with_slug),
            "source": expedition.source or None,
            "crew": [
                {
                    "person": {"slug": member.slug, "name": member.name},
                    "launched_on": {"slug": member.launched_on_slug, "name": member.launched_on},
                    "expected": member.expected,
                }
                for member in expedition.crew
            ],
        }
        for expedition in iss_expeditions.expeditions()
    ]


# --- News ---------------------------------------------------------------------------------------


def articles():
    """Articles newest first, each with the start of its text and, as `linked`, the missions
    and people it names."""
    mentions = Mention.objects.filter(kind__in=["mission", "person"]).select_related("mission", "person")
    return (
        Article.objects.select_related("source")
        .with_text_start()
        .prefetch_related(Prefetch("mentions", queryset=mentions.order_by("pk"), to_attr="linked"))
        .newest_first()
    )


def article(row: Article) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "url": row.url,
        "source": row.source.name if row.source else None,
        "published_at": row.published_at,
        "language": row.language or None,
        "excerpt": lead(row.text_start, EXCERPT_CHARS),
        "missions": sorted((ref(m.mission) for m in row.linked if m.mission), key=lambda r: r["name"]),
        "people": sorted((ref(m.person) for m in row.linked if m.person), key=lambda r: r["name"]),
    }


def update(request: HttpRequest, change: RecordChange) -> dict:
    proposal = change.proposal
    return {
        "id": change.key,
        "kind": change.kind,
        "summary": change.title,
        "changed_at": change.at,
        "by": change.by,
        "editor": change.editor,
        "url": request.build_absolute_uri(change.url),
        "mission": ref(change.mission) if change.mission else None,
        "person": ref(change.person) if change.person else None,
        "changes": [vars(item) for item in change.changes],
        "reason": change.reason,
        "proposal": {
            "id": proposal.pk,
            "kind": proposal.kind,
            "summary": proposal.summary,
            "date": proposal.date,
            # With its offset: an RFC 3339 time (the schema's format) says which zone it is in.
            "time": proposal.time.replace(tzinfo=dt.UTC) if proposal.time else None,
            "precision": proposal.precision or None,
            "outcome": proposal.outcome,
        }
        if proposal
        else None,
        "sources": [
            {
                "article_id": item.article_id,
                "title": item.article.title,
                "url": item.article.url,
                "sentence": item.sentence,
            }
            for item in change.evidence
        ],
    }
