from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.record.reference_data import REFERENCE_DIR, ReferenceDataError, load_reference_data


class Command(BaseCommand):
    help = "Load the sourced reference record of the agreement's flights. Safe to run again: keeps editors' changes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory",
            type=Path,
            default=REFERENCE_DIR,
            help="Folder holding flights.json, agreement.json and catalog.json (default: the shipped record).",
        )

    def handle(self, *args, directory, **options):
        try:
            report = load_reference_data(directory=directory)
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded, nothing changed: {exc}") from None
        self.stdout.write(report.summary())
