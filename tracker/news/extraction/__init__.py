"""The pure extraction step of the news pipeline: text and the record's known names in,
mentions and events out (see names.py for the ambiguity rules, dates.py for dates,
events.py and triggers.py for events)."""

from .dates import find_publication_date
from .extractor import extract
from .known_names import KnownNames, Named
from .results import Event, Extraction, MentionFound
from .text import detect_language, split_sentences

__all__ = [
    "Event",
    "Extraction",
    "MentionFound",
    "Named",
    "KnownNames",
    "detect_language",
    "extract",
    "find_publication_date",
    "split_sentences",
]
