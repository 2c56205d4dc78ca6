"""Full-text search over articles, on both databases: a word of the body in English or
Russian (inflected), a person's other spelling, a quoted phrase, the article about an event
before one that mentions it in passing, the index kept in step with every write, and on
PostgreSQL the GIN index read instead of the table.

What SQLite matches differently: it has no Russian stemmer, so a Russian word loses its
case ending and is matched as a prefix ("стыковки" → "стыковк*"); the tests below use
inflections both databases find."""

import datetime as dt

import pytest
from django.db import connection, transaction

from tracker.lib.folding import fold
from tracker.news import fulltext as news_fulltext
from tracker.news.models import Article, NewsSource, SourceKind
from tracker.news.parse import Entry
from tracker.news.services import ingest_entry
from tracker.search import fulltext
from tracker.search.query import parse_query
from tracker.search.results import search

pytestmark = pytest.mark.django_db

DOCKING_RU = "Корабль «Союз МС-22» с экипажем совершил стыковку со станцией. Стыковка прошла в штатном режиме."


@pytest.fixture
def source():
    return NewsSource.objects.create(name="Test wire", url="https://example.org/feed", kind=SourceKind.FEED)


def ingest(source, title, text, *, day=1, hour=12):
    entry = Entry(
        url=f"https://example.org/{fold(title).replace(' ', '-')[:60]}-{day}-{hour}",
        guid="",
        title=title,
        published=dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC),
        text=text,
    )
    return ingest_entry(entry, source=source).article


def articles_for(q: str) -> list[str]:
    (articles,) = [group for group in search(parse_query(q), limit=50).groups if group.kind == "articles"]
    return [item.article.title for item in articles.items]


# --- a word of the body, in either language ---------------------------------------------


def test_a_word_of_the_body_finds_an_english_article(source):
    ingest(source, "Station news", "The hatch was opened two hours after the spacecraft docked.")
    ingest(source, "Other news", "A cargo ship left the station.")
    assert articles_for("hatch") == ["Station news"]
    assert articles_for("docking") == articles_for("docks") == ["Station news"]  # the stem of "docked"


@pytest.mark.parametrize("q", ["стыковки", "стыковку", "Стыковкой", "стыковка"])
def test_an_inflected_russian_word_finds_the_article(source, q):
    ingest(source, "Новости станции", DOCKING_RU)
    ingest(source, "Другие новости", "Грузовой корабль покинул станцию.")
    assert articles_for(q) == ["Новости станции"]
    (articles,) = [group for group in search(parse_query(q), limit=5).groups if group.kind == "articles"]
    assert fold(articles.items[0].passage.match).startswith("стыковк")  # the passage marks the word found


def test_a_word_typed_in_part_finds_the_article_as_you_type(source):
    ingest(source, "Station news", "The hatch was opened after the spacecraft docked.")
    assert articles_for("spacecr") == ["Station news"]


# --- a person's other spelling ---------------------------------------------------------------


@pytest.mark.parametrize("q", ["Frank Rubio", "Фрэнк Рубио", "Francisco Rubio"])
def test_a_person_s_other_spelling_finds_the_articles_that_mention_him(source, q):
    ingest(source, "Soyuz MS-23 lands", "NASA astronaut Francisco Rubio returned after 371 days in space.")
    ingest(source, "Cargo news", "A Progress cargo ship undocked from the station.")
    found = search(parse_query(q), limit=50)
    assert [item.title.before + item.title.match + item.title.after for item in found.groups[0].items] == [
        "Francisco Rubio"
    ]
    assert articles_for(q) == ["Soyuz MS-23 lands"]


# --- phrases -------------------------------------------------------------------------------------


def test_a_quoted_phrase_finds_only_the_articles_with_those_words_in_that_order(source):
    ingest(source, "Phrase", "The crew station module was opened.", day=1)
    ingest(source, "Apart", "The station crew opened the module.", day=2)
    assert articles_for('"crew station module"') == ["Phrase"]
    assert articles_for("«crew station module»") == ["Phrase"]
    assert articles_for("crew station module") == ["Phrase", "Apart"]  # the phrase first, though older


