"""extract(): text and the record in, mentions and events out. Pure: no database, no network."""

import datetime as dt
from collections import defaultdict

from .events import Page, find_events
from .known_names import KnownNames
from .missions import fill_unnamed_missions
from .names import Occurrence
from .results import Extraction, MentionFound
from .text import Sentences, evidence, normalise


def extract(text: str, *, index: KnownNames, published: dt.date | None, language: str = "en") -> Extraction:
    """What `text` mentions of the record and which events it reports.

    `published` anchors relative and yearless dates ("yesterday", "September 21"); without
    it they are left undated. `language` ("en" or "ru", see detect_language) chooses the
    event words and date formats; names are found in both scripts either way."""
    normal = normalise(text)
    sentences = Sentences(normal)
    occurrences = index.matcher.find(normal)
    by_sentence: dict[int, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        by_sentence[sentences.index_at(occurrence.start)].append(occurrence)
    page = Page(text, normal, normal.lower(), sentences, dict(by_sentence), published, language)
    mentions, events = fill_unnamed_missions(page, index.flights, _mentions(page, occurrences), find_events(page))
    return Extraction(mentions=tuple(mentions), events=tuple(events))


def _mentions(page: Page, occurrences: list[Occurrence]) -> list[MentionFound]:
    first: dict[tuple[str, str], Occurrence] = {}
    for occurrence in occurrences:
        first.setdefault((occurrence.kind, occurrence.name), occurrence)
    return [
        MentionFound(kind, name, evidence(page.original, _sentence_span(page, occ), (occ.start, occ.end)))
        for (kind, name), occ in first.items()
    ]


def _sentence_span(page: Page, occurrence: Occurrence) -> tuple[int, int]:
    return page.sentences.spans[page.sentences.index_at(occurrence.start)]
