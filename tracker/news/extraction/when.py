"""When an event happened, beyond the date in its own sentence: the story's dateline, "the
same day" / "того же дня" after an earlier date, a former target ("had been scheduled for
May 2"), and the time of day that moves the day to the UTC one.

- A dateline ("BAIKONUR, June 5. /TASS/.", "CAPE CANAVERAL, Fla., May 2 (Reuters) -",
  "МОСКВА, 5 июня. /ТАСС/.") is the day the story speaks from: "today", "on Tuesday" and
  "this morning" are counted from it, and the first event a wire story reports as done
  without a date of its own ("has reached orbit") happened on it.
- "the same day", "the next day", "a day later", "того же дня", "на следующий день" count
  from the last date before them in the story.
- A date after "had been scheduled for", "was originally set for", "was supposed to",
  "первоначально планировал…" is a target that was given up: never the event's date.
"""

import datetime as dt
import re

from .date_patterns import DAY, DateExpr, find_dates
from .dates import PAST, Resolved, resolve
from .times import TimeExpr, find_times, to_utc, zone_before

_PLACE = (
    r"(?:[A-ZА-ЯЁ][A-ZА-ЯЁ.'-]+(?:\s+[A-ZА-ЯЁ][A-ZА-ЯЁ.'-]+){0,4}(?:\s*/[^/\n]{1,40}/)?"
    r"(?:,\s+[A-Z][a-z]{1,4}\.)?"  # "CAPE CANAVERAL, Fla."
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?=\s+[-–—]))"  # "Cape Canaveral - Tuesday March 12, 2024:"
)
_DATELINE = re.compile(rf"^[ \t]*{_PLACE}\s*(?:,|[-–—]|\()", re.MULTILINE)
_DATELINE_REACH = 45  # how far after the place its date may start ("(UrduPoint News / Sputnik - 02nd March, 2023)")
_FORMER = re.compile(
    r"\b(?:had\s+(?:originally\s+|initially\s+|previously\s+)?been\s+(?:scheduled|planned|set|targeted|slated|due|expected)"
    r"|(?:was|were)\s+(?:originally|initially|previously)\s+(?:scheduled|planned|set|targeted|slated|due|expected)"
    r"|originally\s+(?:scheduled|planned|set|targeted|slated|due)|(?:was|were|had\s+been)\s+supposed\s+to"
    r"|original(?:ly)?\s+(?:goal|target|date|plan)|earlier\s+target|previous\s+target)\b"
    r"|(?<!\w)(?:первоначально|изначально|ранее)\s+(?:планировал\w*|намечал\w*|предполагал\w*|запланирован\w*|намечен\w*)"
    r"|(?<!\w)(?:планировал\w*|намечал\w*|предполагал\w*)\s+(?:первоначально|изначально|ранее)",
    re.IGNORECASE,
)


# After a date or a trigger: "A Thursday takeoff had been the original goal".
_FORMER_AFTER = re.compile(
    r"\W*(?:\w+\s+){0,2}(?:had\s+been|was|were)\s+the\s+(?:original|initial|earlier|previous|first)\s+"
    r"(?:goal|target|date|plan|schedule)\b",
    re.IGNORECASE,
)


def find_dateline(text: str, published: dt.date | None) -> dt.date | None:
    """The day a story's dateline names, in its first lines; None without one."""
    head = text[:800]
    for match in _DATELINE.finditer(head):
        line_end = head.find("\n", match.end())
        region_end = min(match.end() + _DATELINE_REACH + 20, line_end if line_end >= 0 else len(head))
        dates = [
            d
            for language in ("en", "ru")
            for d in find_dates(head, match.end(), region_end, language=language)
            if d.start - match.end() <= _DATELINE_REACH
        ]
        dates.sort(key=lambda d: (d.kind not in ("absolute", "yearless"), d.start))
        for expr in dates:
            resolved = resolve(expr, published, PAST)
            if resolved and resolved.precision == DAY:
                return resolved.date
    return None


def is_former_target(text: str, sentence_start: int, at: int) -> bool:
    """Is the date or trigger at `at` governed by "had been scheduled for", "originally set for"…?"""
    return bool(_FORMER.search(text, max(sentence_start, at - 50), at))


def former_after(text: str, span: tuple[int, int], end: int) -> bool:
    """Is what ends at `end` the subject of "… had been the original goal"?"""
    return bool(_FORMER_AFTER.match(text, end, span[1]))


def resolve_anchor(text: str, expr: DateExpr, reference: dt.date | None, tense: str, language: str) -> Resolved | None:
    """ "the same day", "того же дня": the last full date before `expr`, plus its offset."""
    if reference is None:
        return None
    earlier = [
        d for d in find_dates(text, max(0, expr.start - 600), expr.start, language=language) if d.kind != "anchor"
    ]
    for previous in reversed(earlier):
        resolved = resolve(previous, reference, tense)
        if resolved and resolved.precision == DAY:
            return Resolved(resolved.date + dt.timedelta(days=expr.offset), DAY, min(resolved.confidence, 0.85))
    return None


def pick_time(
    text: str, span: tuple[int, int], trigger_at: tuple[int, int], others: list[tuple[int, int]]
) -> TimeExpr | None:
    """The time of day that goes with the trigger at `trigger_at` (`others`: the spans of the
    sentence's other triggers): a UTC one first, then one with a zone.

    A time belongs to the trigger word it follows, the nearest one before it ("launched …
    at 12:27 and docked … at 15:34", "стартовал … в 12:27 мск и пристыковался … в 15:34"),
    or, when no trigger comes before it, to the nearest one after ("At 09:27 UTC the
    Soyuz lifted off")."""
    triggers = [trigger_at, *others]
    mine = [t for t in find_times(text, *span) if _owner(t, triggers) == trigger_at]
    if not mine:
        return None
    return min(mine, key=lambda t: (not t.utc, t.zone is None, _distance(t, trigger_at)))


def _owner(time: TimeExpr, triggers: list[tuple[int, int]]) -> tuple[int, int]:
    before = [word for word in triggers if word[1] <= time.start]
    if before:
        return max(before, key=lambda word: word[1])
    return min(triggers, key=lambda word: _distance(time, word))


def _distance(time: TimeExpr, word: tuple[int, int]) -> int:
    """Characters between the time and the word (0 when they touch or overlap)."""
    return max(0, word[0] - time.end, time.start - word[1])


def at_utc(
    text: str, day: dt.date, time: TimeExpr, *, default_zone: dt.tzinfo | None = None
) -> tuple[dt.date, str] | None:
    """The UTC day and "HH:MM" of `time` on the local `day`; None when no zone is known."""
    zone = time.zone or zone_before(text, time.start) or default_zone
    if zone is None:
        return None
    instant = to_utc(day, time, zone)
    return instant.date(), f"{instant:%H:%M}"
