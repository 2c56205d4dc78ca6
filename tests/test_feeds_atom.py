"""The Atom feeds: updates to the record and the news linked to missions (editors' own
edits in the updates feed: tests/test_record_changes.py).

Articles and proposals are made by the real pipeline (the offline sample source, or
`ingest_entry`) and accepted by the real service, as editors do."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from tracker.news.models import ProposedUpdate
from tracker.news.parse import Entry
from tracker.news.proposals import accept_proposal, reject_proposal
from tracker.news.services import ingest_entry
from tracker.record.models import Mission

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
UPDATES = "/feeds/updates.atom"
NEWS = "/feeds/news.atom"
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14, planned"
# The sample stories' exact times, from the record's notes (the record has the days only).
MS28_DOCKING = "Soyuz MS-28 docking: 2025-11-27 12:34 UTC, happened"
CREW12_LAUNCH = "SpaceX Crew-12 launch: 2026-02-13 10:15 UTC, happened"
MS29_SENTENCE = "Soyuz MS-29 is scheduled to launch on July 14, 2026"
SAMPLE_TITLES = [  # newest first, as the sample feed dates them
    "Soyuz MS-29 crew targets July launch",
    "Soyuz MS-28 crew expected home in July",
    "Roscosmos names Teteryatnikov for SpaceX Crew-13",
    "Андрей Федяев во второй раз полетел на Crew Dragon",
    "Russia Willing To Cooperate With US In Space Despite Strained Relations - Foreign Ministry",
]


def feed(client, url: str) -> ET.Element:
    cache.clear()  # regenerate: the page cache would otherwise answer
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # well-formed, or this raises
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in entries(root)]


def links(element: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for link in element.findall(f"{ATOM}link"):
        found.setdefault(link.get("rel", "alternate"), []).append(link.get("href"))
    return found


def report(source, *, url: str, title: str, text: str, published=dt.datetime(2026, 5, 2, 8, tzinfo=dt.UTC)):
    """One article through the real ingestion pipeline (store, link, propose)."""
    return ingest_entry(Entry(url=url, guid="", title=title, published=published, text=text), source=source)


def assert_valid_atom_feed(root: ET.Element, self_url: str, alternate: str) -> None:
    """What RFC 4287 requires of a feed and its entries, and our self/alternate links."""
    assert root.findtext(f"{ATOM}title") and root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    assert links(root) == {"alternate": [alternate], "self": [self_url]}
    ids = [entry.findtext(f"{ATOM}id") for entry in entries(root)]
    assert len(ids) == len(set(ids))
    for entry in entries(root):
        assert entry.findtext(f"{ATOM}title")
        assert entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}id").startswith("tag:iss-crew-tracker.invalid,2026:")
        assert len(links(entry)["alternate"]) == 1
        summary = entry.find(f"{ATOM}summary")
        assert summary is None or summary.get("type") == "text"


# --- updates -------------------------------------------------------------------------------


def test_an_empty_updates_feed_is_still_a_valid_feed(client):
    root = feed(client, UPDATES)
    assert_valid_atom_feed(root, "http://testserver/feeds/updates.atom", "http://testserver/")
    assert entries(root) == []


def test_an_accepted_proposal_says_what_changed_when_and_who_reported_it(client, editor, sample_proposals):
    accept_proposal(proposal=sample_proposals[MS29_LAUNCH], user=editor)
    root = feed(client, UPDATES)
    assert_valid_atom_feed(root, "http://testserver/feeds/updates.atom", "http://testserver/")
    (entry,) = entries(root)
    assert entry.findtext(f"{ATOM}title") == MS29_LAUNCH
    assert links(entry)["alternate"] == ["http://testserver/missions/soyuz-ms-29/"]
    summary = entry.findtext(f"{ATOM}summary")
    assert "Soyuz MS-29 launch: unknown → target 2026-07-14" in summary
    assert "Soyuz MS-29 status: planned → scheduled" in summary
    assert "Soyuz MS-29 crew targets July launch (Sample news (offline), 2026-04-30)" in summary
    assert MS29_SENTENCE in summary
    accepted_at = ProposedUpdate.objects.get(pk=sample_proposals[MS29_LAUNCH].pk).decided_at
    assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) == accepted_at
    by = f"news proposal #{sample_proposals[MS29_LAUNCH].pk} accepted by edna"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == by
    assert f"News proposal #{sample_proposals[MS29_LAUNCH].pk} accepted " in summary and " by edna." in summary
    assert {category.get("term") for category in entry.findall(f"{ATOM}category")} == {"Soyuz MS-29", "launch"}


def test_pending_and_rejected_proposals_are_not_updates(client, editor, sample_proposals):
    reject_proposal(proposal=sample_proposals[MS28_DOCKING], user=editor, reason="Not confirmed.")
    assert entries(feed(client, UPDATES)) == []


def test_updates_are_newest_first(client, editor, sample_proposals):
    for summary in (CREW12_LAUNCH, MS29_LAUNCH, MS28_DOCKING):
        accept_proposal(proposal=sample_proposals[summary], user=editor)
    root = feed(client, UPDATES)
    assert titles(root) == [MS28_DOCKING, MS29_LAUNCH, CREW12_LAUNCH]
    ms28 = entries(root)[0].findtext(f"{ATOM}summary")
    assert "Soyuz MS-28 docking: 2025-11-27 → 2025-11-27 12:34 UTC" in ms28


def test_an_update_links_its_source_articles_that_readers_can_open(client, editor, source, ms29_launch_unannounced):
    first = report(source, url="https://news.example.org/ms29-date", title="MS-29 date set", text=f"{MS29_SENTENCE}.")
    second = report(
        source,
        url="https://other.example.org/ms29",
        title="Soyuz MS-29 in July",
        text=f"{MS29_SENTENCE}, Roscosmos said.",
    )
    (proposal,) = first.proposals
    assert second.proposals == [proposal]  # the same fact: one proposal, two sources
    accept_proposal(proposal=proposal, user=editor)
    (entry,) = entries(feed(client, UPDATES))
    assert sorted(links(entry)["related"]) == ["https://news.example.org/ms29-date", "https://other.example.org/ms29"]
    summary = entry.findtext(f"{ATOM}summary")
    assert "MS-29 date set (Test wire, 2026-05-02) https://news.example.org/ms29-date" in summary


def test_a_moved_target_reads_as_a_target_in_the_updates_feed(client):
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    ms29.launch_at = dt.datetime(2026, 8, 20, tzinfo=dt.UTC)
    ms29.save()
    (entry,) = entries(feed(client, UPDATES))
    assert entry.findtext(f"{ATOM}title") == "Soyuz MS-29 launch: target 2026-07-14 → target 2026-08-20"


def test_an_accepted_report_of_the_launch_turns_the_target_into_a_fact_in_the_updates_feed(client, editor, source):
    article = report(
        source,
        url="https://news.example.org/ms29-launched",
        title="Soyuz MS-29 launched",
        text="Soyuz MS-29 launched from Baikonur on July 14, 2026 at 09:27 UTC with Dubrov, Kikina and Menon.",
        published=dt.datetime(2026, 7, 14, 12, tzinfo=dt.UTC),
    )
    (proposal,) = article.proposals
    accept_proposal(proposal=proposal, user=editor)
    (entry,) = entries(feed(client, UPDATES))
    assert "Soyuz MS-29 launch: target 2026-07-14 → 2026-07-14 09:27 UTC" in entry.findtext(f"{ATOM}summary")


# --- news ----------------------------------------------------------------------------------


def test_the_news_feed_lists_articles_linked_to_missions_newest_first(client, sample_proposals):
    root = feed(client, NEWS)
    assert_valid_atom_feed(root, "http://testserver/feeds/news.atom", "http://testserver/#latest-news")
    assert titles(root) == SAMPLE_TITLES
    entry = entries(root)[0]
    assert entry.findtext(f"{ATOM}published") == "2026-04-30T12:00:00+00:00"
    assert [category.get("term") for category in entry.findall(f"{ATOM}category")] == ["Soyuz MS-29"]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Sample news (offline)"
    assert entry.findtext(f"{ATOM}summary").startswith(MS29_SENTENCE)
    # The sample's addresses are on a reserved .invalid host: the entry links the mission instead.
    assert links(entry)["alternate"] == ["http://testserver/missions/soyuz-ms-29/"]
    russian = entries(root)[SAMPLE_TITLES.index("Андрей Федяев во второй раз полетел на Crew Dragon")]
    assert russian.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"


def test_a_news_entry_links_the_articles_original_address(client, source):
    report(source, url="https://news.example.org/ms29", title="MS-29 date", text=f"{MS29_SENTENCE}.")
    (entry,) = entries(feed(client, NEWS))
    assert links(entry)["alternate"] == ["https://news.example.org/ms29"]


def test_the_news_feed_filters_by_mission(client, sample_proposals):
    root = feed(client, f"{NEWS}?mission=soyuz-ms-28")
    assert_valid_atom_feed(
        root, "http://testserver/feeds/news.atom?mission=soyuz-ms-28", "http://testserver/missions/soyuz-ms-28/"
    )
    assert titles(root) == ["Soyuz MS-28 crew expected home in July"]
    assert root.findtext(f"{ATOM}title") == "ISS crew rotations: news about Soyuz MS-28"
    assert root.findtext(f"{ATOM}id") != feed(client, NEWS).findtext(f"{ATOM}id")
    assert titles(feed(client, f"{NEWS}?mission=soyuz-ms-22")) == [SAMPLE_TITLES[-1]]
    assert entries(feed(client, f"{NEWS}?mission=soyuz-ms-24")) == []
    assert titles(feed(client, f"{NEWS}?mission=")) == titles(feed(client, NEWS))


def test_an_unknown_mission_is_not_found(client):
    assert client.get(NEWS, {"mission": "soyuz-ms-99"}).status_code == 404


def test_hostile_article_text_comes_out_as_inert_text(client, source):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    report(
        source,
        url="https://news.example.org/hostile",
        title=f"Soyuz MS-29 {payload} & more\x0b",
        text=f"{MS29_SENTENCE}. {payload}",
    )
    cache.clear()
    raw = client.get(NEWS).content.decode()
    assert "<script" not in raw and "<img" not in raw
    (entry,) = entries(ET.fromstring(raw))
    assert entry.findtext(f"{ATOM}title") == f"Soyuz MS-29 {payload} & more"  # characters, not markup
    assert entry.find(f"{ATOM}title").get("type") in (None, "text")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text" and payload in summary.text
    assert not list(entry.iter("script")) and not list(entry.iter(f"{ATOM}script"))


def test_hostile_evidence_in_an_update_comes_out_as_inert_text(client, editor, source, ms29_launch_unannounced):
    payload = "<script>alert(1)</script>"
    result = report(
        source, url="https://news.example.org/h", title=f"MS-29 {payload}", text=f"{MS29_SENTENCE} {payload}."
    )
    accept_proposal(proposal=result.proposals[0], user=editor)
    cache.clear()
    raw = client.get(UPDATES).content.decode()
    assert "<script" not in raw
    (entry,) = entries(ET.fromstring(raw))
    assert payload in entry.findtext(f"{ATOM}summary")
    related = entry.find(f"{ATOM}link[@rel='related']")
    assert related.get("title") == f"MS-29 {payload}"


# --- HTTP and cost ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NEWS, UPDATES])
def test_an_unchanged_feed_answers_304_to_its_etag(client, sample_proposals, url):
    response = client.get(url)
    assert response["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


@pytest.mark.parametrize("url", [NEWS, UPDATES])
def test_the_pages_link_to_the_atom_feeds(client, url):
    assert f'<a href="{url}" type="application/atom+xml">' in client.get("/").content.decode()


def test_the_mission_page_links_its_news_feed(client):
    html = client.get("/missions/soyuz-ms-29/").content.decode()
    assert f'<a href="{NEWS}?mission=soyuz-ms-29" type="application/atom+xml">' in html


@pytest.mark.parametrize("extra", [2, 60])
def test_feed_query_counts_do_not_grow_with_the_news(client, editor, source, django_assert_max_num_queries, extra):
    for n in range(extra):
        result = report(
            source,
            url=f"https://news.example.org/{n}",
            title=f"Report {n}",
            text=f"Soyuz MS-29 is scheduled to launch on July {1 + n % 28}, {2027 + n}.",
        )
        for proposal in result.proposals:
            accept_proposal(proposal=proposal, user=editor)
    # The union of the changes, the proposals, their articles, the mission rows they wrote
    # and the rows before those, and the names those rows point to (vehicle family, mission).
    with django_assert_max_num_queries(7):
        assert len(entries(ET.fromstring(client.get(UPDATES).content))) == min(extra, 50)
    with django_assert_max_num_queries(2):
        assert len(entries(ET.fromstring(client.get(NEWS).content))) == min(extra, 50)
