"""From sentences to events: a trigger word, what it is about, when, and whether it happened.

A sentence gives an event when it has a trigger (triggers.py) and a subject: a mission, a
vehicle or a crew member ("Prokopyev launched on a Soyuz spacecraft", '"Endurance" docked';
the mission is then None, for missions.py or the pipeline to decide, and never proposed). A crew assignment needs a person and a
mission, a vehicle or the station ("will fly to the ISS on Crew Dragon"), one event per
person, and is skipped for backup crews. An agreement needs an agreement word near the
verb and the space agencies or the station in the sentence.

Which mission and which date: the nearest to the trigger in the same sentence. For a
delay, the new date ("to July 14", "на 14 июля"); never the old one ("from …"). For an
agreement, never the end of its term ("through 2027").
"""

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from . import triggers as tr
from .date_patterns import is_no_earlier_than, preposition_before
from .dates import DAY, DateExpr, Resolved, day_after_window, find_dates, resolve
from .discourse import may_mean_the_story, story_mission, subjectless
from .names import Occurrence
from .results import Event
from .spellings import MISSION, PERSON, VEHICLE
from .text import Sentences, evidence
from .when import at_utc, find_dateline, former_after, is_former_target, pick_time, resolve_anchor

# Searched in the lower-cased text; no boundary before, so that the scan can skip ahead to
# the few letters these words start with.
AGREEMENT_WORD = re.compile(r"(?:agreement|accord|deal|addend|memorand|arrangement|соглашени|договор|меморандум)\w*")
_AGREEMENT_CONTEXT = re.compile(
    r"\b(?:Roscosmos|NASA|ISS|space\s+station|cross-?flights?|integrated|seat\s+swaps?|crews?|cosmonauts?|astronauts?)\b"
    r"|(?<!\w)(?:Роскосмос\w*|НАСА|МКС|перекрестн\w*|интегрированн\w*|экипаж\w*|космонавт\w*|астронавт\w*)",
    re.IGNORECASE,
)
_STATION = re.compile(r"\b(?:ISS|station|orbit|space)\b|(?<!\w)(?:МКС|станци\w*|орбит\w*|космос\w*)", re.IGNORECASE)
_BACKUP = re.compile(r"\b(?:backup|back-up|reserve)\b|(?<!\w)(?:дублир\w*|резервн\w*)", re.IGNORECASE)
# Between two clauses of one sentence: "… on October 5, and docking will follow on October 6".
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas)\b|\s-\s|, а\b|, но\b")
_NOT_A_TERM_START = frozenset({"through", "until", "till", "до", "по"})
_NEW_DATE_LEAD = frozenset({"to", "until", "till", "for", "into", "на", "до"})
TIMED = ("launch", "docking", "undocking", "landing")
_LEAD = 3  # the title and the first sentences: where a story says what just happened
_INFERRED = 0.6  # the confidence factor of a mission read from the sentences before: under proposing
_WIRE_LEAD = 8  # a wire story under a dateline tells its news in its first paragraphs
# "30 hours after liftoff", "two days later": dated by another event, not by the story's day.
_AFTER_ANOTHER = re.compile(
    r"\b(?:\d+|an?|one|two|three|a\s+few|several)\s+(?:minutes?|hours?|days?|weeks?)\s+(?:after|later|before|earlier)\b"
    r"|\b(?:after|before)\s+(?:the\s+)?(?:liftoff|launch|docking|undocking|landing|splashdown|that|this|then)\b"
    r"|\b(?:by\s+the\s+time|earlier|previously|once)\b|(?<!\w)(?:до\s+этого|перед\s+этим|ранее|незадолго\s+до)"
    r"|(?<!\w)(?:через|спустя)\s+\S+\s+(?:минут\w*|час\w*|сут\w*|дн\w*)|(?<!\w)после\s+(?:старта|запуска|стыковки|расстыковки)",
    re.IGNORECASE,
)
UNSURE_DAY = 0.55  # an event's day guessed from the publication date: linked, never proposed
_BASE_CONFIDENCE = {
    "launch": 0.9,
    "docking": 0.9,
    "undocking": 0.9,
    "landing": 0.9,
    "delay": 0.8,
    "crew_assignment": 0.8,
    "agreement": 0.85,
}


@dataclass
class Page:
    original: str
    text: str  # normalised: same offsets as `original`
    lower: str  # `text` lower-cased: same offsets again
    sentences: Sentences
    by_sentence: dict[int, list[Occurrence]]
    published: dt.date | None
    language: str
    dateline: dt.date | None = None  # the day the story's dateline names
    reference: dt.date | None = None  # what "today" and "on Tuesday" count from: the dateline, else publication
    undated_used: set = field(default_factory=set)  # (type, mission) already given the story's day

    def __post_init__(self):
        self.dateline = find_dateline(self.text, self.published)
        self.reference = self.dateline or self.published


