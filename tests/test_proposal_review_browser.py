"""An editor reviews what the news proposes, in Chromium, by clicking what a person clicks:
the waiting count on the admin index, a proposal's page with the record next to the
proposal, "Accept and apply", and Reject with a reason. Screenshots of the proposal page
before and after, in the light and the dark admin theme, go to test-artifacts/."""

import datetime as dt
import importlib
import os
import re

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402

from tests.browser import log_in, screenshot, watched_tabs  # noqa: E402
from tracker.news.models import ProposalStatus, ProposedUpdate  # noqa: E402
from tracker.news.parse import Entry  # noqa: E402
from tracker.news.services import ingest_entry, poll_sources_now  # noqa: E402
from tracker.record.models import Certainty, Mission, MissionStatus  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MS29_LAUNCHED = "Soyuz MS-29 launched at 08:27 UTC on July 14, 2026 from Baikonur."
CREW13_SLIPS = "SpaceX Crew-13 is now set to launch no earlier than October 2026."
SCREEN = {"width": 1366, "height": 900}
MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14 08:27 UTC, happened"
CREW13_LAUNCH = "SpaceX Crew-13 launch: NET October 2026, planned"
STORIES = [
    # The record has MS-29's launch target, 2026-07-14: this confirms it.
    ("https://news.example.org/ms29", dt.datetime(2026, 7, 14, 12, tzinfo=dt.UTC), MS29_LAUNCHED),
    # ... and Crew-13's launch NET September 2026: this moves it.
    ("https://news.example.org/crew13", dt.datetime(2026, 8, 1, tzinfo=dt.UTC), CREW13_SLIPS),
]


@pytest.fixture
def proposals(record):
    """The sample news source polled, as an operator would, and two more stories read: five
    proposals wait. (The flush before a transactional test removed the shipped sources and
    the editors' news rights; migration news 0002 puts both back.)"""
    importlib.import_module("tracker.news.migrations.0002_shipped_sources_and_editor_permissions").ship(
        django_apps, None
    )
    [outcome] = poll_sources_now(name="Sample news (offline)")
    assert "3 proposals" in outcome
    for url, published, text in STORIES:
        assert ingest_entry(Entry(url, "", "Story", published, text), source=None).proposals
    return {proposal.summary: proposal for proposal in ProposedUpdate.objects.all()}


@pytest.fixture
def tabs(browser, live_server, record):
    # After the record (and so closed before it is put back): open tabs keep their
    # connections' server threads alive, and the record's teardown waits for those.
    with watched_tabs(browser, live_server.url) as open_:
        yield open_


def logged_in_tab(tabs, editor, *, color_scheme="light"):
    """A fresh tab, logged in as the editor through the admin's login page."""
    page = tabs(viewport=SCREEN)
    page.emulate_media(color_scheme=color_scheme)
    log_in(page, editor)
    return page


def open_proposal_from_the_index(page, summary: str, *, waiting: int, shot: str = ""):
    """From the admin index, through the waiting count, to one proposal's page."""
    page.goto("/admin/")
    queue = page.locator("#review-queue a")
    assert queue.inner_text() == f"{waiting} proposal{'s' if waiting != 1 else ''} waiting for review"
    if shot:
        screenshot(page, shot)
    queue.click()
    page.wait_for_url(re.compile(r"/admin/news/proposedupdate/\?status__exact=pending$"))
    assert page.locator("#result_list tbody tr").count() == waiting
    page.locator("#result_list a", has_text=summary).click()
    page.wait_for_url(re.compile(r"/admin/news/proposedupdate/\d+/change/"))


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_an_editor_accepts_a_proposal_by_clicking_accept_and_the_mission_shows_it(
    tabs, proposals, editor, color_scheme
):
    page = logged_in_tab(tabs, editor, color_scheme=color_scheme)
    open_proposal_from_the_index(page, MS29_LAUNCH, waiting=5, shot=f"admin-index-review-queue-{color_scheme}")

    # The record's target (overdue today) next to the fact the news reports.
    review = page.locator("#proposal-review")
    assert review.locator("tr", has_text="Launch").locator("td.record-now").inner_text() == (
        "target 2026-07-14 (day precision, overdue)"
    )
    assert review.locator("tr", has_text="Launch").locator("td.proposed").inner_text() == (
        "happened 2026-07-14 08:27 UTC (exact time precision)"
    )
    assert review.locator("tr", has_text="Status").locator("td.record-now").inner_text() == "planned"
    assert review.locator("tr", has_text="Status").locator("td.proposed").inner_text() == "in flight"
    assert review.locator(".messagelist li.warning").count() == 0
    screenshot(page, f"proposal-review-before-accept-{color_scheme}")

    with page.expect_navigation():
        page.get_by_role("button", name="Accept and apply").click()

    assert page.locator(".messagelist .success").inner_text() == (
        f"“{MS29_LAUNCH}” accepted. Soyuz MS-29: launch set to 2026-07-14 08:27 UTC; status in flight."
    )
    assert page.locator(".field-status .readonly").inner_text() == "accepted"
    assert page.get_by_role("button", name="Accept and apply").count() == 0  # decided: no more buttons
    screenshot(page, f"proposal-review-after-accept-{color_scheme}")
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_certainty, ms29.status) == (Certainty.CONFIRMED, MissionStatus.IN_FLIGHT)

    # The mission's public page says so at once.
    page.goto("/missions/soyuz-ms-29/")
    launch = page.locator(".events .event", has_text="Launch").first
    assert launch.locator("time").get_attribute("datetime").startswith("2026-07-14T08:27")
    assert page.locator(".detail-head .status").inner_text() == "in flight"
    open_proposal_from_the_index(page, CREW13_LAUNCH, waiting=4)


def test_an_editor_rejects_a_proposal_with_a_reason_and_the_outcome_keeps_it(tabs, proposals, editor):
    page = logged_in_tab(tabs, editor)
    crew13_before = Mission.objects.filter(name="SpaceX Crew-13").values().get()
    open_proposal_from_the_index(page, CREW13_LAUNCH, waiting=5)

    page.get_by_label("Reason for rejecting").fill("Roscosmos named the crew, NASA has not confirmed the date.")
    screenshot(page, "proposal-review-before-reject-light")
    with page.expect_navigation():
        page.get_by_role("button", name="Reject").click()

    assert page.locator(".messagelist .success").inner_text() == (
        f"“{CREW13_LAUNCH}” rejected. Reason: Roscosmos named the crew, NASA has not confirmed the date."
    )
    assert page.locator(".field-status .readonly").inner_text() == "rejected"
    assert page.locator(".field-outcome .readonly").inner_text() == (
        "Roscosmos named the crew, NASA has not confirmed the date."
    )
    assert page.get_by_role("button", name="Reject").count() == 0
    screenshot(page, "proposal-review-after-reject-light")
    assert ProposedUpdate.objects.get(summary=CREW13_LAUNCH).status == ProposalStatus.REJECTED
    assert Mission.objects.filter(name="SpaceX Crew-13").values().get() == crew13_before
    open_proposal_from_the_index(page, MS29_LAUNCH, waiting=4)
