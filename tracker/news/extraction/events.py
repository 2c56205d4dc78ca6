"""From sentences to events: a trigger word, what it is about, when, and whether it happened.

A sentence gives an event when it has a trigger (triggers.py) and a subject: a mission, or
a vehicle together with a crew member ("Prokopyev launched on a Soyuz spacecraft"; the
mission is then None and the pipeline decides). A crew assignment needs a person and a
mission, a vehicle or the station ("will fly to the ISS on Crew Dragon"), one event per
person, and is skipped for backup crews. An agreement needs an agreement word near the
verb and the space agencies or the station in the sentence.

Which mission and which date: the nearest to the trigger in the same sentence. For a
delay, the new date ("to July 14", "на 14 июля"); never the old one ("from …"). For an
agreement, never the end of its term ("through 2027").
"""

import datetime as dt
import re
from dataclasses import dataclass, replace

from . import triggers as tr
from .date_patterns import lead
from .dates import DateExpr, Resolved, find_dates, resolve, window_end
from .forms import MISSION, PERSON, VEHICLE
from .names import Occurrence
from .results import Event
from .text import Sentences, evidence

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


@dataclass
class _Found:
    """One trigger in one sentence, with what it is about."""

    trigger: tr.Trigger
    span: tuple[int, int]
    missions: list[Occurrence]
    mission: Occurrence | None
    dates: list[DateExpr]


def find_events(page: Page) -> list[Event]:
    candidates = set(page.by_sentence)
    candidates |= {
        page.sentences.index_at(m.start()) for m in AGREEMENT_WORD.finditer(page.lower) if _word_start(page, m)
    }
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
    for trigger in _reports(page, span, found_triggers):
        found = _Found(trigger, span, missions, _nearest(missions, trigger), dates)
        if trigger.type == "agreement":
            if not agreed and _is_agreement(page, span, trigger):
                agreed = True
                events += _events(page, found, [None])
        elif trigger.type == "crew_assignment":
            events += _assignments(page, found, occurrences)
        elif missions or _has(occurrences, VEHICLE) and _has(occurrences, PERSON):
            events += _events(page, found, [None])
    return events


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
    return _events(page, found, people)


def _events(page: Page, found: _Found, people: list[str | None]) -> list[Event]:
    trigger = found.trigger
    tense = tr.tense(trigger, page.text, found.span, page.language)
    expr = _pick_date(page.text, found.dates, trigger)
    if tense == tr.UNSAID and expr is None:
        return []
    resolved = resolve(expr, page.published, _tense_for_date(trigger, tense)) if expr else None
    happened = _happened(trigger, tense, resolved, page.published)
    confidence = _confidence(found, tense, resolved, happened, page.published) * (0.85 if len(people) > 1 else 1)
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
    )
    return [base] if people == [None] else [replace(base, person=person) for person in people]


def _pick_date(text: str, dates: list[DateExpr], trigger: tr.Trigger) -> DateExpr | None:
    if trigger.type == "agreement":
        dates = [d for d in dates if lead(text, d) not in _NOT_A_TERM_START]
    if trigger.type == "delay":
        # The new date follows the verb ("postponed to July 14"); one before it or after
        # "from" is the date that was given up.
        later = [d for d in dates if d.start >= trigger.end and lead(text, d) != "from"]
        return next((d for d in later if lead(text, d) in _NEW_DATE_LEAD), later[0] if later else None)
    same_clause = [
        d for d in dates if not _CLAUSE_BREAK.search(text, min(d.end, trigger.end), max(d.start, trigger.start))
    ]
    return _nearest(same_clause or dates, trigger)


def _tense_for_date(trigger: tr.Trigger, tense: str) -> str:
    """The tense that places a yearless date: a delay's new date and a planned crew's flight lie ahead."""
    if trigger.type == "delay" or (trigger.type == "crew_assignment" and trigger.form != tr.FLEW):
        return tr.FUTURE
    return tense if tense in (tr.PAST, tr.FUTURE) else ""


def _happened(trigger: tr.Trigger, tense: str, resolved: Resolved | None, published: dt.date | None) -> bool:
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
    confidence *= resolved.confidence if resolved else 0.85
    if tense not in (tr.PAST, tr.FUTURE):
        confidence *= 0.85
    if len({occ.name for occ in found.missions}) > 1:
        confidence *= 0.85
    if resolved and published and found.trigger.type not in ("delay", "crew_assignment"):
        if happened and resolved.date > published + dt.timedelta(days=1):
            confidence *= 0.6  # "launched" on a day after the article: one of the two is wrong
        elif not happened and window_end(resolved.date, resolved.precision) < published - dt.timedelta(days=31):
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
    return [e for e in best.values() if e.date is not None or (e.type, e.mission, e.person) not in dated]