@dataclass
class _Found:
    """One trigger in one sentence, with what it is about."""

    trigger: tr.Trigger
    span: tuple[int, int]
    missions: list[Occurrence]
    mission: Occurrence | None
    dates: list[DateExpr]
    others: list[tuple[int, int]]  # the spans of the sentence's other reported triggers
    inferred: bool = False  # the mission is the story's, not named in the sentence


def find_events(page: Page) -> list[Event]:
    candidates = set(page.by_sentence)
    candidates |= {
        page.sentences.index_at(m.start()) for m in AGREEMENT_WORD.finditer(page.lower) if _word_start(page, m)
    }
    candidates |= subjectless(page)
    events: list[Event] = []
    for index in sorted(candidates):
        events += _sentence_events(page, index)
    return _deduplicate(events)


def _sentence_events(page: Page, index: int) -> list[Event]:
    span = page.sentences.spans[index]
    found_triggers = tr.find_triggers(page.lower, *span, page.language)
    if not found_triggers:
        return []
    occurrences = page.by_sentence.get(index, [])
    missions = [occ for occ in occurrences if occ.kind == MISSION]
    dates = find_dates(page.text, *span, language=page.language)
    events, agreed = [], False
    reports = _reports(page, span, found_triggers)
    for trigger in reports:
        others = [(t.start, t.end) for t in reports if t is not trigger and t.type != trigger.type]
        found = _Found(trigger, span, missions, _nearest(missions, trigger), dates, others)
        if trigger.type == "agreement":
            if not agreed and _is_agreement(page, span, trigger):
                agreed = True
                events += _events_of(page, found, [None])
        elif trigger.type == "crew_assignment":
            events += _assignments(page, found, occurrences)
            if (launch := _flight_to_station(page, found)) and (missions or _has(occurrences, VEHICLE)):
                events += _events_of(page, replace(found, trigger=launch), [None])
        elif missions or _has(occurrences, VEHICLE) or _has(occurrences, PERSON):
            events += _events_of(page, found, [None])
        elif may_mean_the_story(page, span, trigger, TIMED) and (story := story_mission(page, index)) is not None:
            story = Occurrence(trigger.start, trigger.end, MISSION, story)
            events += _events_of(page, replace(found, mission=story, inferred=True), [None])
    return events


_TO_STATION = re.compile(
    r"\s+(?:back\s+)?to\s+(?:the\s+)?(?:iss|international\s+space\s+station|(?:space\s+)?station)\b|\s+(?:к|на)\s+мкс\b",
    re.IGNORECASE,
)


def _flight_to_station(page: Page, found: _Found) -> tr.Trigger | None:
    """ "is due to fly to the ISS on March 2", "полетит к МКС 5 июня": with a date, the flight
    to the station is also its launch (the crew assignment stays an event of its own)."""
    trigger = found.trigger
    if trigger.form not in (tr.VERB, tr.FUTURE, tr.FLEW) or not _TO_STATION.match(page.text, trigger.end):
        return None
    if _pick_date(page.text, found.dates, trigger) is None:
        return None
    form = tr.PAST if trigger.form == tr.FLEW else trigger.form
    return tr.Trigger(trigger.start, trigger.end, "launch", form)


def _reports(page: Page, span: tuple[int, int], found: list[tr.Trigger]) -> list[tr.Trigger]:
    """Drop the event nouns that only qualify a reported event: "the launch of X was postponed
    to July 14" (the launch is what slipped), "X docked three hours after launch"."""
    nouns = {t for t in found if not t.assigns and t.type != "agreement" and tr.is_noun(t, page.text, span)}
    if any(t.type == "delay" for t in found):
        return [t for t in found if t.type == "delay" or t not in nouns]
    if any(t not in nouns and not t.assigns and t.type != "agreement" for t in found):
        return [t for t in found if t not in nouns]
    return found


def _word_start(page: Page, match: re.Match) -> bool:
    return match.start() == 0 or not page.lower[match.start() - 1].isalnum()


def _has(occurrences: list[Occurrence], kind: str) -> bool:
    return any(occ.kind == kind for occ in occurrences)


def _nearest(items: list, trigger: tr.Trigger):
    return min(items, key=lambda item: (_gap(item, trigger), item.start < trigger.start), default=None)


def _gap(item, trigger: tr.Trigger) -> int:
    return max(item.start - trigger.end, trigger.start - item.end, 0)


def _is_agreement(page: Page, span: tuple[int, int], trigger: tr.Trigger) -> bool:
    near = AGREEMENT_WORD.finditer(page.lower, max(span[0], trigger.start - 80), min(span[1], trigger.end + 80))
    return any(_word_start(page, word) for word in near) and bool(_AGREEMENT_CONTEXT.search(page.text, *span))


