import re
from urllib.parse import quote_plus

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A run of Latin-script words (with the digits, dots, hyphens and apostrophes names carry):
# 'Crew Dragon', 'SpaceX Crew-12', 'K.E. Tsiolkovsky'.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.'’\-]*(?:[ \u00a0]+[A-Za-z0-9][A-Za-z0-9.'’\-]*)*")


def _page_language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def _script(text: str) -> str:
    return "ru" if any("\u0400" <= char <= "\u04ff" for char in text) else "en"


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "before"):  # a Marked text
        return f"{value.before}{value.match}{value.after}"
    return str(value)


@register.filter
def foreign_lang(value) -> str:
    """` lang="en"` for a name in another script than the page's language ('SpaceX Crew-5'
    on a Russian page), else nothing: put it inside the tag that holds the name."""
    script = _script(_text(value))
    return format_html(' lang="{}"', script) if script != _page_language() else ""


def _latin_runs(text: str, language: str = "") -> str:
    """`text` escaped, its Latin-script runs marked lang="en" (on pages not in English, in
    a text not itself in English)."""
    if _page_language() == "en" or language == "en":
        return conditional_escape(text)
    parts, end = [], 0
    for match in LATIN_RUN.finditer(text):
        parts.append(conditional_escape(text[end : match.start()]))
        parts.append(format_html('<span lang="en">{}</span>', match.group()))
        end = match.end()
    parts.append(conditional_escape(text[end:]))
    return mark_safe("".join(parts))


@register.filter
def latin_runs(text, language: str = "") -> str:
    """Names in Latin script inside text of another language ('полетел на Crew Dragon'),
    marked as English where the page is not: screen readers say them right. `language`:
    the text's own language, when known ('en': nothing to mark)."""
    return _latin_runs(_text(text), language or "")


@register.simple_tag
def match_marked(parts, language: str | None = None) -> str:
    """A text with its match in <mark>; every part escaped (the text may be an article's).
    With `language` (the text's own, "" when unknown), Latin-script runs in a text not in
    English are marked lang="en" (see latin_runs)."""
    if parts is None:
        return ""

    def escape(text):
        return conditional_escape(text) if language is None else _latin_runs(text, language)

    if not parts.match:
        return mark_safe(f"{escape(parts.before)}{escape(parts.after)}")
    return mark_safe(f"{escape(parts.before)}<mark>{escape(parts.match)}</mark>{escape(parts.after)}")


@register.filter
def foreign(value) -> str:
    """The text escaped, in a <span lang> when its script is not the page's language's (a
    source's English name on a Russian page); as it is otherwise."""
    text = _text(value)
    script = _script(text)
    if script != _page_language():
        return format_html('<span lang="{}">{}</span>', script, text)
    return conditional_escape(text)


@register.filter
def other_lang(language) -> str:
    """` lang="ru"` for a text in a language (an article's) other than the page's, else nothing."""
    if language and language != _page_language():
        return format_html(' lang="{}"', language)
    return ""


@register.filter
def query_value(text) -> str:
    """A search example as a query string value: 'Expedition+70', 'Экспедиция+70'."""
    return quote_plus(str(text))
