"""The record's changes as subscribers see them (/feeds/updates.atom and /api/updates):
every change to a fact, newest first — an editor's edit in the admin, or a news proposal
an editor (or a source's auto-accept) accepted — with who, when, old → new, and why.

One read for both. The changes are history rows (tracker/record/changes.py). A proposal's
acceptance writes its rows at the proposal's `decided_at` (tracker/news/proposals.py), so
those rows are left out of the editors' list and shown once, as the proposal, with the
articles that reported it; its old → new still comes from the history rows it wrote.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, F, Prefetch, Q, Value
from django.urls import reverse
from django.utils.translation import gettext

from tracker.record.changes import TRACKED, FieldChange, RowChange, change_rows, row_changes
from tracker.record.models import Mission, Person

from .models import ProposalEvidence, ProposalKind, ProposalStatus, ProposedUpdate

UPDATES_LIMIT = 50
PROPOSAL = "proposal"
# Which kind of record row accepting each kind of proposal writes.
WRITES = {
    ProposalKind.LAUNCH: "mission",
    ProposalKind.DOCKING: "mission",
    ProposalKind.UNDOCKING: "mission",
    ProposalKind.LANDING: "mission",
    ProposalKind.DELAY: "mission",
    ProposalKind.CREW_ASSIGNMENT: "seat",
    ProposalKind.AGREEMENT: "agreement_document",
}
KINDS = tuple(TRACKED)


@dataclass(frozen=True)
class RecordChange:
    """One entry: an editor's save of one record row, or one accepted proposal."""

    key: str  # stable: "mission/412" (history row) or "proposal/17"
    kind: str  # what kind of record row changed: mission, seat, person, …
    title: str
    at: dt.datetime
    by: str  # "edna", or "news proposal #17 accepted by edna"
    editor: str | None
    url: str
    changes: list[FieldChange]
    lines: list[str]
    reason: str
    mission: Mission | None
    person: Person | None
    proposal: ProposedUpdate | None = None
    evidence: tuple[ProposalEvidence, ...] = ()


def _editors_change(row: RowChange) -> RecordChange:
    return RecordChange(
        key=f"{row.kind}/{row.history_id}",
        kind=row.kind,
        title=row.headline,
        at=row.at,
        by=row.user or gettext("someone without an account (a script)"),
        editor=row.user,
        url=row.url,
        changes=row.fields,
        lines=row.lines,
        reason=row.reason,
        mission=row.mission,
        person=row.person,
    )


def _proposal_change(proposal: ProposedUpdate, rows: list[RowChange]) -> RecordChange:
    editor = proposal.decided_by.get_username() if proposal.decided_by else None
    if editor:
        by = gettext("news proposal #%(number)s accepted by %(editor)s") % {"number": proposal.pk, "editor": editor}
    else:
        by = gettext("news proposal #%(number)s accepted") % {"number": proposal.pk}
    changes = [change for row in rows for change in row.fields]
    lines = [line for row in rows for line in row.lines]
    if rows:
        url = rows[0].url
    else:  # no row at the decision instant: an agreement proposal accepted before news 0004
        url = proposal.mission.get_absolute_url() if proposal.mission else reverse("record:agreement")
    return RecordChange(
        key=f"{PROPOSAL}/{proposal.pk}",
        kind=WRITES[proposal.kind],
        title=proposal.summary,
        at=proposal.decided_at,
        by=by,
        editor=editor,
        url=url,
        changes=changes,
        lines=lines or [proposal.outcome or proposal.summary],
        reason=proposal.outcome,
        mission=proposal.mission,
        person=proposal.person,
        proposal=proposal,
        evidence=tuple(proposal.evidence.all()),
    )


class RecordChanges:
    """The changes matching some filters, newest first: `count()` and slices, like a
    queryset, so a page costs a fixed number of queries however long the history is."""

    def __init__(self, *, since=None, until=None, missions=None, kinds=None, via=None):
        self.since, self.until, self.missions, self.kinds, self.via = since, until, missions, kinds, via

    def _accepted(self):
        proposals = ProposedUpdate.objects.filter(status=ProposalStatus.ACCEPTED)
        if self.since is not None:
            proposals = proposals.filter(decided_at__gte=self.since)
        if self.until is not None:
            proposals = proposals.filter(decided_at__lt=self.until)
        if self.missions is not None:
            proposals = proposals.filter(mission__in=self.missions)
        if self.kinds is not None:
            proposals = proposals.filter(kind__in=[kind for kind, writes in WRITES.items() if writes in self.kinds])
        return proposals

    def rows(self):
        accepted = self._accepted() if self.via in (None, "news") else ProposedUpdate.objects.none()
        # First, so that a union of nothing else is still a queryset that counts and slices.
        parts = [
            accepted.annotate(change_kind=Value(PROPOSAL, output_field=CharField()), change_row=F("pk"))
            .annotate(change_at=F("decided_at"))
            .values("change_kind", "change_row", "change_at")
            .order_by()
        ]
        if self.via in (None, "editor"):
            every_acceptance = ProposedUpdate.objects.filter(status=ProposalStatus.ACCEPTED).values("decided_at")
            parts += change_rows(
                kinds=self.kinds, since=self.since, until=self.until, missions=self.missions, excluding=every_acceptance
            )
        first, *rest = parts
        return first.union(*rest, all=True).order_by("-change_at", "-change_row")

    def count(self) -> int:
        return self.rows().count()

    def __getitem__(self, page: slice) -> list[RecordChange]:
        return changes_of_rows(list(self.rows()[page]))


def changes_of_rows(rows: list[dict]) -> list[RecordChange]:
    """The entries for a page of change_rows(), in the same order."""
    proposals = _proposals([row["change_row"] for row in rows if row["change_kind"] == PROPOSAL])
    selection: dict[str, Q] = defaultdict(Q)
    for row in rows:
        if row["change_kind"] != PROPOSAL:
            selection[row["change_kind"]] |= Q(history_id=row["change_row"])
    for proposal in proposals.values():
        selection[WRITES[proposal.kind]] |= Q(history_date=proposal.decided_at)
    described = row_changes(dict(selection))
    by_row = {(row.kind, row.history_id): row for row in described}
    by_instant = defaultdict(list)
    for row in described:
        by_instant[(row.kind, row.at)].append(row)
    entries = []
    for row in rows:
        if row["change_kind"] == PROPOSAL:
            proposal = proposals[row["change_row"]]
            entries.append(_proposal_change(proposal, by_instant[(WRITES[proposal.kind], proposal.decided_at)]))
        else:
            entries.append(_editors_change(by_row[(row["change_kind"], row["change_row"])]))
    return entries


def _proposals(ids: list[int]) -> dict[int, ProposedUpdate]:
    if not ids:
        return {}
    # Only what an entry shows of each article: not its text, which may be long.
    evidence = (
        ProposalEvidence.objects.select_related("article__source")
        .only(
            "proposal", "sentence", "article__url", "article__title", "article__published_at", "article__source__name"
        )
        .order_by("pk")
    )
    return (
        ProposedUpdate.objects.select_related("mission", "person", "decided_by")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .in_bulk(ids)
    )


def record_changes(*, since: dt.datetime | None = None, limit: int = UPDATES_LIMIT, **filters) -> list[RecordChange]:
    """The latest `limit` changes to the record (since `since`), newest first."""
    return RecordChanges(since=since, **filters)[:limit]