def _assignments(page: Page, found: _Found, occurrences: list[Occurrence]) -> list[Event]:
    people = list(dict.fromkeys(occ.name for occ in occurrences if occ.kind == PERSON))
    sentence = page.text[found.span[0] : found.span[1]]
    if not people or _BACKUP.search(sentence):
        return []
    if not (found.missions or _has(occurrences, VEHICLE) or _STATION.search(sentence)):
        return []
    return _events_of(page, found, people)


def _events_of(page: Page, found: _Found, people: list[str | None]) -> list[Event]:
    trigger = found.trigger
    tense = tr.tense(trigger, page.text, found.span, page.language)
    dates = [d for d in found.dates if not _former(page, found.span, d.start, d.end)]
    if trigger.type in TIMED and len(dates) < len(found.dates) and not dates:
        return []  # only a target that was given up: "had been scheduled for May 2"
    if trigger.type in TIMED and not dates and _former(page, found.span, trigger.start, trigger.end):
        return []  # "A Thursday takeoff had been the original goal"
    expr = _pick_date(page.text, dates, trigger)
    if tense == tr.UNSAID and expr is None:
        return []
    resolved, clock = _resolve(page, expr, _tense_for_date(trigger, tense)), None
    if trigger.type in TIMED:
        clock = pick_time(page.text, found.span, (trigger.start, trigger.end), found.others)
        if resolved is None and tense == tr.PAST and not found.inferred:
            resolved = _undated(page, trigger, found.mission, clock)
    resolved, time = _on_utc_day(page, resolved, clock)
    happened = _reported_done(trigger, tense, resolved, page.reference)
    confidence = _confidence(found, tense, resolved, happened, page.reference) * (0.85 if len(people) > 1 else 1)
    focus = [trigger] + ([found.mission] if found.mission else [])
    base = Event(
        type=trigger.type,
        mission=found.mission.name if found.mission else None,
        person=None,
        date=resolved.date if resolved else None,
        precision=resolved.precision if resolved else "",
        happened=happened,
        evidence=evidence(page.original, found.span, (min(f.start for f in focus), max(f.end for f in focus))),
        confidence=round(confidence, 2),
        time=time,
        no_earlier_than=not happened and expr is not None and is_no_earlier_than(page.text, expr),
    )
    return [base] if people == [None] else [replace(base, person=person) for person in people]


def _former(page: Page, span: tuple[int, int], start: int, end: int) -> bool:
    return is_former_target(page.text, span[0], start) or former_after(page.text, span, end)


def _resolve(page: Page, expr: DateExpr | None, tense: str) -> Resolved | None:
    if expr is None:
        return None
    if expr.kind == "anchor":
        return resolve_anchor(page.text, expr, page.reference, tense, page.language)
    return resolve(expr, page.reference, tense)


def _undated(page: Page, trigger: tr.Trigger, mission: Occurrence | None, clock) -> Resolved | None:
    """A done event with no date of its own: the day the story speaks from, for its first such
    report of each kind or one with a time of day ("Liftoff came at 18.44 Moscow time"), in
    the story's first paragraphs, unless another event dates it ("30 hours after liftoff").
    With a dateline (wire style: "KOROLYOV, September 23. /TASS/. … touched down") that day;
    without one, the publication day, in the headline and lead only and with too little
    confidence to be proposed (stories are often published the day after)."""
    if page.reference is None or _AFTER_ANOTHER.search(
        page.text, *page.sentences.spans[page.sentences.index_at(trigger.start)]
    ):
        return None
    if page.sentences.index_at(trigger.start) > (_WIRE_LEAD if page.dateline else _LEAD):
        return None
    kind = (trigger.type, mission.name if mission else None)
    first = kind not in page.undated_used
    page.undated_used.add(kind)
    if page.dateline is not None and (first or clock is not None):
        return Resolved(page.dateline, DAY, 0.75 if clock is not None else 0.7)
    if page.dateline is None and (first or clock is not None):
        return Resolved(page.reference, DAY, UNSURE_DAY)
    return None


def _on_utc_day(page: Page, resolved: Resolved | None, clock) -> tuple[Resolved | None, str | None]:
    """A day with a time of day and a zone becomes the UTC day, and the time its UTC "HH:MM"."""
    if resolved is None or clock is None or resolved.precision != DAY:
        return resolved, None
    moved = at_utc(page.text, resolved.date, clock)
    if moved is None:
        return resolved, None
    return replace(resolved, date=moved[0]), moved[1]


