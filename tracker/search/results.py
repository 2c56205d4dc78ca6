"""One search over the record and the news: results grouped by kind, each group with how
many match in all and the best `limit` of them, their matches marked for display."""

from dataclasses import dataclass, field

from tracker.lib.excerpts import Marked, mark, passage

from . import record_index
from .articles import ranked_articles
from .fulltext import Named
from .query import SearchQuery


@dataclass(frozen=True)
class RecordResult:
    title: Marked
    url: str
    detail: str
    via_note: str = ""  # "also spelled", "spacecraft", "built by"
    via: Marked | None = None  # the other spelling that found it
    via_label: str = ""


@dataclass(frozen=True)
class ArticleResult:
    article: object  # a news Article with `mission_mentions`
    title: Marked
    passage: Marked


@dataclass
class Group:
    kind: str  # the id of its section: "people", "missions", "vehicles", "articles"
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


# At most this many named entries of each kind widen the article search by their mentions.
NAMED_LIMIT = 20


def _named(hits: list, query: SearchQuery) -> tuple[int, ...]:
    return tuple(hit.entry.pk for hit in hits if record_index.names(hit, query))[:NAMED_LIMIT]


def search(query: SearchQuery, *, limit: int) -> SearchResults:
    index = record_index.current_index()
    people = record_index.match(index.people, query)
    missions = record_index.match(index.missions, query)
    vehicles = record_index.match(index.vehicles, query)
    named = Named(people=_named(people, query), missions=_named(missions, query), vehicles=_named(vehicles, query))
    articles, article_total = ranked_articles(query, limit, named)
    return SearchResults(
        query=query,
        groups=[
            _record_group("people", "People", people, query, limit),
            _record_group("missions", "Missions", missions, query, limit),
            _record_group("vehicles", "Vehicles", vehicles, query, limit),
            Group(
                "articles",
                "Articles",
                article_total,
                [
                    ArticleResult(article, _marked(article.title, query), passage(article.text, query.needles))
                    for article in articles
                ],
            ),
        ],
    )
