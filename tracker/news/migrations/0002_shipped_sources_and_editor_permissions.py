"""News sources the tracker ships with, and the editor group's rights over the news.

The real public feeds are disabled: an operator turns them on. The sample source reads a
feed bundled with the code, so a laptop with no network still shows ingestion working."""

import datetime as dt

from django.contrib.auth.management import create_permissions
from django.db import migrations

SOURCES = [
    {"name": "Sample news (offline)", "url": "sample-feed.xml", "kind": "sample", "enabled": True},
    {"name": "NASA news", "url": "https://www.nasa.gov/feed/", "kind": "feed", "enabled": False},
    {"name": "Roscosmos news", "url": "https://www.roscosmos.ru/rss/", "kind": "feed", "enabled": False},
    {"name": "TASS (wire, English)", "url": "https://tass.com/rss/v2.xml", "kind": "feed", "enabled": False},
]
EDITOR_MODELS = ["article", "mention", "proposedupdate", "proposalevidence"]
OPERATOR_MODELS = ["newssource"]


def ship(apps, schema_editor):
    NewsSource = apps.get_model("news", "NewsSource")
    for source in SOURCES:
        NewsSource.objects.get_or_create(
            name=source["name"],
            defaults={**source, "poll_interval": dt.timedelta(minutes=30 if source["kind"] == "feed" else 60)},
        )
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editor, _ = Group.objects.get_or_create(name="editor")
    codenames = [f"view_{model}" for model in EDITOR_MODELS + OPERATOR_MODELS] + ["change_proposedupdate"]
    codenames += [f"{action}_newssource" for action in ("add", "change", "delete")]
    editor.permissions.add(*Permission.objects.filter(content_type__app_label="news", codename__in=codenames))


def unship(apps, schema_editor):
    apps.get_model("news", "NewsSource").objects.filter(name__in=[s["name"] for s in SOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("record", "0002_editor_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(ship, unship)]
