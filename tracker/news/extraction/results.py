"""What extraction returns: the things an article mentions and the events it reports."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class MentionFound:
    kind: str  # "mission" | "person" | "vehicle"
    name: str  # the record's name
    evidence: str  # the sentence where it was first found, at most 300 characters


@dataclass(frozen=True)
class Event:
    type: str  # launch | docking | undocking | landing | delay | crew_assignment | agreement
    mission: str | None  # the record's name of the mission, if the sentence names one
    person: str | None  # for crew_assignment: the record's name of the person
    date: dt.date | None  # start of the reported window (for a delay: the new date)
    precision: str  # day | month | quarter | half | year, or "" without a date
    happened: bool  # reported as done (True) or planned/expected (False)
    evidence: str  # the sentence that says so, at most 300 characters
    confidence: float  # 0..1
    time: str | None = None  # "HH:MM" UTC when the article gives a time of day (and `date` is then the UTC day)
    # A planned date said as a lower bound ("no earlier than September", "NET Sept. 15",
    # "не ранее 14 июля"): the record keeps it as a NET target, not a firm one.
    no_earlier_than: bool = False

    @property
    def date_iso(self) -> str | None:
        """ "2022-09-21", "2026-07", "2026-Q3", "2026-H2", "2027" — the date at its precision."""
        if self.date is None:
            return None
        if self.precision == "day":
            return self.date.isoformat()
        if self.precision == "month":
            return f"{self.date:%Y-%m}"
        if self.precision == "quarter":
            return f"{self.date.year}-Q{(self.date.month - 1) // 3 + 1}"
        if self.precision == "half":
            return f"{self.date.year}-H{1 if self.date.month <= 6 else 2}"
        return f"{self.date.year}"


@dataclass(frozen=True)
class Extraction:
    mentions: tuple[MentionFound, ...]
    events: tuple[Event, ...]
