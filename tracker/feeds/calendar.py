"""The crew-events calendar (`/feeds/crew-events.ics`) as iCalendar, built with `icalendar`.

Decisions a subscriber can rely on:

- Precision: an event known to the exact time starts at that instant in UTC (`DTSTART`
  ending in `Z`, no `DTEND`: a launch is an instant). One known only to the day is an
  all-day event (`DTSTART;VALUE=DATE`, `DTEND` the next day). Events known only to the
  month, quarter, half-year or year are LEFT OUT, never pinned to an invented day; they
  appear (under the same UID) as soon as the record knows the day. Every time is UTC:
  there are no local or floating times and no VTIMEZONE.
- STATUS follows the event's certainty in the record: CONFIRMED for an event that
  happened. A target is TENTATIVE, with one exception kept on purpose: the launch target
  (not a NET) of a mission whose status is `scheduled` is CONFIRMED while it has not
  passed, because an editor or an accepted report fixed that day and subscribers plan
  around it (its description still says it is a target). A target that has passed
  unconfirmed (overdue) is TENTATIVE whatever the status. CANCELLED for a cancelled
  mission, so calendars strike it out instead of losing it.
- SUMMARY says what a target is: "Launch (target): Soyuz MS-29 (…)", "Launch (NET): …",
  and once overdue "Launch (target passed unconfirmed): …"; an event that happened is
  plain "Launch: Soyuz MS-22 (…)". The description's first line gives the time the same
  way ("target 2026-07-14 passed unconfirmed").
- UID: `mission-<pk>-<event>@iss-crew-tracker.invalid`. The mission's primary key
  survives a moved date, a renamed mission or changed slug, and a reference-data reload
  (the loader updates missions in place by name and never recreates one). The domain is
  fixed, not the serving host, so every address of the site gives the same UIDs; `.invalid`
  is reserved (RFC 2606), so no one else's UIDs can collide with ours.
- SEQUENCE counts the saves that moved the event (from the record's history); DTSTAMP and
  LAST-MODIFIED are when the mission or its crew last changed, not the download time, so
  an unchanged calendar is byte-identical and revalidates with a 304.
- Every event is TRANSP:TRANSPARENT: a launch on the calendar never marks the subscriber busy.
"""

import datetime as dt
from collections.abc import Callable, Sequence

import icalendar
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy

from tracker.lib.fuzzy_dates import Precision
from tracker.lib.instants import shifted
from tracker.record.models.missions import EVENT_NAMES, FLOWN_STATUSES, Certainty, format_event_time
from tracker.record.reader_names import agency_name

from .crew_events import CrewEvent, Firmness

UID_DOMAIN = "iss-crew-tracker.invalid"
PRODID = "-//ISS crew rotation tracker//Cross-flight crew events//EN"
# The calendar's words follow the requested language (tracker/lib/languages.py); its data
# (UIDs, times, STATUS, CATEGORIES, URLs) is the same in every language.
CALENDAR_NAME = gettext_lazy("ISS cross-flights")
CALENDAR_DESCRIPTION = gettext_lazy(
    "Launches, dockings, undockings and landings of the Roscosmos–NASA cross-flight missions "
    "from the ISS crew rotation tracker. All times UTC. Dates known only to the month or more "
    "roughly are left out until the day is known; TENTATIVE marks dates that may still move, "
    "and a title says when a date is a target, a NET date or a target that passed unconfirmed."
)
# Subscribed calendars poll; an hour keeps a moved launch fresh without hammering the site.
REFRESH = dt.timedelta(hours=1)

ISS = gettext_lazy("International Space Station")
LOCATIONS = {"docking": ISS, "undocking": ISS}
# What the title says of a target, by certainty; an event that happened says nothing.
TARGET_MARKS = {
    Certainty.TARGET: pgettext_lazy("calendar title", "target"),
    Certainty.NO_EARLIER_THAN: pgettext_lazy("calendar title", "NET"),
}
OVERDUE_MARK = pgettext_lazy("calendar title", "target passed unconfirmed")


def status_text(event: CrewEvent) -> str:
    """The description's line on how firm the date is."""
    if event.status == Firmness.CANCELLED:
        return gettext("Cancelled.")
    if event.certainty == Certainty.CONFIRMED:
        return gettext("Happened: confirmed by the record.")
    if event.overdue:
        return gettext("Overdue: this target has passed and the record has not confirmed that it happened.")
    if event.certainty == Certainty.NO_EARLIER_THAN:
        return gettext("No earlier than this date: an announced target that may still move later.")
    if event.status == Firmness.CONFIRMED:
        return gettext(
            "Scheduled: the announced target, firm enough to plan on; it has not happened yet and may still move."
        )
    return gettext("Target: announced, not yet happened, and may still move.")


def event_uid(event: CrewEvent) -> str:
    return f"mission-{event.mission.pk}-{event.event}@{UID_DOMAIN}"


