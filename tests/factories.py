"""Test data: synthetic records at any size for query-count tests (bulk: no per-row
validation), news sources (one served on loopback), and articles through the real pipeline."""

import datetime as dt
import itertools

from tests.http_server import Route
from tracker.lib.fuzzy_dates import Precision
from tracker.record.models import (
    Agency,
    AgreementDocument,
    Certainty,
    Mission,
    MissionStatus,
    Person,
    Seat,
    VehicleFamily,
)

# The personas' password (tests/conftest.py's editor and staff users).
PERSONA_PASSWORD = "correct horse battery"

_counter = itertools.count()


def make_cross_flights(count: int, *, status: str = MissionStatus.LANDED) -> list[Mission]:
    """`count` Soyuz-style missions covered by the original agreement, each with a
    Roscosmos commander and a NASA flight engineer (the cross-flight seat)."""
    soyuz = VehicleFamily.objects.get(slug="soyuz-ms")
    nasa, roscosmos = Agency.objects.get(slug="nasa"), Agency.objects.get(slug="roscosmos")
    batch = next(_counter)
    start = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    flown = status in (MissionStatus.LANDED, MissionStatus.IN_FLIGHT)
    missions = Mission.objects.bulk_create(
        Mission(
            name=f"Synthetic {batch}-{n}",
            slug=f"synthetic-{batch}-{n}",
            family=soyuz,
            status=status,
            launch_at=start + dt.timedelta(days=n) if flown else None,
            launch_precision=Precision.DAY if flown else "",
            launch_certainty=Certainty.CONFIRMED if flown else "",
            landing_at=start + dt.timedelta(days=n + 1) if status == MissionStatus.LANDED else None,
            landing_precision=Precision.DAY if status == MissionStatus.LANDED else "",
            landing_certainty=Certainty.CONFIRMED if status == MissionStatus.LANDED else "",
        )
        for n in range(count)
    )
    people = Person.objects.bulk_create(
        Person(name=f"Synthetic {agency.slug} {batch}-{n}", slug=f"synthetic-{agency.slug}-{batch}-{n}", agency=agency)
        for n in range(count)
        for agency in (roscosmos, nasa)
    )
    seats = []
    for index, mission in enumerate(missions):
        for person, role in zip(people[2 * index : 2 * index + 2], ("commander", "flight_engineer"), strict=True):
            seats += [Seat(mission=mission, person=person, leg=leg, role=role) for leg in ("ascent", "descent")]
    Seat.objects.bulk_create(seats)
    AgreementDocument.objects.get(key="original").missions.add(*missions)
    return missions


def planned_mission(**fields) -> Mission:
    """An unsaved Soyuz MS-29-like flight still to launch, with these fields."""
    return Mission(name="Soyuz MS-29", status=MissionStatus.PLANNED, **fields)


# --- news ------------------------------------------------------------------------------


def make_news_source(
    name: str = "Test wire", url: str = "https://example.org/feed", *, using: str = "default", **fields
):
    from tracker.news.models import NewsSource, SourceKind

    return NewsSource.objects.using(using).create(name=name, url=url, **{"kind": SourceKind.FEED, **fields})


def make_loopback_source(
    server,
    body: bytes,
    *,
    name: str = "Loopback feed",
    path: str = "/feed.xml",
    content_type: str = "application/rss+xml",
    etag: str = "",
    using: str = "default",
    **fields,
):
    """An enabled feed source polling `body`, which `server` (a tests.http_server.FeedServer)
    serves at `path`. Loopback is a private address, so the source may reach it; the
    stories' links are not served, so it fetches no linked pages (the feed text is the story).
    `using` is the database alias (the fault scenarios' own database)."""
    url = server.route(path, Route(body=body, headers={"Content-Type": content_type}, etag=etag))
    loopback = {"enabled": True, "allow_private_network": True, "fetch_linked_pages": False}
    return make_news_source(name, url, using=using, **{**loopback, **fields})


def ingest_article(source, title: str, text: str, *, day: int = 1, url: str | None = None):
    """One article through the real pipeline (store, extract, link, propose), published on
    2026-03-01 plus `day` days; returns the stored Article."""
    from tracker.news.parse import Entry
    from tracker.news.services import ingest_entry

    entry = Entry(
        url=url if url is not None else f"https://example.org/{day}/{abs(hash(title))}",
        guid="",
        title=title,
        published=dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(days=day),
        text=text,
    )
    return ingest_entry(entry, source=source).article
