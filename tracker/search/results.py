"""One search over the record and the news: results grouped by kind, each group with how
many match in all and the best `limit` of them, their matches marked for display."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from tracker.lib.excerpts import Marked, mark, passage

from .articles import ranked_articles
from .query import SearchQuery
from .searchable_record import current_searchable_record, match


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
                title=_marked(hit.findable.title, query),
                url=hit.findable.url,
                detail=hit.findable.detail,
                via_note=via.note if via else "",
                via=_marked(via.label, query) if via else None,
                via_label=via.label if via else "",
            )
        )
    return Group(kind, heading, len(hits), items)


def search(query: SearchQuery, *, limit: int) -> SearchResults:
    record = current_searchable_record()
    articles, article_total = ranked_articles(query, limit)
    return SearchResults(
        query=query,
        groups=[
            # First: a query that names an expedition asks for it, before its crew.
            _record_group("expeditions", gettext("Expeditions"), match(record.expeditions, query), query, limit),
            _record_group("people", gettext("People"), match(record.people, query), query, limit),
            _record_group("missions", gettext("Missions"), match(record.missions, query), query, limit),
            _record_group("vehicles", gettext("Vehicles"), match(record.vehicles, query), query, limit),
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
