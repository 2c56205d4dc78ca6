"""Editors review what the news proposes: the admin's proposal pages, accepting and
rejecting (one at a time and in bulk), who may do so, and proposals applied without
review for a trusted source."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from tracker.lib.fuzzy_dates import Precision
from tracker.news.models import NewsSource, ProposalEvidence, ProposalKind, ProposalStatus, ProposedUpdate
from tracker.news.parse import Entry
from tracker.news.services import ingest_entry, poll_sources_now
from tracker.record.models import Mission, MissionStatus, Person, Seat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ms29_launch_unannounced")]

MS29_LAUNCH = "Soyuz MS-29 launch: 2026-07-14, planned"
# The sample stories' exact times, from the record's notes (the record has the days only).
MS28_LAUNCH = "Soyuz MS-28 launch: 2025-11-27 09:27 UTC, happened"
MS28_DOCKING = "Soyuz MS-28 docking: 2025-11-27 12:34 UTC, happened"
CREW12_LAUNCH = "SpaceX Crew-12 launch: 2026-02-13 10:15 UTC, happened"
MS29_SENTENCE = "Soyuz MS-29 is scheduled to launch on July 14, 2026"
MS29_ARTICLE = "https://sample.invalid/notes/soyuz-ms-29-launch-target"
CHANGELIST = "/admin/news/proposedupdate/"


@pytest.fixture
def proposals():
    """The sample source polled: its pending proposals by summary."""
    [outcome] = poll_sources_now(name="Sample news (offline)")
    assert "4 proposals" in outcome
    return {proposal.summary: proposal for proposal in ProposedUpdate.objects.all()}


def accept_url(proposal) -> str:
    return f"{CHANGELIST}{proposal.pk}/accept/"


def reject_url(proposal) -> str:
    return f"{CHANGELIST}{proposal.pk}/reject/"


def record_state() -> dict:
    """What accepting a proposal may change in the record."""
    return {
        "missions": list(Mission.objects.order_by("pk").values()),
        "history": Mission.history.count(),
        "sources": list(Mission.sources.through.objects.order_by("pk").values_list("mission_id", "citation_id")),
        "seats": list(Seat.objects.order_by("pk").values_list("pk", "mission_id", "person_id", "leg")),
    }


def messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def ms29_report(url: str, title: str = "Soyuz MS-29 crew targets July launch") -> Entry:
    return Entry(url, "", title, dt.datetime(2026, 4, 30, 12, tzinfo=dt.UTC), f"{MS29_SENTENCE}.")


# --- reviewing ---------------------------------------------------------------------------


def test_the_sample_feed_proposes_three_updates_for_review(proposals):
    assert set(proposals) == {MS29_LAUNCH, MS28_LAUNCH, MS28_DOCKING, CREW12_LAUNCH}
    assert {proposal.status for proposal in proposals.values()} == {ProposalStatus.PENDING}


def test_the_proposal_list_shows_each_pending_proposal_to_an_editor(editor_client, proposals):
    response = editor_client.get(CHANGELIST, {"status__exact": "pending"})
    assert response.status_code == 200
    html = response.content.decode()
    for summary, proposal in proposals.items():
        assert f'href="{CHANGELIST}{proposal.pk}/change/?' in html
        assert summary in html


def test_the_proposal_list_query_count_does_not_grow_with_the_proposals(
    editor_client, proposals, django_assert_max_num_queries
):
    editor_client.get(CHANGELIST)  # the session and content types, loaded once
    with django_assert_max_num_queries(9) as few:
        editor_client.get(CHANGELIST)
    article = proposals[MS29_LAUNCH].articles.get()
    for n in range(20):
        proposal = ProposedUpdate.objects.create(
            kind=ProposalKind.AGREEMENT,
            date=dt.date(2030 + n, 1, 1),
            precision=Precision.DAY,
            summary=f"Agreement extended: {2030 + n}-01-01",
            fact_key=f"agreement|test|{n}",
            confidence=0.5,
        )
        ProposalEvidence.objects.create(proposal=proposal, article=article, sentence="It was extended.", confidence=0.5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Agreement extended: 2049-01-01" in editor_client.get(CHANGELIST).content.decode()


def test_the_proposal_page_shows_the_evidence_sentence_its_article_and_the_review_buttons(editor_client, proposals):
    proposal = proposals[MS29_LAUNCH]
    article = proposal.articles.get()
    response = editor_client.get(f"{CHANGELIST}{proposal.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert MS29_SENTENCE in html
    assert f'<a href="/admin/news/article/{article.pk}/change/">{article.title}</a>' in html
    assert f'formaction="{accept_url(proposal)}"' in html and f'formaction="{reject_url(proposal)}"' in html
    assert "Accept and apply" in html


# --- accepting ---------------------------------------------------------------------------


def test_accepting_applies_the_launch_date_to_the_record_with_history_and_source(editor_client, editor, proposals):
    proposal = proposals[MS29_LAUNCH]
    response = editor_client.post(accept_url(proposal), follow=True)

    assert response.redirect_chain == [(f"{CHANGELIST}{proposal.pk}/change/", 302)]
    assert messages(response) == [
        f"“{MS29_LAUNCH}” accepted. Soyuz MS-29: launch set to target 2026-07-14; status scheduled."
    ]
    assert "Accept and apply" not in response.content.decode()  # decided: no more buttons
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert ms29.launch_at == dt.datetime(2026, 7, 14, tzinfo=dt.UTC)
    assert (ms29.launch_precision, ms29.status) == (Precision.DAY, MissionStatus.SCHEDULED)
    latest = ms29.history.latest()
    assert latest.history_user == editor
    assert latest.history_change_reason.startswith(f"accepted news proposal #{proposal.pk}: {MS29_LAUNCH}")
    assert MS29_ARTICLE in ms29.sources.values_list("url", flat=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.ACCEPTED, editor)
    assert proposal.decided_at is not None
    # The others are still waiting.
    assert set(ProposedUpdate.objects.filter(status="pending").values_list("summary", flat=True)) == {
        MS28_LAUNCH,
        MS28_DOCKING,
        CREW12_LAUNCH,
    }


def test_the_dashboard_shows_the_accepted_launch_date_as_the_next_cross_flight(
    client, editor_client, proposals, htmx_get
):
    assert "2026-07-14" not in htmx_get("/", "next-crossflight").content.decode()
    client.get("/")  # cached: the accepted change must still show

    editor_client.post(accept_url(proposals[MS29_LAUNCH]))

    card = htmx_get("/", "next-crossflight").content.decode()
    assert ">Soyuz MS-29</a>" in card and ">2026-07-14</time>" in card
    html = client.get("/").content.decode()
    region = html[html.index('id="next-crossflight"') : html.index("</section>", html.index('id="next-crossflight"'))]
    assert ">Soyuz MS-29</a>" in region and ">2026-07-14</time>" in region


def test_accepting_twice_says_so_and_changes_nothing(editor_client, proposals):
    proposal = proposals[MS29_LAUNCH]
    editor_client.post(accept_url(proposal), follow=True)
    before = record_state()
    decided_at = ProposedUpdate.objects.get(pk=proposal.pk).decided_at

    response = editor_client.post(accept_url(proposal), follow=True)

    assert messages(response) == [f"“{MS29_LAUNCH}” was not accepted: It was already accepted."]
    assert 'class="error"' in response.content.decode()
    assert record_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).decided_at == decided_at


def test_rejecting_keeps_the_proposal_and_changes_nothing_in_the_record(editor_client, editor, proposals):
    proposal = proposals[MS29_LAUNCH]
    before = record_state()

    response = editor_client.post(reject_url(proposal), {"reason": "Roscosmos has not confirmed it."}, follow=True)

    assert messages(response) == [f"“{MS29_LAUNCH}” rejected. Reason: Roscosmos has not confirmed it."]
    assert record_state() == before
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.outcome) == (
        ProposalStatus.REJECTED,
        editor,
        "Roscosmos has not confirmed it.",
    )
    # A rejected proposal cannot be accepted afterwards.
    response = editor_client.post(accept_url(proposal), follow=True)
    assert messages(response) == [f"“{MS29_LAUNCH}” was not accepted: It was already rejected."]
    assert record_state() == before


def meir_on_crew_13(proposals) -> ProposedUpdate:
    """A crew assignment the record cannot take: Jessica Meir is aboard on SpaceX Crew-12
    with no landing yet, so she cannot also launch on Crew-13 (dated for this)."""
    crew13 = Mission.objects.get(name="SpaceX Crew-13")
    Mission.objects.filter(pk=crew13.pk).update(
        launch_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC), launch_precision=Precision.DAY
    )
    proposal = ProposedUpdate.objects.create(
        kind=ProposalKind.CREW_ASSIGNMENT,
        mission=crew13,
        person=Person.objects.get(name="Jessica Meir"),
        summary="Jessica Meir: seat on SpaceX Crew-13",
        fact_key="crew_assignment|spacex-crew-13|jessica-meir|||planned",
        confidence=0.9,
    )
    ProposalEvidence.objects.create(
        proposal=proposal,
        article=proposals[CREW12_LAUNCH].articles.get(),
        sentence="Jessica Meir will fly on SpaceX Crew-13.",
        confidence=0.9,
    )
    return proposal


def test_a_proposal_that_breaks_the_record_shows_why_and_stays_pending(editor_client, proposals):
    proposal = meir_on_crew_13(proposals)
    before = record_state()

    response = editor_client.post(accept_url(proposal), follow=True)

    [message] = messages(response)
    assert message.startswith("“Jessica Meir: seat on SpaceX Crew-13” was not accepted: ")
    assert "Jessica Meir cannot be on two flights at once" in message
    assert "cannot be on two flights at once" in response.content.decode()
    assert record_state() == before
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (ProposalStatus.PENDING, None)


# --- who may decide ----------------------------------------------------------------------


def test_an_anonymous_post_is_sent_to_the_login_page_and_changes_nothing(client, proposals):
    proposal = proposals[MS29_LAUNCH]
    before = record_state()
    response = client.post(accept_url(proposal))
    assert response.status_code == 302
    assert response["Location"].startswith(f"/admin/login/?next={accept_url(proposal)}")
    assert record_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


@pytest.mark.parametrize("decide", [accept_url, reject_url])
def test_staff_who_are_not_editors_are_refused(client, staff_non_editor, proposals, decide):
    client.force_login(staff_non_editor)
    proposal = proposals[MS29_LAUNCH]
    before = record_state()
    response = client.post(decide(proposal))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert record_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


@pytest.fixture
def view_only_editor(editor):
    """An editor whose group may look at proposals but not decide them."""
    group = Group.objects.get(name="editor")
    group.permissions.remove(Permission.objects.get(codename="change_proposedupdate"))
    return editor


def test_an_editor_who_may_only_view_proposals_cannot_decide_them(client, view_only_editor, proposals):
    client.force_login(view_only_editor)
    proposal = proposals[MS29_LAUNCH]
    before = record_state()

    assert client.get(f"{CHANGELIST}{proposal.pk}/change/").status_code == 200
    assert client.post(accept_url(proposal)).status_code == 403
    assert client.post(reject_url(proposal)).status_code == 403
    for action in ("accept_selected", "reject_selected"):
        client.post(CHANGELIST, {"action": action, "_selected_action": [proposal.pk]})

    assert record_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


def test_a_get_does_not_accept(editor_client, proposals):
    proposal = proposals[MS29_LAUNCH]
    assert editor_client.get(accept_url(proposal)).status_code == 405
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


def test_a_post_without_the_csrf_token_is_refused(editor, proposals):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    proposal = proposals[MS29_LAUNCH]
    before = record_state()

    assert csrf_client.post(accept_url(proposal)).status_code == 403
    assert csrf_client.post(reject_url(proposal)).status_code == 403

    assert record_state() == before
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.PENDING


def test_the_proposal_pages_accept_button_posts_the_change_forms_csrf_token(editor, proposals):
    """The buttons are the change form's own (a form nested in it would be dropped by the
    browser), so that form's token is the one they post."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(editor)
    proposal = proposals[MS29_LAUNCH]
    page = csrf_client.get(f"{CHANGELIST}{proposal.pk}/change/").content.decode()
    form = page[page.index('<form method="post" id="proposedupdate_form"') :].split("</form>", 1)[0]
    assert "<form" not in form[1:]
    assert f'formaction="{accept_url(proposal)}"' in form
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    response = csrf_client.post(accept_url(proposal), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert ProposedUpdate.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED


# --- bulk actions ------------------------------------------------------------------------


def test_the_bulk_accept_action_applies_each_selected_proposal(editor_client, editor, proposals):
    selected = [proposals[MS29_LAUNCH], proposals[MS28_DOCKING]]
    response = editor_client.post(
        CHANGELIST, {"action": "accept_selected", "_selected_action": [p.pk for p in selected]}, follow=True
    )

    assert messages(response) == ["2 proposal(s) accepted."]
    assert {p.summary: (p.status, p.decided_by) for p in ProposedUpdate.objects.all()} == {
        MS29_LAUNCH: (ProposalStatus.ACCEPTED, editor),
        MS28_DOCKING: (ProposalStatus.ACCEPTED, editor),
        MS28_LAUNCH: (ProposalStatus.PENDING, None),
        CREW12_LAUNCH: (ProposalStatus.PENDING, None),
    }
    assert Mission.objects.get(name="Soyuz MS-29").launch_at == dt.datetime(2026, 7, 14, tzinfo=dt.UTC)
    ms28 = Mission.objects.get(name="Soyuz MS-28")
    assert (ms28.docking_at, ms28.docking_precision) == (
        dt.datetime(2025, 11, 27, 12, 34, tzinfo=dt.UTC),
        Precision.EXACT,
    )
    assert ms28.status == MissionStatus.IN_FLIGHT
    assert ms28.history.latest().history_user == editor


def test_the_bulk_accept_action_leaves_decided_proposals_alone(editor_client, proposals):
    editor_client.post(accept_url(proposals[MS29_LAUNCH]), follow=True)
    ProposedUpdate.objects.filter(pk=proposals[CREW12_LAUNCH].pk).update(status=ProposalStatus.REJECTED)
    response = editor_client.post(
        CHANGELIST,
        {"action": "accept_selected", "_selected_action": [p.pk for p in proposals.values()]},
        follow=True,
    )
    assert messages(response) == ["2 proposal(s) accepted."]  # MS-28's launch and docking times
    assert ProposedUpdate.objects.get(pk=proposals[MS28_DOCKING].pk).status == ProposalStatus.ACCEPTED
    assert ProposedUpdate.objects.get(pk=proposals[CREW12_LAUNCH].pk).status == ProposalStatus.REJECTED


def test_the_bulk_accept_action_reports_a_proposal_it_cannot_apply_and_applies_the_rest(editor_client, proposals):
    impossible = meir_on_crew_13(proposals)
    response = editor_client.post(
        CHANGELIST,
        {"action": "accept_selected", "_selected_action": [impossible.pk, proposals[MS29_LAUNCH].pk]},
        follow=True,
    )
    [error, done] = messages(response)
    assert error.startswith("“Jessica Meir: seat on SpaceX Crew-13” not accepted: ")
    assert "Jessica Meir cannot be on two flights at once" in error
    assert done == "1 proposal(s) accepted."
    assert ProposedUpdate.objects.get(pk=impossible.pk).status == ProposalStatus.PENDING
    assert not Seat.objects.filter(mission__name="SpaceX Crew-13", person__name="Jessica Meir").exists()
    assert ProposedUpdate.objects.get(pk=proposals[MS29_LAUNCH].pk).status == ProposalStatus.ACCEPTED


def test_the_bulk_reject_action_rejects_and_changes_nothing_in_the_record(editor_client, editor, proposals):
    before = record_state()
    response = editor_client.post(
        CHANGELIST, {"action": "reject_selected", "_selected_action": [p.pk for p in proposals.values()]}, follow=True
    )
    assert messages(response) == ["4 proposal(s) rejected."]
    assert set(ProposedUpdate.objects.values_list("status", "decided_by")) == {(ProposalStatus.REJECTED, editor.pk)}
    assert record_state() == before


# --- one fact, many articles; trusted sources ---------------------------------------------


def test_the_same_fact_from_ten_articles_is_one_proposal_with_ten_sources():
    for n in range(10):
        ingest_entry(ms29_report(f"https://news{n}.example.org/soyuz-ms-29", title=f"Report {n}"), source=None)

    proposal = ProposedUpdate.objects.get()
    assert proposal.summary == MS29_LAUNCH
    assert proposal.evidence.count() == 10
    assert set(proposal.articles.values_list("url", flat=True)) == {
        f"https://news{n}.example.org/soyuz-ms-29" for n in range(10)
    }
    assert set(proposal.evidence.values_list("sentence", flat=True)) == {f"{MS29_SENTENCE}."}


def test_accepting_a_fact_from_ten_articles_cites_them_all(editor_client):
    for n in range(10):
        ingest_entry(ms29_report(f"https://news{n}.example.org/soyuz-ms-29", title=f"Report {n}"), source=None)
    editor_client.post(accept_url(ProposedUpdate.objects.get()))
    cited = set(Mission.objects.get(name="Soyuz MS-29").sources.values_list("url", flat=True))
    assert {f"https://news{n}.example.org/soyuz-ms-29" for n in range(10)} <= cited


def test_a_trusted_source_applies_its_proposal_without_review():
    trusted = NewsSource.objects.create(
        name="Trusted", url="https://trusted.example.org/feed", auto_accept_confidence=0.5
    )
    ingested = ingest_entry(ms29_report("https://trusted.example.org/ms-29"), source=trusted)

    [proposal] = ingested.proposals
    proposal.refresh_from_db()
    assert (proposal.summary, proposal.status, proposal.decided_by) == (MS29_LAUNCH, ProposalStatus.ACCEPTED, None)
    ms29 = Mission.objects.get(name="Soyuz MS-29")
    assert (ms29.launch_at, ms29.launch_precision, ms29.status) == (
        dt.datetime(2026, 7, 14, tzinfo=dt.UTC),
        Precision.DAY,
        MissionStatus.SCHEDULED,
    )
    latest = ms29.history.latest()
    assert latest.history_user is None
    assert latest.history_change_reason.startswith(f"accepted news proposal #{proposal.pk}")
    assert "https://trusted.example.org/ms-29" in ms29.sources.values_list("url", flat=True)


@pytest.mark.parametrize("threshold", [None, 0.95], ids=["no-auto-accept", "above-the-confidence"])
def test_other_sources_leave_the_proposal_for_an_editor(threshold):
    source = NewsSource.objects.create(
        name="Other", url="https://other.example.org/feed", auto_accept_confidence=threshold
    )
    before = record_state()
    ingested = ingest_entry(ms29_report("https://other.example.org/ms-29"), source=source)

    [proposal] = ingested.proposals
    proposal.refresh_from_db()
    assert (proposal.status, proposal.confidence) == (ProposalStatus.PENDING, 0.9)
    assert record_state() == before
