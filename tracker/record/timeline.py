"""ISS occupancy over time as a server-side SVG: one bar per person per stay, grouped by
the vehicle they came up on, cross-flight seats coloured, today marked."""

import datetime as dt
from dataclasses import dataclass, field

from tracker.lib.instants import shifted

from .models import MissionStatus, Seat
from .models.missions import FLOWN_STATUSES

LABEL_WIDTH = 250
PLOT_WIDTH = 900
ROW_HEIGHT = 18
GROUP_GAP = 24
TOP = 40


@dataclass
class Bar:
    person: str
    person_slug: str
    agency: str
    x: float
    width: float
    y: float
    cross_flight: bool
    ongoing: bool
    title: str


@dataclass
class Group:
    mission: str
    mission_slug: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    groups: list[Group]
    ticks: list[tuple[float, str]]
    today_x: float
    today_label: str
    plot_left: int = LABEL_WIDTH
    plot_bottom: float = 0


def _stays(now: dt.datetime):
    return (
        Seat.objects.stays(now)
        .with_cross_flight()
        .with_connections()
        .filter(mission__status__in=FLOWN_STATUSES, mission__launch_at__isnull=False, mission__launch_at__lte=now)
        .select_related("person__agency", "mission")
        .order_by("mission__launch_at", "mission__name", "pk")
    )


def occupancy_chart(*, now: dt.datetime) -> Chart:
    stays = list(_stays(now))
    if not stays:
        return Chart(
            width=LABEL_WIDTH + PLOT_WIDTH + 20, height=TOP + 40, groups=[], ticks=[], today_x=0, today_label=""
        )
    start = dt.datetime(stays[0].mission.launch_at.year, 1, 1, tzinfo=dt.UTC)
    end = shifted(max(now, *(s.stay_end for s in stays if s.stay_end)), dt.timedelta(days=60))
    span = (end - start).total_seconds()

    def x_of(instant: dt.datetime) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * (instant - start).total_seconds() / span, 1)

    groups: list[Group] = []
    y = TOP
    for stay in stays:
        if not groups or groups[-1].mission_slug != stay.mission.slug:
            y += GROUP_GAP if groups else 0
            groups.append(Group(mission=stay.mission.name, mission_slug=stay.mission.slug, y=y))
            y += ROW_HEIGHT
        ongoing = stay.stay_end is None and stay.return_status != MissionStatus.LANDED
        finish = stay.stay_end or (now if ongoing else stay.mission.launch_at)
        left = x_of(stay.mission.launch_at)
        came_home = (
            f", home on {stay.returned_on}" if stay.returned_on and stay.returned_on != stay.mission.name else ""
        )
        groups[-1].bars.append(
            Bar(
                person=stay.person.name,
                person_slug=stay.person.slug,
                agency=stay.person.agency.name,
                x=left,
                width=max(2.0, x_of(finish) - left),
                y=y,
                cross_flight=stay.is_cross_flight,
                ongoing=ongoing,
                title=f"{stay.person.name} ({stay.person.agency.name}): up on {stay.mission.name}{came_home}, "
                f"{stay.stay_duration.days} days{' so far' if ongoing else ''}",
            )
        )
        y += ROW_HEIGHT
    ticks = [
        (x_of(dt.datetime(year, 1, 1, tzinfo=dt.UTC)), str(year))
        for year in range(start.year, end.year + 1)
        if dt.datetime(year, 1, 1, tzinfo=dt.UTC) <= end
    ]
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + 20,
        height=int(y + 30),
        groups=groups,
        ticks=ticks,
        today_x=x_of(now),
        today_label=now.strftime("today %Y-%m-%d"),
        plot_bottom=y + 4,
    )
