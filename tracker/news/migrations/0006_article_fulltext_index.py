"""The full-text index over articles: a generated tsvector with a GIN index on PostgreSQL,
an FTS5 table kept by triggers on SQLite (tracker/news/fulltext.py says why each). Neither
is a model field, so the model state does not change; both are filled here for the
articles already stored."""

from django.db import migrations

from tracker.news import fulltext


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0005_proposal_time_of_day"),
    ]

    operations = [
        migrations.RunPython(fulltext.install, fulltext.uninstall, elidable=False),
    ]
