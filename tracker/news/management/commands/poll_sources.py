from django.core.management.base import BaseCommand, CommandError

from tracker.news.models import NewsSource
from tracker.news.services import poll_sources_now


class Command(BaseCommand):
    help = "Run one polling round now: every enabled source, or the one named."

    def add_arguments(self, parser):
        parser.add_argument("--source", metavar="NAME", help="Poll only this source (even if disabled).")

    def handle(self, *args, source=None, **options):
        if source is not None and not NewsSource.objects.filter(name=source).exists():
            names = ", ".join(NewsSource.objects.values_list("name", flat=True))
            raise CommandError(f"No news source is named {source!r}. Sources: {names}.")
        for line in poll_sources_now(name=source):
            self.stdout.write(line)
