"""Prepare a scenario's database: `python -m tests.faults.prepare` with DATABASE_URL set.

Migrates, loads the shipped reference record and creates the editor the scenarios log in
as. Run as a child process with the app's own settings, so the password is hashed with the
hasher the app will check it with (the test settings use a faster one)."""

import django

EDITOR_USERNAME = "faults-editor"
EDITOR_PASSWORD = "a correct horse in orbit"


def main() -> None:
    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command

    from tracker.core.admin_site import EDITOR_GROUP
    from tracker.record.reference_data import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    editor = User.objects.create_user(EDITOR_USERNAME, password=EDITOR_PASSWORD)
    editor.groups.add(Group.objects.get(name=EDITOR_GROUP))


if __name__ == "__main__":
    main()
