"""The Atom feeds, with Django's syndication framework.

- `/feeds/updates.atom`: changes to the record, newest first (the latest 50): editors' edits
  and accepted news proposals, each with who, when, old → new and why
  (tracker/news/changes.py, the same read as /api/updates).
- `/feeds/news.atom`: ingested articles linked to missions, newest first (the latest 50),
  `?mission=<slug>` for one mission (404 for a slug the record does not know).

Article titles and text come from the open web and are untrusted. They are emitted only
as plain text: entry summaries are `type="text"` (Django's Atom writer declares every
summary HTML, which would let a reader render an article's markup), titles are Atom's
default text type, and the XML writer escapes `<` and `&`. So `<script>` in a title
reaches a feed reader as the visible characters, never as markup. Characters XML 1.0
cannot carry are dropped rather than failing the whole feed.

Entry ids are tag URIs on the same fixed authority as the calendar's UIDs
(`tag:iss-crew-tracker.invalid,2026:article/<pk>`), so they survive a changed article
URL and are the same whichever host serves the feed.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from tracker.lib.excerpts import lead
from tracker.lib.fuzzy_dates import Precision, format_day, format_instant
from tracker.news.changes import RecordChange, record_changes
from tracker.news.models import Article
from tracker.record.models import Mission
from tracker.record.templatetags.record_tags import linkable

from .articles import linked_articles
from .calendar import UID_DOMAIN

SUMMARY_CHARS = 500
TAG_PREFIX = f"tag:{UID_DOMAIN},2026:"
AUTHOR = gettext_lazy("ISS crew rotation tracker")
# Not allowed anywhere in an XML 1.0 document (control characters, lone surrogates, U+FFFE/F).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return XML_ILLEGAL.sub("", text or "")


class TextAtomFeed(Atom1Feed):
    """Atom 1.0 with plain-text entry summaries and `rel="related"` links to sources."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        for href, title in item.get("related", ()):
            handler.addQuickElement("link", "", {"rel": "related", "href": href, "title": title})

    def item_attributes(self, item):
        # A Russian article in an English feed: readers pick fonts, hyphenation and speech by it.
        return {"xml:lang": item["language"]} if item.get("language") else {}


@dataclass(frozen=True)
class Scope:
    """What one request asks of a feed: its own absolute URL and an optional mission."""

    self_url: str
    mission: Mission | None = None


class TrackerFeed(Feed):
    """Titles, subtitles and descriptions are in the requested language (the views run in it,
    see language.py); ids, links, dates and categories are the same in every language."""

    feed_type = TextAtomFeed
    language = None  # the active language: the feed's xml:lang
    item_guid_is_permalink = False

    def author_name(self, scope: Scope) -> str:
        return str(AUTHOR)

    def feed_url(self, scope: Scope) -> str:
        return scope.self_url

    def feed_guid(self, scope: Scope) -> str:
        # Atom's feed id; without it Django uses the alternate page, the same for both feeds.
        return scope.self_url


