"""The "editor" group: everyone who keeps the record, and no one else, uses the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_MODELS = [
    "agency",
    "person",
    "personalias",
    "vehiclefamily",
    "spacecraft",
    "mission",
    "seat",
    "agreement",
    "agreementdocument",
    "citation",
]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them now so the
    # group can be given them on a fresh database.
    app_config = apps.get_app_config("record")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="editor")
    codenames = [f"{action}_{model}" for model in RECORD_MODELS for action in ("add", "change", "delete", "view")]
    codenames += [f"view_historical{model}" for model in RECORD_MODELS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="record", codename__in=codenames))


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
