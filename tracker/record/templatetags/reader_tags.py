"""Template filters for text the record keeps in English on pages in another language.

A name the record keeps in Latin ('SpaceX Crew-5', 'Crew Dragon') and notes quoted from
English sources stay English on a Russian page; HTML asks for such text to say so
(lang="en"), so that screen readers and hyphenation read it right. On English pages the
text is in the page's language and nothing is added: English pages stay as they were."""

import re

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LANG_EN = mark_safe(' lang="en"')


def _page_is_english() -> bool:
    return (translation.get_language() or "en").startswith("en")


def _is_latin(text) -> bool:
    return not CYRILLIC.search(str(text or ""))


@register.filter
def lang_attr(text) -> str:
    """' lang="en"' for a name written in Latin on a page not in English, else ''.
    Use inside a tag: <h1{{ family.reader_name|lang_attr }}>."""
    return LANG_EN if not _page_is_english() and _is_latin(text) else ""


@register.filter
def marked(text) -> str:
    """The text, wrapped in <span lang="en"> when it is Latin on a page not in English."""
    if not _page_is_english() and _is_latin(text) and str(text or "").strip():
        return format_html('<span lang="en">{}</span>', text)
    return format_html("{}", text)


@register.simple_tag
def lang_en() -> str:
    """' lang="en"' on a page not in English: for text that is English data, whatever its script
    (a note quoted from an English source). Use inside a tag: <p{% lang_en %}>."""
    return "" if _page_is_english() else LANG_EN


@register.filter
def named(text) -> str:
    """For SVG text: the name escaped, in <tspan lang="en"> when it is Latin on a page not in English."""
    if not _page_is_english() and _is_latin(text) and str(text or "").strip():
        return format_html('<tspan lang="en">{}</tspan>', text)
    return conditional_escape(text)


def format_named(message: str, **names) -> str:
    """`message` (a translated '%(person)s …' pattern) with each name put in by `named`: safe
    markup for an SVG <title>, whose English names say so on a Russian page."""
    return mark_safe(conditional_escape(message) % {key: named(value) for key, value in names.items()})


@register.simple_tag
def accessible_name(title, id_prefix: str, pk) -> str:
    """The attribute naming a chart link: aria-label with the title's text on English pages;
    elsewhere aria-labelledby its <title> (id `id_prefix` + `pk`), whose markup can mark the
    English names inside it (lang="en"), which an attribute cannot."""
    if _page_is_english():
        return format_html('aria-label="{}"', title)
    return format_html('aria-labelledby="{}{}"', id_prefix, pk)
