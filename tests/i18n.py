"""Tools for the translation tests: find what a Russian page still says in English.

Two nets, because English reaches a page two ways:
- a string marked for translation that the catalogue lacks: `untranslated_lookups` records
  every lookup made in Russian that finds no entry (templates, views, forms, lazy strings);
- a string nobody marked: `english_words` reads the page's visible text and its
  human-facing attributes for common English words. Text that is English because it is
  data (an English article's title, a note quoted from a source, a name the Russian press
  keeps in Latin such as "SpaceX Crew-5") is marked `lang="en"` in the page, as HTML asks,
  and is not counted; where such a name recurs in text that cannot carry markup (the
  `<title>`, an attribute), the names the page marks English elsewhere are discounted.
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
        # One entry per open element: (tag, text inside is excluded, text buffer if the
        # element is marked lang="en" else None).
        self.stack: list[tuple[str, bool, list[str] | None]] = []
        self.found: list[str] = []
        self.english_data: set[str] = set()  # the text of each element marked lang="en"

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
            self.stack.append((tag, excluded, [] if lang.startswith("en") else None))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack and self.stack[-1][0] == tag:
            self._close(len(self.stack) - 1)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                self._close(index)
                break

    def _close(self, index: int) -> None:
        for _, _, buffer in self.stack[index:]:
            if buffer is not None and "".join(buffer).strip():
                self.english_data.add(" ".join("".join(buffer).split()))
        del self.stack[index:]

    def handle_data(self, data):
        for _, _, buffer in self.stack:
            if buffer is not None:
                buffer.append(data)
        if not self._excluded() and data.strip():
            self.found.append(data.strip())


def latin_names() -> set[str]:
    """The record's names that stay in Latin on Russian pages, as the Russian press writes
    them ("SpaceX Crew-5", "Crew Dragon", "Endurance", "NASA"): Russian text may carry them,
    unmarked, as in an article's title "…полетел на Crew Dragon"."""
    from django.utils import translation

    from tracker.record.models import Agency, Mission, Spacecraft, VehicleFamily

    with translation.override("ru"):
        names = {m.name for m in Mission.objects.all() if m.reader_name == m.name}
        names |= {f.name for f in VehicleFamily.objects.all() if f.reader_name == f.name}
    names |= set(Spacecraft.objects.values_list("name", flat=True))
    names |= set(Agency.objects.values_list("name", flat=True))
    return names


def english_words(html: str, allowed: set[str] = frozenset()) -> list[str]:
    """Each piece of visible text (or human-facing attribute) of `html` that reads as
    English, apart from the `allowed` names (see latin_names)."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    names = sorted(parser.english_data | set(allowed), key=len, reverse=True)

    def without_english_data(text: str) -> str:
        text = " ".join(text.split())
        for name in names:
            text = text.replace(name, " ")
        return text

    return [text for text in parser.found if ENGLISH_WORDS.search(without_english_data(text))]
