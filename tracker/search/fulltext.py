"""Articles matching a query, best first, from the database's full-text index
(tracker/news/fulltext.py): one statement that returns the ids of the best `limit` and how
many match in all, whatever the size of the archive.

What matches: every word of the query (as a prefix, so results come as you type, and on
PostgreSQL also by its Russian or English stem), every quoted phrase as written, and any
article that mentions a person, mission or vehicle the query names (found by any spelling:
"Frank Rubio" finds the articles that call him Francisco).

How they rank, best first:
  1. the query starts the title,
  2. the query is in the title,
  3. every word of it is in the title,
  4. the article mentions a person, mission or vehicle the query names,
  5. the query is in the text as one phrase,
  6. the rest;
and within each tier by relevance × recency: the database's relevance (ts_rank, or FTS5's
bm25) times a factor that halves every RECENCY_HALF_LIFE_DAYS, so relevance decides among
the articles of the same few days and a newer article wins over weeks (the tiers above
already lift the article about an event over one that mentions it in passing).

Only the newest POOL matches are ranked (on SQLite, the POOL stored last: see _sqlite):
ranking reads each article's vector and title, and the best of the newest POOL are the
results a reader of the news wants anyway. Counting and picking the pool read the index and,
on PostgreSQL, each match's row for its date. Measured at 100,000 articles on a loaded
machine, that is what a very common word costs there: a word in half the articles visits
50,000 rows (25,000 heap pages, the rows carry their text) — about a second. A narrow table
of (id, published_at, search_vector) for the GIN index is the next step if that matters.

On SQLite, words are matched by prefix and English words by their Porter stem; Russian
words have no stemmer there, so a Russian word of five letters or more loses its case
ending and is matched as a prefix ("стыковки" → "стыковк*" finds "стыковка", "стыковку").
"""

from dataclasses import dataclass

from django.db import connection

from .query import SearchQuery, index_words, russian_stem

POOL = 200
RECENCY_HALF_LIFE_DAYS = 3
# bm25 counts a word in the title this many times a word in the text (ts_rank's A and D weights do the same).
TITLE_WEIGHT = 10.0
# ln(2) / half-life: the score is ln(relevance) + days × this.
_PER_DAY = 0.6931471805599453 / RECENCY_HALF_LIFE_DAYS
# Relevance of an article found only through a mention (no word of it in the text).
_FLOOR = 1e-6


@dataclass(frozen=True)
class Named:
    """Ids of the record's entries the query names: articles that mention them match too."""

    people: tuple[int, ...] = ()
    missions: tuple[int, ...] = ()
    vehicles: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.people or self.missions or self.vehicles)


