"""The language of the API's human-readable fields.

A response's data (ids, slugs, names as the record spells them, codes, dates, numbers, URLs)
is the same in every language; only the fields that put something in words (an event's
`display`, an update's `summary`, `by`, `reason` and its changes' `what`/`old`/`new`) follow
`?lang=` or Accept-Language (tracker/lib/languages.py). So an operation runs in English,
and the code that writes those fields asks for the reader's language with `reader_words()`.
"""

import contextlib
import contextvars

from django.utils import translation

from tracker.lib.languages import requested_language

__all__ = ["reader_words", "requested_language", "words_in"]

_reader_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("reader_language", default=None)


@contextlib.contextmanager
def words_in(language: str):
    """Run an operation: data in English (language-neutral), words in `language`."""
    token = _reader_language.set(language)
    try:
        with translation.override("en"):
            yield
    finally:
        _reader_language.reset(token)


@contextlib.contextmanager
def reader_words():
    """Inside an operation: the reader's language for the human-readable text made here."""
    language = _reader_language.get()
    if language is None:
        yield
        return
    with translation.override(language):
        yield
