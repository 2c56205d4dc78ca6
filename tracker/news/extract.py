"""The extraction step's API; the code lives in the `extraction` package."""

from .extraction import (
    Event,
    Extraction,
    Mention,
    Named,
    RecordIndex,
    detect_language,
    extract,
    find_publication_date,
    split_sentences,
)

__all__ = [
    "Event",
    "Extraction",
    "Mention",
    "Named",
    "RecordIndex",
    "detect_language",
    "extract",
    "find_publication_date",
    "split_sentences",
]
