"""Times of day and their zones: "3:40 p.m. Moscow time", "6:02 a.m. EDT", "(22:05 UTC)",
"в 12:27 мск", "в 08:47 по московскому времени".

An event's day in the record is the UTC day, which is not always the local one: "11:30 pm
ET on Saturday, March 15" is Sunday in UTC. `find_times` finds the times of a sentence with
their zone when one is named right after them; `zone_before` gives the zone a story last
named, for a time that names none ("в 11:58 того же дня" after "в 08:47 по московскому
времени"); `to_utc` turns a local day and time into the UTC day and "HH:MM".

A time needs a clock form ("3:40", "18.44", "1316" before a zone) or am/pm; "18.44" and a
bare "1316" count only with a zone after them or "at"/"в" before them, since they also
read as numbers.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_NEW_YORK, _CHICAGO, _LOS_ANGELES = (
    ZoneInfo("America/New_York"),
    ZoneInfo("America/Chicago"),
    ZoneInfo("America/Los_Angeles"),
)
_MOSCOW, _ALMATY = ZoneInfo("Europe/Moscow"), ZoneInfo("Asia/Almaty")


def _fixed(hours: float) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


# Longest first within an alternation so that "EDT" is not read as "ET".
_ZONES: list[tuple[str, dt.tzinfo]] = [
    (
        r"utc|gmt|z(?=\W)|coordinated\s+universal\s+time|greenwich\s+mean\s+time|по\s+гринвичу|всемирного\s+времени",
        _fixed(0),
    ),
    (r"по\s+всемирному\s+(?:координированному\s+)?времени", _fixed(0)),
    (r"edt|eastern\s+daylight(?:\s+time)?", _fixed(-4)),
    (r"est|eastern\s+standard(?:\s+time)?", _fixed(-5)),
    (r"cdt|central\s+daylight(?:\s+time)?", _fixed(-5)),
    (r"cst|central\s+standard(?:\s+time)?", _fixed(-6)),
    (r"pdt|pacific\s+daylight(?:\s+time)?", _fixed(-7)),
    (r"pst|pacific\s+standard(?:\s+time)?", _fixed(-8)),
    (
        r"et|eastern(?:\s+time)?|(?:us\s+)?east\s+coast\s+time|florida\s+time|по\s+восточному\s+(?:летнему\s+)?времени"
        r"|по\s+времени\s+восточного\s+побережья(?:\s+сша)?",
        _NEW_YORK,
    ),
    (r"ct|central\s+time|houston\s+time|по\s+центральному\s+времени", _CHICAGO),
    (r"pt|pacific\s+time|california\s+time|по\s+тихоокеанскому\s+времени", _LOS_ANGELES),
    (
        r"moscow\s+time|msk|мск|по\s+московскому\s+времени|по\s+москве|по\s+времени\s+москвы|московского\s+времени",
        _MOSCOW,
    ),
    (
        r"baikonur\s+time|kazakhstan\s+time|по\s+времени\s+байконура|по\s+казахстанскому\s+времени"
        r"|по\s+местному\s+времени\s+байконура",
        _ALMATY,
    ),
    (r"ist|indian\s+standard\s+time", _fixed(5.5)),
    (r"jst|japan\s+standard\s+time", _fixed(9)),
    (r"cest", _fixed(2)),
    (r"cet", _fixed(1)),
]
_ZONE = re.compile(
    r"(?:" + "|".join(f"(?P<z{i}>{source})" for i, (source, _) in enumerate(_ZONES)) + r")(?!\w)", re.IGNORECASE
)
# A zone on its own anywhere in a story, to carry over to a later time that names none.
_ZONE_ANYWHERE = re.compile(r"(?<!\w)(?:" + _ZONE.pattern + ")", re.IGNORECASE)

_TIME = re.compile(
    r"""
    (?<![\w.:])
    (?:
      (?P<h>[01]?\d|2[0-3])(?P<sep>[:.])(?P<m>[0-5]\d)(?!\d|[.,]\d)
        (?:\s*(?P<ampm>[ap])\.?\s?m\b\.?)?
    | (?P<h2>1[0-2]|0?[1-9])\s*(?P<ampm2>[ap])\.?\s?m\b\.?
    | (?P<h4>[01]\d|2[0-3])(?P<m4>[0-5]\d)(?=\s*(?:gmt|utc|z\b|мск))
    | (?P<noon>noon|midnight|полдень|полночь)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BEFORE_CLOCK = re.compile(r"(?:\bat|\baround|(?<!\w)в|(?<!\w)около|(?<!\w)к)\s+$", re.IGNORECASE)
_ZONE_GAP = re.compile(r"[\s,]*(?:\(\s*)?(?:local\s+time\s*\(?\s*)?")


@dataclass(frozen=True)
class TimeExpr:
    start: int
    end: int  # after the zone, when one follows
    hour: int
    minute: int
    zone: dt.tzinfo | None
    utc: bool  # the zone named is UTC/GMT: the surest reading when a story gives two


def find_times(text: str, start: int = 0, end: int | None = None) -> list[TimeExpr]:
    """The times of day in text[start:end], each with the zone named right after it, if any."""
    end = len(text) if end is None else end
    found = []
    for match in _TIME.finditer(text, start, end):
        hour, minute = _clock(match)
        if hour is None:
            continue
        zone_match = _ZONE.match(text, _ZONE_GAP.match(text, match.end(), end).end(), end)
        zone = _zone_of(zone_match) if zone_match else None
        loose = match["sep"] == "." or match["h4"] is not None
        if loose and zone is None and not _BEFORE_CLOCK.search(text, max(0, match.start() - 8), match.start()):
            continue  # "18.44" alone is a number
        stop = zone_match.end() if zone_match else match.end()
        found.append(
            TimeExpr(
                match.start(), stop, hour, minute, zone, zone is not None and zone.utcoffset(None) == dt.timedelta(0)
            )
        )
    return found


def _clock(match: re.Match) -> tuple[int | None, int]:
    if match["noon"]:
        return (12 if match["noon"].lower() in ("noon", "полдень") else 0), 0
    if match["h4"]:
        return int(match["h4"]), int(match["m4"])
    hour = int(match["h"] or match["h2"])
    minute = int(match["m"] or 0)
    ampm = (match["ampm"] or match["ampm2"] or "").lower()
    if ampm and not 1 <= hour <= 12:
        return None, 0
    if ampm == "p" and hour != 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    return hour, minute


def _zone_of(match: re.Match) -> dt.tzinfo:
    return next(zone for i, (_, zone) in enumerate(_ZONES) if match[f"z{i}"] is not None)


def zone_before(text: str, offset: int) -> dt.tzinfo | None:
    """The zone the story named last before `offset` ("… по московскому времени. … в 11:58")."""
    last = None
    for match in _ZONE_ANYWHERE.finditer(text, 0, offset):
        if _TIME.search(text, max(0, match.start() - 25), match.start()):  # a zone that qualified a time
            last = match
    return _zone_of(last) if last else None


def to_utc(day: dt.date, time: TimeExpr, zone: dt.tzinfo) -> dt.datetime:
    """The UTC instant of `time` on the local `day` in `zone`."""
    local = dt.datetime(day.year, day.month, day.day, time.hour, time.minute, tzinfo=zone)
    return local.astimezone(dt.UTC)
