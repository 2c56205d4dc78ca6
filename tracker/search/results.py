"""One search over the record and the news: results grouped by kind, each group with how
many match in all and the best `limit` of them, their matches marked for display."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from tracker.lib.excerpts import Marked, mark, passage

from . import record_index
from .articles import ranked_articles
from .query import SearchQuery


@dataclass(frozen=True)
class RecordResult:
    title: Marked
    url: str
    detail: str
    via_note: str = ""  # "also spelled", "spacecraft", "built by", "crew of"
    via: Marked | None = None  # the other spelling that found it
    via_label: str = ""


@dataclass(frozen=True)
class ArticleResult:
    article: object  # a news Article with `mission_mentions`
    title: Marked
    passage: Marked


@dataclass
class Group:
    kind: str  # the id of its section: "people", "missions", "vehicles", "expeditions", "articles"
    heading: str
    total: int
    items: list = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass
class SearchResults:
    query: SearchQuery
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _marked(text: str, query: SearchQuery) -> Marked:
    return mark(text, query.needles) or Marked("", "", text)


def _record_group(kind: str, heading: str, hits: list, query: SearchQuery, limit: int) -> Group:
    items = []
    for hit in hits[:limit]:
        via = hit.via
        items.append(
            RecordResult(
                title=_marked(hit.entry.title, query),
                url=hit.entry.url,
                detail=hit.entry.detail,
                via_note=via.note if via else "",
                via=_marked(via.label, query) if via else None,
                via_label=via.label if via else "",
            )
        )
    return Group(kind, heading, len(hits), items)


def search(query: SearchQuery, *, limit: int) -> SearchResults:
    index = record_index.current_index()
    articles, article_total = ranked_articles(query, limit)
    return SearchResults(
        query=query,
        groups=[
            # First: a query that names an expedition asks for it, before its crew.
            _record_group(
                "expeditions", gettext("Expeditions"), record_index.match(index.expeditions, query), query, limit
            ),
            _record_group("people", gettext("People"), record_index.match(index.people, query), query, limit),
            _record_group("missions", gettext("Missions"), record_index.match(index.missions, query), query, limit),
            _record_group("vehicles", gettext("Vehicles"), record_index.match(index.vehicles, query), query, limit),
            Group(
                "articles",
                gettext("Articles"),
                article_total,
                [
                    ArticleResult(article, _marked(article.title, query), passage(article.text, query.needles))
                    for article in articles
                ],
            ),
        ],
    )