# --- ranking -----------------------------------------------------------------------------------


def test_the_article_about_an_event_comes_before_a_newer_one_that_mentions_it_in_passing(source):
    ingest(
        source, "Soyuz MS-22 docks with the station", "Soyuz MS-22 docked at 16:06 UTC. The docking went well.", day=1
    )
    ingest(source, "Weekly roundup", "Budgets, cargo and, last week, the Soyuz MS-22 docking.", day=5)
    assert articles_for("MS-22 docking") == ["Soyuz MS-22 docks with the station", "Weekly roundup"]
    assert articles_for("docking") == ["Soyuz MS-22 docks with the station", "Weekly roundup"]


def test_an_article_with_many_hits_comes_before_one_with_a_single_hit_the_same_day(source):
    many = "The spacewalk began at nine. The spacewalk crew replaced a pump; the spacewalk ended at four, a long spacewalk."
    ingest(source, "Long day outside", many, hour=9)
    ingest(source, "Station roundup", "Cargo, science, and a spacewalk. Then the crew slept well tonight.", hour=15)
    assert articles_for("spacewalk") == ["Long day outside", "Station roundup"]


def test_among_equal_matches_the_newest_comes_first(source):
    for day in (3, 9, 5):
        ingest(source, f"Report {day}", "A spacewalk was made.", day=day)
    assert articles_for("spacewalk") == ["Report 9", "Report 5", "Report 3"]


# --- the index follows every write ----------------------------------------------------------------


def test_the_index_follows_updates_and_deletes_made_without_save(source):
    article = ingest(source, "Station news", "The hatch was opened.")
    Article.objects.filter(pk=article.pk).update(search_text="station news\nthe airlock was opened.")
    assert articles_for("hatch") == [] and articles_for("airlock") == ["Station news"]
    Article.objects.filter(pk=article.pk).delete()
    assert articles_for("airlock") == []


def test_odd_words_are_never_index_syntax(client, source):
    ingest(source, "Station news", "The hatch was opened.")
    for q in ['"', '""', '"a"', "hatch*", "hatch OR NEAR(x)", "a:* & !b", "'hatch'", "-hatch", "hatch -", "ё:*"]:
        assert client.get("/search/", {"q": q}).status_code == 200  # no error from either database's syntax
    assert articles_for('"hatch') == ["Station news"]


def test_the_index_and_what_keeps_it_in_step_exist_after_all_migrations():
    """A later migration that rebuilds news_article on SQLite drops its triggers: this says so."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'news_article_fts%'")
            found = {name for kind, name in cursor.fetchall() if kind in ("table", "trigger")}
            assert found >= {"news_article_fts", *news_fulltext.SQLITE_TRIGGERS}
        else:
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = 'news_article' AND column_name = 'search_vector'"
            )
            assert cursor.fetchall() == [("ALWAYS",)]
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'news_article_search_vector_idx'")
            assert "USING gin (search_vector)" in cursor.fetchone()[0]


# --- PostgreSQL reads the index -------------------------------------------------------------------


@pytest.mark.postgresql_only
def test_postgresql_reads_the_gin_index_not_the_table(source):
    Article.objects.bulk_create(
        Article(source=source, url=f"https://example.org/{n}", title=f"Note {n}", text=f"Filler text number {n}.")
        for n in range(3000)
    )
    ingest(source, "Station news", "The hatch was opened.")
    sql, params = fulltext._postgresql(parse_query("hatch"), fulltext.Named(people=(1,)), limit=50)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE news_article")
        # Forbid a sequential scan where any other plan exists: the plan must then name the index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "news_article_search_vector_idx" in plan
    assert "Seq Scan on news_article" not in plan and "Seq Scan on news_mention" not in plan
