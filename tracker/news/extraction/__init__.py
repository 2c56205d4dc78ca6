"""The pure extraction step of the news pipeline: text and an index of the record in,
mentions and events out (see names.py for the ambiguity rules, dates.py for dates,
events.py and triggers.py for events)."""

from .dates import find_publication_date
from .extractor import extract
from .index import Named, RecordIndex
from .results import Event, Extraction, MentionFound
from .text import detect_language, split_sentences

__all__ = [
    "Event",
    "Extraction",
    "MentionFound",
    "Named",
    "RecordIndex",
    "detect_language",
    "extract",
    "find_publication_date",
    "split_sentences",
]
