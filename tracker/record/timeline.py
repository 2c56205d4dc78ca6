"""ISS occupancy over time as a server-side SVG: one bar per person per stay, grouped by
the vehicle they came up on (newest at the top), cross-flight seats coloured, today marked.
What has not happened is drawn apart from what has: the planned part of a stay (to a landing
target, or a whole stay whose launch is a target) is hatched, and a target that has passed
unconfirmed is marked where it fell.

The page draws it as two SVGs in the same coordinates, the names (x < LABEL_WIDTH) and the
plot, so that on a narrow screen the names stay put while the plot scrolls sideways; the
downloadable file is one SVG of both. Each bar carries what the page lists under the chart,
so that a tap (no hover on a phone) can lead to it."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from tracker.lib.fuzzy_dates import format_day, window_end
from tracker.lib.instants import shifted

from .models import Mission, Seat
from .models.missions import FLOWN_STATUSES, UPCOMING_STATUSES, format_event_time
from .stays import StayState, stay_state
from .templatetags.reader_tags import format_named

# Wide enough for "Boeing Crew Flight Test" in bold and an indented "Sergey Kud-Sverchkov".
LABEL_WIDTH = 180
PLOT_WIDTH = 900
RIGHT_MARGIN = 20
ROW_HEIGHT = 18
GROUP_GAP = 24
TOP = 40
# A planned stay whose vehicle has no usual stay in the record is drawn this long.
DEFAULT_PLANNED_STAY = dt.timedelta(days=180)


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
    title: str  # safe markup: names in Latin are marked lang="en" on pages in another language
    launch: dt.datetime
    end: dt.datetime | None
    days: int
    home_on: str | None = None  # when another flight brought them home
    home_on_slug: str | None = None
    planned: bool = False  # not launched: the whole bar is a plan
    plan_x: float = 0  # the hatched part: from here, plan_width long (0: nothing planned)
    plan_width: float = 0
    overdue: list[tuple[float, str]] = field(default_factory=list)  # (x, what passed unconfirmed)
    note: str = ""  # the targets, in words, for the list under the chart
    mission: Mission | None = None  # the flight they came up on, for its launch as the pages say it


@dataclass
class StayGroup:
    mission: str
    mission_slug: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    groups: list[StayGroup]
    ticks: list[tuple[float, str]]
    today_x: float
    today_label: str
    plot_left: int = LABEL_WIDTH
    plot_bottom: float = 0
    plot_width: int = PLOT_WIDTH + RIGHT_MARGIN
    row_height: int = ROW_HEIGHT
    has_planned: bool = False  # the legend explains only what the chart draws
    has_overdue: bool = False
    legend: list["LegendItem"] = field(default_factory=list)  # the downloadable file's key, left to right
    # The chart's own words, here rather than in timeline.svg so that they are collected for translation.
    words: dict[str, str] = field(default_factory=lambda: _chart_words())


def _chart_words() -> dict[str, str]:
    return {
        "labels": gettext("Missions and who came up on each"),
        "plot_title": gettext(
            "ISS occupancy over time: one bar per person per stay, cross-flight seats highlighted; "
            "each bar links to its details below"
        ),
        "file_title": gettext("ISS occupancy over time: one bar per person per stay, cross-flight seats highlighted"),
    }


@dataclass(frozen=True)
class LegendItem:
    kind: str  # "flown", "xf", "plan", "overdue": what the swatch draws
    x: float  # the swatch's left edge (the overdue diamond's centre)
    text_x: float
    label: str


# The key's swatches as first laid out (in English); a longer label (another language)
# pushes the next item right instead of running into it.
LEGEND_DEFAULT_X = {"flown": 8, "xf": 80, "plan": 210, "overdue": 370}


def _text_width(text: str) -> float:
    """Roughly how wide `text` is in the chart's 12px sans-serif (Cyrillic letters run wider)."""
    return sum(6.6 if "\u0400" <= char <= "\u04ff" else 5.8 for char in text)


def _legend(*, has_planned: bool, has_overdue: bool) -> list[LegendItem]:
    items = [("flown", pgettext("timeline key", "flown")), ("xf", gettext("cross-flight seat"))]
    if has_planned:
        items.append(("plan", gettext("planned (to a target)")))
    if has_overdue:
        items.append(("overdue", gettext("target passed unconfirmed")))
    legend, free_from = [], 0.0
    for kind, label in items:
        if kind == "overdue":  # a diamond drawn around its centre, 6 each side
            x = max(LEGEND_DEFAULT_X[kind], free_from + 6)
            text_x = x + 12
        else:
            x = max(LEGEND_DEFAULT_X[kind], free_from)
            text_x = x + 22
        legend.append(LegendItem(kind, round(x, 1), round(text_x, 1), label))
        free_from = text_x + _text_width(label) + 8
    return legend


def _stays(now: dt.datetime):
    """Stays that have begun, and those of flights still to launch that have a launch target."""
    flown = Q(mission__status__in=FLOWN_STATUSES, mission__launch_at__lte=now)
    return (
        Seat.objects.stays(now)
        .with_cross_flight()
        .with_connections()
        .filter(flown | Q(mission__status__in=UPCOMING_STATUSES), mission__launch_at__isnull=False)
        .select_related("person__agency", "mission__family")
        # Newest first: who is up now is at the top, where a phone's view of the chart opens.
        .order_by("-mission__launch_at", "mission__name", "pk")
    )


def _landing_targets(stays) -> dict[int, Mission]:
    """The missions that bring each stay home, for their landing's certainty: one query."""
    return Mission.objects.in_bulk({stay.return_mission_id for stay in stays if stay.return_mission_id})


def _plan(stay, home: Mission | None, now: dt.datetime) -> tuple[dt.datetime, dt.datetime | None, list]:
    """Where a stay's flown part ends (its launch when nothing has flown), where its planned
    part ends (None: no plan drawn), and the targets that passed unconfirmed, as
    (instant, words)."""
    mission, state = stay.mission, stay_state(stay, now)
    passed = []
    if mission.is_overdue("launch", now):
        passed.append((mission.launch_at, gettext("launch %(time)s") % {"time": _target_time(mission, "launch")}))
    landing_target = home is not None and home.is_target("landing") and home.landing_at is not None
    if landing_target and home.is_overdue("landing", now):
        passed.append((home.landing_at, gettext("landing %(time)s") % {"time": _target_time(home, "landing")}))
    if state == StayState.LANDED:
        return stay.stay_end or mission.launch_at, None, passed
    planned_end = window_end(home.landing_at, home.landing_precision) if landing_target else None
    if state == StayState.IN_FLIGHT:
        return now, (planned_end if planned_end and planned_end > now else None), passed
    typical = mission.family.typical_stay or DEFAULT_PLANNED_STAY
    return mission.launch_at, planned_end or shifted(mission.launch_at, typical), passed


def _target_time(mission: Mission, event: str) -> str:
    """The event's target as the pages say it, without the ', overdue' the chart says its own way."""
    return format_event_time(
        getattr(mission, f"{event}_at"), getattr(mission, f"{event}_precision"), getattr(mission, f"{event}_certainty")
    )


def _passed_unconfirmed(words: str) -> str:
    return gettext("%(target)s passed unconfirmed") % {"target": words}


def _bar(stay, *, y: float, x_of, now: dt.datetime, home: Mission | None) -> Bar:
    state = stay_state(stay, now)
    ongoing, planned = state == StayState.IN_FLIGHT, state == StayState.PLANNED
    finish, planned_end, passed = _plan(stay, home, now)
    left = x_of(stay.mission.launch_at)
    other_home = stay.returned_on if stay.returned_on and stay.returned_on != stay.mission.name else None
    days = 0 if planned else stay.stay_duration.days
    note = "; ".join(_passed_unconfirmed(words) for _, words in passed)
    plan_from = left if planned else x_of(finish)
    person, up = stay.person.reader_name, stay.mission.reader_name
    who = {"person": person, "agency": stay.person.agency.name, "up": up}
    if other_home:
        home_name = Mission(name=other_home).reader_name
        title = format_named(gettext("%(person)s (%(agency)s): up on %(up)s, home on %(home)s"), **who, home=home_name)
    else:
        title = format_named(gettext("%(person)s (%(agency)s): up on %(up)s"), **who)
    if planned:
        when = pgettext("stay", "planned")
    elif ongoing:
        when = ngettext("%(days)s day so far", "%(days)s days so far", days) % {"days": days}
    else:
        when = ngettext("%(days)s day", "%(days)s days", days) % {"days": days}
    return Bar(
        stay_id=stay.pk,
        person=person,
        person_slug=stay.person.slug,
        agency=stay.person.agency.name,
        x=left,
        width=0 if planned else max(2.0, x_of(finish) - left),
        y=y,
        cross_flight=stay.is_cross_flight,
        ongoing=ongoing,
        title=mark_safe(f"{title}, {conditional_escape(when)}{conditional_escape(f'; {note}') if note else ''}"),
        launch=stay.mission.launch_at,
        end=None if ongoing or planned else stay.stay_end,
        days=days,
        home_on=Mission(name=other_home).reader_name if other_home else None,
        home_on_slug=stay.returned_on_slug if other_home else None,
        planned=planned,
        plan_x=plan_from,
        plan_width=max(2.0, x_of(planned_end) - plan_from) if planned_end else 0,
        overdue=[(x_of(instant), _capfirst(_passed_unconfirmed(words))) for instant, words in passed],
        note=note,
        mission=stay.mission,
    )


def _capfirst(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}" if text else text


def _groups(stays, homes: dict[int, Mission], *, x_of, now: dt.datetime) -> tuple[list[StayGroup], float]:
    """The bars, one row each, under a heading row per vehicle; and the y below the last."""
    groups: list[StayGroup] = []
    y = TOP
    for stay in stays:
        if not groups or groups[-1].mission_slug != stay.mission.slug:
            y += GROUP_GAP if groups else 0
            groups.append(StayGroup(mission=stay.mission.reader_name, mission_slug=stay.mission.slug, y=y))
            y += ROW_HEIGHT
        groups[-1].bars.append(_bar(stay, y=y, x_of=x_of, now=now, home=homes.get(stay.return_mission_id)))
        y += ROW_HEIGHT
    return groups, y


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
    homes = _landing_targets(stays)
    start = dt.datetime(min(s.mission.launch_at for s in stays).year, 1, 1, tzinfo=dt.UTC)
    ends = [_plan(stay, homes.get(stay.return_mission_id), now) for stay in stays]
    end = shifted(max(now, *(planned or flown for flown, planned, _ in ends)), dt.timedelta(days=60))
    span = (end - start).total_seconds()

    def x_of(instant: dt.datetime) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * (instant - start).total_seconds() / span, 1)

    groups, y = _groups(stays, homes, x_of=x_of, now=now)
    has_planned = any(bar.plan_width for group in groups for bar in group.bars)
    has_overdue = any(bar.overdue for group in groups for bar in group.bars)
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
        today_label=gettext("today %(day)s") % {"day": format_day(now)},
        plot_bottom=y + 4,
        has_planned=has_planned,
        has_overdue=has_overdue,
        legend=_legend(has_planned=has_planned, has_overdue=has_overdue),
    )