def surname(name: str) -> str:
    """'Francisco Rubio' -> 'Rubio'; 'Tracy Caldwell Dyson' -> 'Caldwell Dyson'."""
    parts = name.split(maxsplit=1)
    return parts[-1] if parts else name


def summary(event: CrewEvent) -> str:
    """'Launch: Soyuz MS-22 (Rubio, Prokopyev, Petelin)', 'Launch (target): Soyuz MS-29 (…)';
    an empty leg of a flown mission says 'uncrewed' (MS-23 went up empty to bring MS-22's
    crew home)."""
    mark = OVERDUE_MARK if event.overdue else TARGET_MARKS.get(event.certainty)
    names = {"event": capfirst(EVENT_NAMES[event.event]), "mission": event.mission.reader_name}
    if mark:
        text = pgettext("calendar title", "%(event)s (%(mark)s): %(mission)s") % {**names, "mark": mark}
    else:
        text = pgettext("calendar title", "%(event)s: %(mission)s") % names
    if event.crew:
        crew = ", ".join(surname(seat.person.reader_name) for seat in event.crew)
        return pgettext("calendar title", "%(title)s (%(crew)s)") % {"title": text, "crew": crew}
    if event.mission.status in FLOWN_STATUSES:
        return pgettext("calendar title", "%(title)s (uncrewed)") % {"title": text}
    return text


def crew_line(seat) -> str:
    parts = [f"{seat.person.reader_name} ({agency_name(seat.person.agency.name)})"]
    if seat.role:
        parts.append(seat.get_role_display())
    if seat.is_cross_flight:
        parts.append(gettext("cross-flight seat"))
    return "- " + ", ".join(parts)


def description(event: CrewEvent, mission_url: str) -> str:
    known = gettext("exact time") if event.precision == Precision.EXACT else gettext("known to the day")
    when = format_event_time(event.at, event.precision, event.certainty)
    passed = gettext(" passed unconfirmed") if event.overdue else ""
    first = gettext("%(mission)s %(event)s: %(when)s%(passed)s (%(known)s).") % {
        "mission": event.mission.reader_name,
        "event": EVENT_NAMES[event.event],
        "when": when,
        "passed": passed,
        "known": known,
    }
    lines = [first, status_text(event)]
    if event.event == "launch" and event.mission.launch_site:
        lines.append(gettext("Launch site: %(site)s") % {"site": event.mission.launch_site})
    ascent = event.event in ("launch", "docking")
    if event.crew:
        riding = gettext("Crew riding up (ascent):") if ascent else gettext("Crew riding home (descent):")
        lines += ["", riding, *(crew_line(seat) for seat in event.crew)]
    else:
        nobody = (
            gettext("Nobody is recorded riding up (ascent).")
            if ascent
            else gettext("Nobody is recorded riding home (descent).")
        )
        lines += ["", nobody]
    lines += ["", gettext("Mission page: %(url)s") % {"url": mission_url}]
    return "\n".join(lines)


def calendar_event(event: CrewEvent, *, mission_url: str, fallback_stamp: dt.datetime) -> icalendar.Event:
    component = icalendar.Event()
    stamp = (event.last_modified or fallback_stamp).astimezone(dt.UTC).replace(microsecond=0)
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp)
    if event.last_modified is not None:
        component.add("last-modified", stamp)
    component.add("sequence", event.sequence)
    if event.precision == Precision.EXACT:
        component.add("dtstart", event.at.replace(microsecond=0))
    else:
        day = event.at.date()
        component.add("dtstart", day)
        component.add("dtend", shifted(day, dt.timedelta(days=1)))
    component.add("summary", summary(event))
    component.add("description", description(event, mission_url))
    component.add("url", mission_url)
    component.add("status", event.status)
    component.add("transp", "TRANSPARENT")
    component.add("categories", [event.event.capitalize(), "Cross-flight"])
    location = event.mission.launch_site if event.event == "launch" else LOCATIONS.get(event.event, "")
    if location:
        component.add("location", str(location))
    return component


def build_calendar(
    events: list[CrewEvent], *, absolute_url: Callable[[str], str], now: dt.datetime, labels: Sequence[str] = ()
) -> icalendar.Calendar:
    """The calendar of these events. `absolute_url` turns a site path into a full URL;
    `labels` name the filters in the calendar's title ('ISS cross-flights · Francisco Rubio')."""
    calendar = icalendar.Calendar()
    name = " · ".join([str(CALENDAR_NAME), *labels])
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    # icalendar writes unknown X- properties raw; as TEXT their commas and semicolons must be
    # escaped (RFC 5545 3.3.11), or a strict client splits the description into a list.
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("x-wr-caldesc", icalendar.vText(str(CALENDAR_DESCRIPTION)))
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", icalendar.vDuration(REFRESH))
    for event in events:
        mission_url = absolute_url(event.mission.get_absolute_url())
        calendar.add_component(calendar_event(event, mission_url=mission_url, fallback_stamp=now))
    return calendar
