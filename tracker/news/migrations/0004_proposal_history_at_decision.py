"""Proposals accepted before the record's history rows of an acceptance were written at the
proposal's `decided_at`: give their rows that instant, so the updates feed and /api/updates
(tracker/news/changes.py) show each such proposal once, not also as an editor's edit.

Those rows are found once, here, by the change reason accept_proposal used to write
("accepted news proposal #<pk>: …"); nothing reads that text any more."""

import re

from django.db import migrations

LEGACY_REASON = re.compile(r"^accepted news proposal #(\d+):")
# The record rows an acceptance saved with that reason (agreement documents had none).
HISTORIES = ("HistoricalMission", "HistoricalSeat")


def write_rows_at_decision(apps, schema_editor):
    ProposedUpdate = apps.get_model("news", "ProposedUpdate")
    decided = dict(
        ProposedUpdate.objects.filter(status="accepted", decided_at__isnull=False).values_list("pk", "decided_at")
    )
    for name in HISTORIES:
        history = apps.get_model("record", name)
        rows = history.objects.filter(history_change_reason__startswith="accepted news proposal #")
        for history_id, reason in rows.values_list("history_id", "history_change_reason"):
            match = LEGACY_REASON.match(reason)
            if match and int(match[1]) in decided:
                history.objects.filter(history_id=history_id).update(history_date=decided[int(match[1])])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_article_search_text"),
        ("record", "0002_editor_group"),
    ]

    operations = [migrations.RunPython(write_rows_at_decision, migrations.RunPython.noop)]
