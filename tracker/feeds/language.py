"""The language of a feed's or the API's human-readable text.

Feed readers, calendar apps and API clients send no cookie a person chose, so these
outputs take the language from `?lang=` (an explicit choice, which wins: `?lang=ru`) or
else the request's `Accept-Language` (as LocaleMiddleware read it); a `?lang=` this site
does not speak gives English. Only the words follow the language: UIDs, ids, dates, links,
categories and codes are the same in every language, so a subscriber who switches
language keeps the same events and entries.
"""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import pgettext_lazy

LANGUAGE_PARAMETER = "lang"

# Agencies and nationalities as the record writes them (English), said in the reader's
# language in the feeds' and search results' words; a value not listed is shown as it is.
AGENCY_NAMES = {
    "Roscosmos": pgettext_lazy("agency", "Roscosmos"),
    "NASA": pgettext_lazy("agency", "NASA"),
    "JAXA": pgettext_lazy("agency", "JAXA"),
    "ESA": pgettext_lazy("agency", "ESA"),
    "CSA": pgettext_lazy("agency", "CSA"),
    "Belarus": pgettext_lazy("agency", "Belarus"),
    "MBRSC": pgettext_lazy("agency", "MBRSC"),
}
NATIONALITIES = {
    "American": pgettext_lazy("nationality", "American"),
    "Russian": pgettext_lazy("nationality", "Russian"),
    "Belarusian": pgettext_lazy("nationality", "Belarusian"),
    "Canadian": pgettext_lazy("nationality", "Canadian"),
    "Danish": pgettext_lazy("nationality", "Danish"),
    "Emirati": pgettext_lazy("nationality", "Emirati"),
    "French": pgettext_lazy("nationality", "French"),
    "German": pgettext_lazy("nationality", "German"),
    "Italian": pgettext_lazy("nationality", "Italian"),
    "Japanese": pgettext_lazy("nationality", "Japanese"),
    "Kazakh": pgettext_lazy("nationality", "Kazakh"),
    "British": pgettext_lazy("nationality", "British"),
}


def agency_name(name: str) -> str:
    """'Roscosmos' as the reader says it ('Роскосмос'); an agency not listed as it is."""
    return str(AGENCY_NAMES.get(name, name))


def nationality_name(nationality: str) -> str:
    """'Russian' as the reader says it (in Russian, the country: 'Россия')."""
    return str(NATIONALITIES.get(nationality, nationality))


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
