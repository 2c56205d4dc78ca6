"""The language an output's words are in, for outputs no person's cookie reaches.

Feed readers, calendar apps and API clients send no cookie a person chose, so these
outputs take the language from `?lang=` (an explicit choice, which wins: `?lang=ru`) or
else the request's `Accept-Language` (as LocaleMiddleware read it); a `?lang=` this site
does not speak gives English. Only the words follow the language: UIDs, ids, dates, links,
categories and codes are the same in every language, so a subscriber who switches
language keeps the same events and entries (the feeds and the API build on this).
"""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

LANGUAGE_PARAMETER = "lang"


def supported(code: str) -> str | None:
    """The site's language for a code ('ru', 'RU', 'ru-RU'), or None."""
    code = (code or "").strip().lower().replace("_", "-")
    languages = {language for language, _ in settings.LANGUAGES}
    if code in languages:
        return code
    base = code.split("-")[0]
    return base if base in languages else None


def requested_language(request) -> str:
    """`?lang=` when given (English for a language the site does not speak), else the
    language LocaleMiddleware chose from the request, else the site's default."""
    explicit = request.GET.get(LANGUAGE_PARAMETER, "").strip()
    if explicit:
        return supported(explicit) or "en"
    return supported(translation.get_language() or "") or settings.LANGUAGE_CODE


def in_requested_language(view):
    """Run `view` with the requested language active (so a cache inside it keys by it) and
    say in the response which language its words are in and what it varied on."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = requested_language(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapper
