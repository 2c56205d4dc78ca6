"""Tools for the translation tests: find what a Russian page still says in English.

Two nets, because English reaches a page two ways:
- a string marked for translation that the catalogue lacks: `untranslated_lookups` records
  every lookup made in Russian that finds no entry (templates, views, forms, lazy strings);
- a string nobody marked: `english_words` reads the page's visible text and its
  human-facing attributes for common English words. Text that is English because it is
  data (an English article's title, a note quoted from a source) is marked `lang="en"` in
  the page, as HTML asks, and is not counted.
"""

import contextlib
import re
from html.parser import HTMLParser

from django.utils.translation import trans_real

# Words that no Russian UI string and no name in the record contains, but nearly every
# English sentence or label does.
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|to|with|from|for|by|is|are|was|were|not|has|have|yet|no|none|all|this|"
    r"days?|launch(?:ed)?|landing|landed|docking|docked|undocking|crew|target|unknown|aboard|"
    r"flights?|flown|planned|seats?|news|search|people|missions?|vehicles?|agreement|"
    r"next|page|previous|show|more|total|since|until|due)\b",
    re.IGNORECASE,
)
ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "aria-description")
SKIPPED_ELEMENTS = {"script", "style", "code", "pre"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@contextlib.contextmanager
def untranslated_lookups():
    """Yield a list that collects every marked string looked up in Russian while the block
    runs and missing from the catalogue (msgctxt and msgid, as 'context | message')."""
    missed: list[str] = []
    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self, message):
        if self.language().startswith("ru") and message and message not in self._catalog:
            missed.append(message.replace("\x04", " | "))
        return original_gettext(self, message)

    def ngettext(self, singular, plural, number):
        if self.language().startswith("ru") and (singular, 0) not in self._catalog:
            missed.append(singular.replace("\x04", " | "))
        return original_ngettext(self, singular, plural, number)

    trans_real.DjangoTranslation.gettext = gettext
    trans_real.DjangoTranslation.ngettext = ngettext
    try:
        yield missed
    finally:
        trans_real.DjangoTranslation.gettext = original_gettext
        trans_real.DjangoTranslation.ngettext = original_ngettext


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, text inside is excluded)
        self.found: list[str] = []

    def _excluded(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").lower()
        excluded = (
            self._excluded()
            or tag in SKIPPED_ELEMENTS
            or lang.startswith("en")
            or "hidden" in attributes
            or (tag == "input" and attributes.get("type") == "hidden")
        )
        if not excluded:
            for name in ATTRIBUTES:
                if attributes.get(name):
                    self.found.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.found.append(attributes["value"])
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, excluded))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self._excluded() and data.strip():
            self.found.append(data.strip())


def english_words(html: str) -> list[str]:
    """Each piece of visible text (or human-facing attribute) of `html` that reads as English."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return [text for text in parser.found if ENGLISH_WORDS.search(text)]
