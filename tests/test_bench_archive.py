"""bench/archive.py's builder at a tiny size: the articles it makes are linked to the record
as the ingest pipeline links real ones, and search finds them (what it fills in bulk is what
the app keeps in step with an article's text). Counts and links only, not timing."""

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest

from tracker.news.extraction.forms import russian
from tracker.news.models import Article, Mention, ProposedUpdate
from tracker.record.models import Seat
from tracker.search.query import parse_query
from tracker.search.results import search

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from archive_build import PROPOSAL_EVERY, build_archive  # noqa: E402

SIZE = 200


@pytest.fixture
def archive(db):
    return build_archive(SIZE, seed=7)


def test_the_builder_makes_the_articles_and_mentions_it_reports(archive):
    assert Article.objects.count() == archive["articles"] == SIZE
    assert Mention.objects.count() == archive["mentions"]
    assert ProposedUpdate.objects.count() == archive["proposals"] > 0


def test_about_three_articles_in_ten_are_russian(archive):
    languages = Counter(Article.objects.values_list("language", flat=True))
    assert set(languages) == {"en", "ru"}
    assert 0.15 * SIZE < languages["ru"] < 0.45 * SIZE


def test_most_articles_name_one_to_three_missions_and_some_name_nothing(archive):
    missions_per_article = Counter(Mention.objects.filter(kind="mission").values_list("article_id", flat=True))
    unlinked = Article.objects.filter(mentions__isnull=True).count()
    assert 0 < unlinked < 0.3 * SIZE
    assert len(missions_per_article) == SIZE - unlinked
    assert set(missions_per_article.values()) <= {1, 2, 3}


def test_an_article_names_the_missions_it_is_linked_to_in_its_own_language(archive):
    for mention in Mention.objects.filter(kind="mission").select_related("article", "mission"):
        article, name = mention.article, mention.mission.name
        spelling = (russian(name) or name) if article.language == "ru" else name
        assert spelling in article.text, (spelling, article.title)
        assert mention.evidence in article.text


def test_the_people_an_article_names_fly_on_a_mission_it_names(archive):
    crews = {(m, p) for m, p in Seat.objects.values_list("mission_id", "person_id")}
    missions_of = {}
    for article_id, mission_id in Mention.objects.filter(kind="mission").values_list("article_id", "mission_id"):
        missions_of.setdefault(article_id, set()).add(mission_id)
    people = Mention.objects.filter(kind="person").values_list("article_id", "person_id")
    assert people
    for article_id, person_id in people:
        assert any((mission_id, person_id) in crews for mission_id in missions_of[article_id])


def test_the_articles_are_published_over_years_and_a_few_are_undated(archive):
    dated = Article.objects.exclude(published_at=None).order_by("published_at").values_list("published_at", flat=True)
    assert dated.last() - dated.first() > dt.timedelta(days=3 * 365)
    assert Article.objects.filter(published_at=None).count() < 0.05 * SIZE


def test_each_proposal_is_backed_by_one_to_three_articles_one_of_which_names_its_mission(archive):
    assert ProposedUpdate.objects.count() == pytest.approx(archive["linked_articles"] / PROPOSAL_EVERY, abs=1)
    for proposal in ProposedUpdate.objects.all():
        backing = Article.objects.filter(evidence__proposal=proposal)
        assert 1 <= backing.count() <= 3
        assert backing.filter(mentions__mission=proposal.mission).exists()


@pytest.mark.parametrize("words", ["невесомости", "new solar arrays", "Кикина", "MS-22"])
def test_search_finds_the_built_articles_by_a_word_of_their_text(archive, words):
    results = search(parse_query(words), limit=5)
    articles = next(group for group in results.groups if group.kind == "articles")
    assert articles.total > 0
