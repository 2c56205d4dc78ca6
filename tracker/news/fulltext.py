"""The full-text index over articles, one per database, both built from Article.search_text
(the folded title, a newline, the folded text: tracker/lib/folding.py).

Search (tracker/search/fulltext.py) reads it; nothing else does. Neither lives on the model:
each is a different kind of object on each database, made by migration 0006.

- PostgreSQL: `news_article.search_vector`, a tsvector GENERATED from search_text, with a GIN
  index. Two configurations: 'simple' (every word as written, folded: exact and prefix
  matches, names, Cyrillic and Latin alike) and 'russian' (Snowball stems of Russian words
  *and*, through its asciiword mapping, English ones: "стыковки" finds "стыковка",
  "launches" finds "launch"). An 'english' configuration would add nothing: it stems only
  ASCII words, which 'russian' stems the same way. Title lexemes weigh A, text D, so
  ts_rank counts a word in the title ten times a word in the text.
  Trigrams (pg_trgm over search_text) were the other candidate: they keep substring
  matching, but know no inflection, need an extension installed by a superuser, and rank
  by similarity, not by how often and where a word occurs.
- SQLite: `news_article_fts`, a contentless FTS5 table of two columns (title, text): it
  stores the index, not a second copy of the text, and refers to no other table or view
  (a view over news_article would make SQLite refuse Django's rebuilds of that table).
  Tokenizer 'porter unicode61 remove_diacritics 2': unicode61
  splits and folds Cyrillic and Latin, porter stems English words and leaves others alone.

Why the database keeps them in step, not Python: search_text is written by the one code path
that saves an article (Article.save and ArticleQuerySet.bulk_create); the index is derived
from that column by the database in the same statement — a generated column on PostgreSQL,
triggers on SQLite. So a queryset .update(), a bulk or cascading delete, the admin and a
test's flush all keep the index right, which Python code around save() and delete() could
not promise.

One caveat on SQLite: a migration that makes Django rebuild news_article there (altering a
column does) drops the table's triggers with it (the rows keep their ids, so the index stays
right). tests/test_search_fulltext.py checks after all migrations that the triggers exist;
a migration that rebuilds the table runs SQLITE_TRIGGERS again after it.
"""

# The PostgreSQL parser reads "MS-22" as "ms" and a signed number "-22", and "nasa.gov" as
# one host name; search splits a query on every character that is not a letter or digit
# (tracker/search/query.py). Spaces for these make both sides split alike.
_JOINERS = "-./@_+:"
_TITLE = r"split_part(search_text, E'\n', 1)"
_TEXT = r"substr(search_text, strpos(search_text, E'\n') + 1)"
CONFIGS = ("simple", "russian")


def _vector(part: str, weight: str) -> str:
    spaced = f"translate({part}, '{_JOINERS}', '{' ' * len(_JOINERS)}')"
    return " || ".join(f"setweight(to_tsvector('{config}'::regconfig, {spaced}), '{weight}')" for config in CONFIGS)


POSTGRESQL_INSTALL = [
    f"ALTER TABLE news_article ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({_vector(_TITLE, 'A')} || {_vector(_TEXT, 'D')}) STORED",
    # Serves every search: `search_vector @@ query` (tracker/search/fulltext.py).
    "CREATE INDEX news_article_search_vector_idx ON news_article USING gin (search_vector)",
]
POSTGRESQL_UNINSTALL = ["ALTER TABLE news_article DROP COLUMN IF EXISTS search_vector"]

# The FTS5 table's columns, from the article's search_text in a trigger (new./old.) or the view.
_SQLITE_TITLE = "substr({row}search_text, 1, instr({row}search_text, char(10)) - 1)"
_SQLITE_TEXT = "substr({row}search_text, instr({row}search_text, char(10)) + 1)"


def _sqlite_row(row: str) -> str:
    return f"{row}id, {_SQLITE_TITLE.format(row=row)}, {_SQLITE_TEXT.format(row=row)}"


_ADD = "INSERT INTO news_article_fts (rowid, title, body) VALUES ({values});"
_REMOVE = "INSERT INTO news_article_fts (news_article_fts, rowid, title, body) VALUES ('delete', {values});"
SQLITE_TRIGGERS = {
    "news_article_fts_insert": f"""
        CREATE TRIGGER news_article_fts_insert AFTER INSERT ON news_article BEGIN
            {_ADD.format(values=_sqlite_row("new."))}
        END""",
    "news_article_fts_delete": f"""
        CREATE TRIGGER news_article_fts_delete AFTER DELETE ON news_article BEGIN
            {_REMOVE.format(values=_sqlite_row("old."))}
        END""",
    "news_article_fts_update": f"""
        CREATE TRIGGER news_article_fts_update AFTER UPDATE OF search_text ON news_article BEGIN
            {_REMOVE.format(values=_sqlite_row("old."))}
            {_ADD.format(values=_sqlite_row("new."))}
        END""",
}
SQLITE_INSTALL = [
    # Title and text as two columns, so bm25 can weigh a word in the title above one in the text.
    "CREATE VIRTUAL TABLE IF NOT EXISTS news_article_fts USING fts5("
    "title, body, content='', tokenize='porter unicode61 remove_diacritics 2')",
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    *SQLITE_TRIGGERS.values(),
    # Indexes the rows already there.
    f"INSERT INTO news_article_fts (rowid, title, body) SELECT {_sqlite_row('')} FROM news_article",
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS news_article_fts",
]

_STATEMENTS = {
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_UNINSTALL),
    "sqlite": (SQLITE_INSTALL, SQLITE_UNINSTALL),
}


def install(apps, schema_editor) -> None:
    """Creates the index for this database and fills it from the articles already stored."""
    for statement in _STATEMENTS[schema_editor.connection.vendor][0]:
        schema_editor.execute(statement)


def uninstall(apps, schema_editor) -> None:
    for statement in _STATEMENTS[schema_editor.connection.vendor][1]:
        schema_editor.execute(statement)