def _pick_date(text: str, dates: list[DateExpr], trigger: tr.Trigger) -> DateExpr | None:
    if trigger.type == "agreement":
        dates = [d for d in dates if preposition_before(text, d) not in _NOT_A_TERM_START]
    if trigger.type == "delay":
        # The new date follows the verb ("postponed to July 14"); one before it or after
        # "from" is the date that was given up.
        later = [d for d in dates if d.start >= trigger.end and preposition_before(text, d) != "from"]
        return next((d for d in later if preposition_before(text, d) in _NEW_DATE_LEAD), later[0] if later else None)
    same_clause = [
        d for d in dates if not _CLAUSE_BREAK.search(text, min(d.end, trigger.end), max(d.start, trigger.start))
    ]
    return _nearest(same_clause or dates, trigger)


def _tense_for_date(trigger: tr.Trigger, tense: str) -> str:
    """The tense that places a yearless date: a delay's new date and a planned crew's flight lie ahead."""
    if trigger.type == "delay" or (trigger.type == "crew_assignment" and trigger.form != tr.FLEW):
        return tr.FUTURE
    return tense if tense in (tr.PAST, tr.FUTURE) else ""


def _reported_done(trigger: tr.Trigger, tense: str, resolved: Resolved | None, published: dt.date | None) -> bool:
    if trigger.type == "crew_assignment":
        return trigger.form == tr.FLEW
    if tense in (tr.PAST, tr.FUTURE):
        return tense == tr.PAST
    if resolved is not None and published is not None and trigger.type != "delay":
        return resolved.date <= published
    return True  # a present-tense report without a date: "Crew-5 lands", "Soyuz MS-29 launch delayed"


def _confidence(
    found: _Found, tense: str, resolved: Resolved | None, happened: bool, published: dt.date | None
) -> float:
    confidence = _BASE_CONFIDENCE[found.trigger.type]
    if found.mission is None and found.trigger.type != "agreement":
        confidence *= 0.75
    if found.inferred:
        confidence *= _INFERRED
    confidence *= resolved.confidence if resolved else 0.85
    if tense not in (tr.PAST, tr.FUTURE):
        confidence *= 0.85
    if len({occ.name for occ in found.missions}) > 1:
        confidence *= 0.85
    if resolved and published and found.trigger.type not in ("delay", "crew_assignment"):
        if happened and resolved.date > published + dt.timedelta(days=1):
            confidence *= 0.6  # "launched" on a day after the article: one of the two is wrong
        elif not happened and day_after_window(resolved.date, resolved.precision) < published - dt.timedelta(days=31):
            confidence *= 0.7
    return min(1.0, confidence)


def _deduplicate(events: list[Event]) -> list[Event]:
    """One event per fact, the most confident; an undated one only if no dated one says the same."""
    best: dict[tuple, Event] = {}
    for event in events:
        key = (event.type, event.mission, event.person, event.date, event.precision, event.happened)
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    dated = {(e.type, e.mission, e.person) for e in best.values() if e.date is not None}
    kept = [e for e in best.values() if e.date is not None or (e.type, e.mission, e.person) not in dated]
    return _finest(_unnamed_twins(kept))


def _unnamed_twins(events: list[Event]) -> list[Event]:
    """ "Soyuz MS-24 came back to Earth on Saturday. The vehicle landed on Saturday at 10:17
    Moscow time": a report that names no mission, of the same kind on the same day as one that
    does, is the same event; the named one takes its time of day if it has none."""
    named = {(e.type, e.date, e.happened): i for i, e in enumerate(events) if e.mission and e.date and e.type in TIMED}
    result, timed = dict(enumerate(events)), {}
    for i, event in enumerate(events):
        twin = named.get((event.type, event.date, event.happened)) if event.mission is None else None
        if twin is None:
            continue
        del result[i]
        if events[twin].time is None and event.time is not None and twin not in timed:
            timed[twin] = replace(events[twin], time=event.time, evidence=event.evidence)
    return [timed.get(i, e) for i, e in result.items()]


def _finest(events: list[Event]) -> list[Event]:
    """ "Launched last month" and "launched on February 24" in one story are one launch: a
    coarse date whose window holds a finer date of the same event gives way to it, and the
    event happened if either report says so."""
    if all(e.precision in (DAY, "") for e in events):
        return events
    drop, happened = set(), set()
    for i, event in enumerate(events):
        if event.date is None or event.precision == DAY:
            continue
        end = day_after_window(event.date, event.precision)
        finer = [
            j
            for j, e in enumerate(events)
            if (e.type, e.mission, e.person) == (event.type, event.mission, event.person)
            and e.date is not None
            and e.precision == DAY
            and event.date <= e.date < end
        ]
        if finer:
            drop.add(i)
            happened.update(finer if event.happened else [])
    kept = [replace(e, happened=True) if i in happened else e for i, e in enumerate(events) if i not in drop]
    return list({(e.type, e.mission, e.person, e.date, e.happened): e for e in kept}.values())
