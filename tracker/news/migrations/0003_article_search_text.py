"""Articles keep a folded copy of their title and text for search; existing rows get theirs here."""

from django.db import migrations, models

from tracker.lib.folding import search_document

BATCH = 500


def fill_search_text(apps, schema_editor):
    # The historical model has no save() override: fold here, in batches, so a big news
    # table is neither loaded at once nor written one row per statement.
    Article = apps.get_model("news", "Article")
    batch = []
    for article in Article.objects.only("pk", "title", "text").iterator(chunk_size=BATCH):
        article.search_text = search_document(article.title, article.text)
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Article.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0002_shipped_sources_and_editor_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