class UpdatesFeed(TrackerFeed):
    title = gettext_lazy("ISS crew rotations: updates to the record")
    subtitle = gettext_lazy(
        "Every change to the flight record, by editors or accepted from news reports: "
        "what changed (old → new), when, by whom, and why."
    )

    def get_object(self, request):
        return Scope(self_url=request.build_absolute_uri(reverse("feeds:updates")))

    def link(self, scope: Scope) -> str:
        return reverse("record:dashboard")

    def items(self, scope: Scope) -> list[RecordChange]:
        return record_changes()

    def item_title(self, change: RecordChange) -> str:
        return xml_safe(change.title)

    def item_link(self, change: RecordChange) -> str:
        return change.url

    def item_guid(self, change: RecordChange) -> str:
        return f"{TAG_PREFIX}{change.key}"

    def item_pubdate(self, change: RecordChange):
        return change.at

    def item_updateddate(self, change: RecordChange):
        return change.at

    def item_author_name(self, change: RecordChange) -> str:
        return xml_safe(change.by)

    def item_categories(self, change: RecordChange) -> list[str]:
        # Categories are data a reader filters on: the same in every language.
        with translation.override("en"):
            mission = change.mission
            kind = change.proposal.get_kind_display() if change.proposal else change.kind.replace("_", " ")
            return [*([mission.name] if mission else []), str(kind)]

    def item_description(self, change: RecordChange) -> str:
        lines = list(change.lines)
        when = format_instant(change.at.astimezone(dt.UTC), Precision.EXACT)
        if change.proposal is None:
            lines.append(gettext("Changed %(when)s by %(by)s.") % {"when": when, "by": change.by})
            lines += [gettext("Reason: %(reason)s") % {"reason": change.reason}] if change.reason else []
        else:
            if change.editor:
                by = gettext("by %(editor)s") % {"editor": change.editor}
            else:
                by = gettext("automatically (the source is trusted to auto-accept)")
            lines.append(
                gettext("News proposal #%(number)s accepted %(when)s %(by)s.")
                % {"number": change.proposal.pk, "when": when, "by": by}
            )
        if change.evidence:
            lines += ["", gettext("Reported by:")]
        for evidence in change.evidence:
            article = evidence.article
            source = f"{article.source.name}, " if article.source else ""
            published = format_day(article.published_at) if article.published_at else gettext("date unknown")
            address = f" {article.url}" if linkable(article.url) else ""
            lines.append(f"- {article.title} ({source}{published}){address}")
            lines.append(f"  “{lead(xml_safe(evidence.sentence), 300)}”")
        return xml_safe("\n".join(lines))

    def item_extra_kwargs(self, change: RecordChange) -> dict:
        related = [
            (evidence.article.url, xml_safe(evidence.article.title))
            for evidence in change.evidence
            if linkable(evidence.article.url)
        ]
        return {"related": related}


class NewsFeed(TrackerFeed):
    subtitle = gettext_lazy("News articles linked to missions in the ISS crew rotation record, newest first.")

    def get_object(self, request):
        slug = request.GET.get("mission", "")
        if not slug:
            return Scope(self_url=request.build_absolute_uri(reverse("feeds:news")))
        mission = get_object_or_404(Mission, slug=slug)
        return Scope(
            self_url=request.build_absolute_uri(f"{reverse('feeds:news')}?mission={mission.slug}"), mission=mission
        )

    def title(self, scope: Scope) -> str:
        if scope.mission is None:
            return gettext("ISS crew rotations: news")
        return gettext("ISS crew rotations: news about %(mission)s") % {"mission": scope.mission.reader_name}

    def link(self, scope: Scope) -> str:
        if scope.mission is None:
            return f"{reverse('record:dashboard')}#latest-news"
        return scope.mission.get_absolute_url()

    def items(self, scope: Scope):
        return linked_articles(mission=scope.mission)

    def item_title(self, article: Article) -> str:
        return xml_safe(article.title)

    def item_link(self, article: Article) -> str:
        if linkable(article.url):
            return article.url
        # No address a reader can open (a GUID-only urn:, the offline sample's .invalid
        # host): the page of the mission it is about.
        return article.mission_mentions[0].mission.get_absolute_url()

    def item_guid(self, article: Article) -> str:
        return f"{TAG_PREFIX}article/{article.pk}"

    def item_pubdate(self, article: Article):
        return article.published_at

    def item_updateddate(self, article: Article):
        return article.updated_at

    def item_author_name(self, article: Article) -> str | None:
        return xml_safe(article.source.name) if article.source else None

    def item_categories(self, article: Article) -> list[str]:
        return [mention.mission.name for mention in article.mission_mentions]

    def item_description(self, article: Article) -> str:
        return lead(xml_safe(article.text_start), SUMMARY_CHARS)

    def item_extra_kwargs(self, article: Article) -> dict:
        return {"language": article.language}
