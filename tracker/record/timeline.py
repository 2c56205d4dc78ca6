"""ISS occupancy over time as a server-side SVG: one bar per person per stay, grouped by
the vehicle they came up on (newest at the top), cross-flight seats coloured, today marked.

The page draws it as two SVGs in the same coordinates, the names (x < LABEL_WIDTH) and the
plot, so that on a narrow screen the names stay put while the plot scrolls sideways; the
downloadable file is one SVG of both. Each bar carries what the page lists under the chart,
so that a tap (no hover on a phone) can lead to it."""

import datetime as dt
from dataclasses import dataclass, field

from tracker.lib.instants import shifted

from .models import Seat
from .models.missions import FLOWN_STATUSES
from .stays import StayState, stay_state

# Wide enough for "Boeing Crew Flight Test" in bold and an indented "Sergey Kud-Sverchkov".
LABEL_WIDTH = 180
PLOT_WIDTH = 900
RIGHT_MARGIN = 20
ROW_HEIGHT = 18
GROUP_GAP = 24
TOP = 40


@dataclass
class Bar:
    stay_id: int  # the ascent seat's id: anchors the bar and its entry in the list
    person: str
    person_slug: str
    agency: str
    x: float
    width: float
    y: float
    cross_flight: bool
    ongoing: bool
    title: str
    launch: dt.datetime
    end: dt.datetime | None
    days: int
    home_on: str | None = None  # when another flight brought them home
    home_on_slug: str | None = None


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
    plot_width: int = PLOT_WIDTH + RIGHT_MARGIN
    row_height: int = ROW_HEIGHT


def _stays(now: dt.datetime):
    return (
        Seat.objects.stays(now)
        .with_cross_flight()
        .with_connections()
        .filter(mission__status__in=FLOWN_STATUSES, mission__launch_at__isnull=False, mission__launch_at__lte=now)
        .select_related("person__agency", "mission")
        # Newest first: who is up now is at the top, where a phone's view of the chart opens.
        .order_by("-mission__launch_at", "mission__name", "pk")
    )


def _bar(stay, *, y: float, x_of, now: dt.datetime) -> Bar:
    ongoing = stay_state(stay, now) == StayState.IN_FLIGHT
    finish = now if ongoing else (stay.stay_end or stay.mission.launch_at)
    left = x_of(stay.mission.launch_at)
    other_home = stay.returned_on if stay.returned_on and stay.returned_on != stay.mission.name else None
    came_home = f", home on {other_home}" if other_home else ""
    days = stay.stay_duration.days
    return Bar(
        stay_id=stay.pk,
        person=stay.person.name,
        person_slug=stay.person.slug,
        agency=stay.person.agency.name,
        x=left,
        width=max(2.0, x_of(finish) - left),
        y=y,
        cross_flight=stay.is_cross_flight,
        ongoing=ongoing,
        title=f"{stay.person.name} ({stay.person.agency.name}): up on {stay.mission.name}{came_home}, "
        f"{days} days{' so far' if ongoing else ''}",
        launch=stay.mission.launch_at,
        end=None if ongoing else stay.stay_end,
        days=days,
        home_on=other_home,
        home_on_slug=stay.returned_on_slug if other_home else None,
    )


def occupancy_chart(*, now: dt.datetime) -> Chart:
    stays = list(_stays(now))
    if not stays:
        return Chart(
            width=LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN,
            height=TOP + 40,
            groups=[],
            ticks=[],
            today_x=0,
            today_label="",
        )
    start = dt.datetime(min(s.mission.launch_at for s in stays).year, 1, 1, tzinfo=dt.UTC)
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
        groups[-1].bars.append(_bar(stay, y=y, x_of=x_of, now=now))
        y += ROW_HEIGHT
    ticks = [
        (x_of(dt.datetime(year, 1, 1, tzinfo=dt.UTC)), str(year))
        for year in range(start.year, end.year + 1)
        if dt.datetime(year, 1, 1, tzinfo=dt.UTC) <= end
    ]
    return Chart(
        width=LABEL_WIDTH + PLOT_WIDTH + RIGHT_MARGIN,
        height=int(y + 30),
        groups=groups,
        ticks=ticks,
        today_x=x_of(now),
        today_label=now.strftime("today %Y-%m-%d"),
        plot_bottom=y + 4,
    )
