import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tracker.news.fetch import FetchError, fetch
from tracker.news.parse import ParseError, canonical_url, decode, parse_feed, parse_page, parse_text
from tracker.news.services import IngestedArticle, ingest_entry, is_feed, unexpected

FEED_SUFFIXES = {".xml", ".rss", ".atom"}
PAGE_SUFFIXES = {".html", ".htm"}
NO_DATE = (
    "no publication date (none in a header, the feed or the text): dates relative to it "
    "(today, on Tuesday, yesterday) are left unresolved"
)
# An article and the warnings about how it was read (a header half understood, no date).
Ingested = tuple[IngestedArticle, list[str]]


def article_report(item: IngestedArticle) -> dict:
    article, extraction = item.article, item.extraction
    return {
        "url": article.url,
        "title": article.title,
        "published": article.published_at.date().isoformat() if article.published_at else None,
        "language": article.language,
        "status": item.status,
        "missions": [m.name for m in extraction.mentions if m.kind == "mission"],
        "people": [m.name for m in extraction.mentions if m.kind == "person"],
        "vehicles": [m.name for m in extraction.mentions if m.kind == "vehicle"],
        "events": [
            {
                "type": e.type,
                "mission": e.mission,
                "person": e.person,
                "date": e.date_iso,
                "time": e.time,
                "happened": e.happened,
                "no_earlier_than": e.no_earlier_than,
                "evidence": e.evidence,
            }
            for e in extraction.events
        ],
        "proposals": [proposal.summary for proposal in item.proposals],
    }


class Command(BaseCommand):
    help = "Ingest feeds, HTML pages or plain-text articles now, through the same pipeline the workers run."

    def add_arguments(self, parser):
        parser.add_argument("targets", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--json", action="store_true", help="Print one JSON object per article.")
        parser.add_argument(
            "--allow-private-network", action="store_true", help="Allow URLs on loopback/private addresses."
        )

    def handle(self, *args, targets, allow_private_network: bool, **options):
        as_json = options["json"]
        failures = 0
        for target in targets:
            try:
                items = self.ingest(target, allow_private=allow_private_network)
            except (FetchError, ParseError, OSError) as error:
                failures += 1
                self.stderr.write(f"{target}: {error}")
                continue
            except Exception as error:  # a bug or a surprise: one line, the traceback with --traceback
                if options.get("traceback"):
                    raise
                failures += 1
                self.stderr.write(f"{target}: {unexpected(error)}")
                continue
            if not items:
                self.stderr.write(f"{target}: the feed has no entries.")
            for item, warnings in items:
                for warning in warnings:
                    self.stderr.write(f"{target}: warning: {warning}")
                self.stdout.write(self.render(item, as_json=as_json, warnings=warnings))
        if failures == len(targets):
            raise CommandError("Nothing was ingested.")

    def render(self, item: IngestedArticle, *, as_json: bool, warnings: list[str] = ()) -> str:
        data = article_report(item)
        data["warnings"] = list(warnings)
        if as_json:
            return json.dumps(data, ensure_ascii=False)
        return (
            f"{data['status']:<9} {data['title'][:70]}\n"
            f"          missions: {', '.join(data['missions']) or '-'}; people: {', '.join(data['people']) or '-'}; "
            f"events: {len(data['events'])}; proposals: {len(data['proposals'])}"
        )

    def ingest(self, target: str, *, allow_private: bool) -> list[Ingested]:
        if target.startswith(("http://", "https://")):
            result = fetch(target, allow_private=allow_private)
            if is_feed(result):
                return self.feed(parse_feed(result.body, base_url=result.url, charset=result.charset))
            if "html" in result.content_type:
                return [
                    dated(ingest_entry(parse_page(result.body, url=result.url, charset=result.charset), source=None))
                ]
            return [self.text(decode(result.body, result.charset), default_url=canonical_url(result.url))]
        path = Path(target)
        body = path.read_bytes()
        if path.suffix.lower() in FEED_SUFFIXES:
            return self.feed(parse_feed(body, base_url="https://local.invalid/"))
        if path.suffix.lower() in PAGE_SUFFIXES:
            return [dated(ingest_entry(parse_page(body, url=f"https://local.invalid/{path.name}"), source=None))]
        return [self.text(decode(body, None), default_url=f"file://{path.resolve()}")]

    def feed(self, entries) -> list[Ingested]:
        return [dated(ingest_entry(entry, source=None)) for entry in entries]

    def text(self, raw: str, *, default_url: str) -> Ingested:
        entry, headers = parse_text(raw, default_url=default_url)
        return dated(ingest_entry(entry, source=None, preamble=headers["preamble"]), headers["warnings"])


def dated(item: IngestedArticle, warnings: list[str] = ()) -> Ingested:
    """The article with its warnings, and one more when it has no publication date: its
    mentions are all there, but a relative date in it has nothing to be relative to."""
    return item, [*warnings, *([NO_DATE] if item.article.published_at is None else [])]
