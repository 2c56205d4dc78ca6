"""The record's English words (agencies, nationalities) said in the reader's language.

The record stores them as the sources write them; pages, feeds and search results show
them through these lookups. A value not listed is shown as it is."""

from django.utils.translation import pgettext_lazy

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