def ranked_article_ids(query: SearchQuery, named: Named, limit: int) -> tuple[list[int], int]:
    """The ids of the best `limit` articles, best first, and how many match in all."""
    if not query.terms and not named:
        return [], 0
    build = _postgresql if connection.vendor == "postgresql" else _sqlite
    sql, params = build(query, named, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def _mentions(named: Named, *, arrays: bool) -> tuple[str, list]:
    """SQL selecting the ids of articles that mention a named entry, and its parameters:
    one array parameter per kind on PostgreSQL, one parameter per id on SQLite."""
    clauses, params = [], []
    for column, ids in (("person_id", named.people), ("mission_id", named.missions), ("vehicle_id", named.vehicles)):
        if not ids:
            continue
        if arrays:
            clauses.append(f"{column} = ANY(%s)")
            params.append(list(ids))
        else:
            clauses.append(f"{column} IN ({', '.join('%s' for _ in ids)})")
            params.extend(ids)
    where = " OR ".join(clauses) or "FALSE"
    return f"SELECT article_id AS id FROM news_mention WHERE {where}", params


# The tier (module docstring) of a row of `scored`: where the phrase is in the title
# (`title_at`), whether every word is (`title_words`), whether it mentions a named entry
# (`named`) and whether the text holds the phrase (`phrase`).
_TIER = (
    "CASE WHEN title_at = 1 THEN 0 WHEN title_at > 0 THEN 1 WHEN title_words THEN 2 "
    "WHEN named THEN 3 WHEN phrase THEN 4 ELSE 5 END"
)
# The folded title is the first line of search_text, at most 500 characters (Article.title).
_HEAD = 600


def _postgresql(query: SearchQuery, named: Named, limit: int) -> tuple[str, list]:
    # Per word: its prefix as written, or its Russian/English stem ('russian' stems both);
    # the same in the title only (weight A) for the tier.
    words = ["(to_tsquery('simple', %s) || to_tsquery('russian', %s))" for _ in query.terms]
    phrases = ["phraseto_tsquery('simple', %s)" for _ in query.phrases]
    match = " && ".join(words + phrases) or "''::tsquery"
    in_title = " && ".join(words) or "''::tsquery"
    params = [p for term in query.terms for p in (f"'{term}':*", f"'{term}'")]
    params += [index_words(phrase) for phrase in query.phrases]
    params += [p for term in query.terms for p in (f"'{term}':*A", f"'{term}':A")]
    params.append(index_words(query.folded))
    mentions, mention_params = _mentions(named, arrays=True)
    # Each article's vector and title are read once into `pooled` (`|| ''` makes a copy that
    # is not TOASTed): every test and ts_rank below would otherwise read and decompress the
    # vector again, and only the title's first bytes of search_text are needed.
    sql = f"""
        WITH q AS (SELECT {match} AS query, {in_title} AS in_title, phraseto_tsquery('simple', %s) AS phrase),
        named AS MATERIALIZED ({mentions}),
        matches AS MATERIALIZED (
            SELECT a.id, a.published_at FROM news_article a, q WHERE a.search_vector @@ q.query
            UNION SELECT a.id, a.published_at FROM news_article a JOIN named USING (id)
        ),
        pool AS (SELECT id FROM matches ORDER BY published_at DESC NULLS LAST, id DESC LIMIT {POOL}),
        pooled AS MATERIALIZED (
            SELECT a.id, a.published_at, coalesce(a.published_at, a.fetched_at) AS at,
                split_part(substr(a.search_text, 1, {_HEAD}), E'\n', 1) AS title, a.search_vector || ''::tsvector AS v
            FROM pool JOIN news_article a USING (id)
        ),
        scored AS MATERIALIZED (
            SELECT id, published_at, at, strpos(title, %s) AS title_at, v @@ q.in_title AS title_words,
                id IN (SELECT id FROM named) AS named, v @@ q.phrase AS phrase, ts_rank(v, q.query) AS relevance
            FROM pooled CROSS JOIN q
        )
        SELECT id, (SELECT count(*) FROM matches) FROM scored
        ORDER BY {_TIER},
            ln(greatest(relevance, {_FLOOR})) + extract(epoch FROM at) / 86400.0 * {_PER_DAY} DESC,
            published_at DESC NULLS LAST, id DESC
        LIMIT {int(limit)}"""
    return sql, [*params, *mention_params, query.folded]


def _fts5_term(term: str) -> str:
    return f'"{russian_stem(term)}"*'


def fts5_match(query: SearchQuery, *, title_only: bool = False) -> str:
    """The FTS5 MATCH expression: every word as a prefix, every quoted phrase as written (or
    only the words, in the title). Words are letters and digits only: never FTS5 syntax."""
    words = [_fts5_term(term) for term in query.terms]
    if title_only:
        return f"title : ({' AND '.join(words)})" if words else ""
    phrases = [f'"{index_words(phrase)}"' for phrase in query.phrases]
    return " AND ".join(words + phrases)


def _sqlite(query: SearchQuery, named: Named, limit: int) -> tuple[str, list]:
    """As on PostgreSQL, but the pool is the matches stored last (the highest ids): FTS5 walks
    its index backwards and stops there, and computes bm25 for those rows only, so a common
    word costs no more than a rare one. Articles are stored as they are published, so this
    is the newest matches but for a story that arrived late."""
    mentions, mention_params = _mentions(named, arrays=False)
    match, in_title = fts5_match(query), fts5_match(query, title_only=True)
    fts = "FROM news_article_fts WHERE news_article_fts MATCH %s"
    relevance = f"-bm25(news_article_fts, {TITLE_WEIGHT}, 1.0)"
    nothing = "SELECT 0 AS id, 0 AS relevance WHERE FALSE"
    sql = f"""
        WITH hits AS MATERIALIZED (
            {f"SELECT rowid AS id, {relevance} AS relevance {fts} ORDER BY rowid DESC LIMIT {POOL}" if match else nothing}
        ),
        named AS MATERIALIZED ({mentions}),
        matches AS MATERIALIZED ({f"SELECT rowid AS id {fts}" if match else "SELECT 0 AS id WHERE FALSE"} UNION SELECT id FROM named),
        pool AS MATERIALIZED (
            SELECT id FROM hits UNION SELECT id FROM (SELECT id FROM named ORDER BY id DESC LIMIT {POOL})
            ORDER BY id DESC LIMIT {POOL}
        ),
        title_hits AS MATERIALIZED ({f"SELECT rowid AS id {fts}" if in_title else nothing}),
        scored AS MATERIALIZED (
            SELECT a.id, a.published_at, coalesce(a.published_at, a.fetched_at) AS at,
                instr(substr(a.search_text, 1, instr(a.search_text, char(10)) - 1), %s) AS title_at,
                a.id IN (SELECT id FROM title_hits) AS title_words, a.id IN (SELECT id FROM named) AS named,
                instr(a.search_text, %s) > 0 AS phrase, coalesce(hits.relevance, 0) AS relevance
            FROM pool JOIN news_article a ON a.id = pool.id LEFT JOIN hits ON hits.id = a.id
        )
        SELECT id, (SELECT count(*) FROM matches) FROM scored
        ORDER BY {_TIER},
            ln(max(relevance, {_FLOOR})) + julianday(at) * {_PER_DAY} DESC, published_at DESC NULLS LAST, id DESC
        LIMIT {int(limit)}"""
    params = [*([match] if match else []), *mention_params, *([match] if match else [])]
    params += [*([in_title] if in_title else []), query.folded, query.folded]
    return sql, params
