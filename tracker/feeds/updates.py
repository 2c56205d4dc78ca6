"""Accepted changes to the record, for the updates feed: what changed (old → new), when,
and the articles that reported it.

A proposal stores the new value and an outcome sentence, not the old value. The old value
comes from the record's history: accepting a proposal saves the mission with the change
reason "accepted news proposal #<pk>: …" (tracker/news/proposals.py), so the history row
with that reason and the row before it give the value before and after.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import F, Prefetch

from tracker.lib.fuzzy_dates import format_instant
from tracker.news.models import ProposalEvidence, ProposalKind, ProposalStatus, ProposedUpdate
from tracker.record.models import EVENTS, Mission, MissionStatus

UPDATES_LIMIT = 50
ACCEPTED_REASON = re.compile(r"^accepted news proposal #(\d+):")
# The proposal kinds whose acceptance changes a mission's dates and status.
MISSION_KINDS = (
    ProposalKind.LAUNCH,
    ProposalKind.DOCKING,
    ProposalKind.UNDOCKING,
    ProposalKind.LANDING,
    ProposalKind.DELAY,
)


@dataclass(frozen=True)
class Change:
    what: str
    old: str
    new: str


@dataclass(frozen=True)
class AcceptedUpdate:
    proposal: ProposedUpdate
    changes: list[Change]
    evidence: list[ProposalEvidence]

    @property
    def accepted_at(self) -> dt.datetime:
        return self.proposal.decided_at or self.proposal.created_at


def accepted_updates(limit: int = UPDATES_LIMIT) -> list[AcceptedUpdate]:
    """The latest accepted proposals, newest first, each with its changes and sources."""
    # Only what an entry shows of each article: not its text, which may be long.
    evidence = (
        ProposalEvidence.objects.select_related("article__source")
        .only(
            "proposal", "sentence", "article__url", "article__title", "article__published_at", "article__source__name"
        )
        .order_by("pk")
    )
    proposals = list(
        ProposedUpdate.objects.filter(status=ProposalStatus.ACCEPTED)
        .select_related("mission", "person")
        .prefetch_related(Prefetch("evidence", queryset=evidence))
        .order_by(F("decided_at").desc(nulls_last=True), "-pk")[:limit]
    )
    changes = mission_changes(proposals)
    return [
        AcceptedUpdate(proposal=proposal, changes=changes.get(proposal.pk, []), evidence=list(proposal.evidence.all()))
        for proposal in proposals
    ]


def _diff(name: str, before, after) -> list[Change]:
    changes = []
    for event in EVENTS:
        old = format_instant(getattr(before, f"{event}_at"), getattr(before, f"{event}_precision"))
        new = format_instant(getattr(after, f"{event}_at"), getattr(after, f"{event}_precision"))
        if old != new:
            changes.append(Change(f"{name} {event}", old, new))
    if before.status != after.status:
        labels = dict(MissionStatus.choices)
        changes.append(Change(f"{name} status", labels.get(before.status, before.status), labels[after.status]))
    return changes


def mission_changes(proposals: list[ProposedUpdate]) -> dict[int, list[Change]]:
    """Old → new for each accepted proposal that changed a mission (one query for all)."""
    wanted = {proposal.pk for proposal in proposals if proposal.kind in MISSION_KINDS}
    mission_ids = {proposal.mission_id for proposal in proposals if proposal.pk in wanted}
    if not wanted:
        return {}
    fields = ["id", "name", "status", *(f"{event}_{part}" for event in EVENTS for part in ("at", "precision"))]
    rows = (
        Mission.history.filter(id__in=mission_ids)
        .order_by("id", "history_date", "history_id")
        .only("history_id", "history_date", "history_change_reason", *fields)
    )
    changes: dict[int, list[Change]] = {}
    previous = None
    for row in rows:
        match = ACCEPTED_REASON.match(row.history_change_reason or "")
        if match and int(match[1]) in wanted and previous is not None and previous.id == row.id:
            changes[int(match[1])] = _diff(row.name, previous, row)
        previous = row
    return changes
