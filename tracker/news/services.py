"""The ingestion pipeline: fetch → parse → store → extract → propose.

Plain functions; the Celery tasks and the `ingest`/`poll_sources` commands call these."""

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tracker.record.models import Mission, Person

from . import fetch as fetching
from .entry_cap import entry_cap, stored_among
from .extraction import Event, Extraction, detect_language, extract, find_publication_date
from .fetch import FetchError, FetchResult, fetch
from .models import (
    Article,
    Mention,
    MentionKind,
    NewsSource,
    ProposalStatus,
    ProposedUpdate,
    SourceKind,
)
from .parse import Entry, NewestEntries, ParseError, parse_newest, parse_page
from .proposals import (
    TIMED_EVENTS,
    KnownFacts,
    ProposalNotApplicable,
    accept_proposal,
    candidate_for,
    record_proposals,
)
from .record_index import IndexedRecord, current_record_index
from .store import upsert_article, upsert_articles

logger = logging.getLogger(__name__)

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
FEED_TYPES = ("rss", "atom", "xml")
LINKED_PAGE_MIN_TEXT = 500  # feed text shorter than this is a teaser: read the linked page
LINKED_PAGES_SECONDS = 60  # the most one poll spends reading linked pages, all of them together
INGEST_BATCH = 250
# Below this a launch, docking, undocking or landing is not proposed: a day guessed from the
# publication date alone scores under it (extraction.events.UNSURE_DAY).
MIN_TIMED_CONFIDENCE = 0.6


@dataclass
class IngestedArticle:
    article: Article
    status: str  # created / updated / unchanged
    extraction: Extraction | None  # None: an unchanged entry that was not read again
    proposals: list[ProposedUpdate] = field(default_factory=list)


@dataclass
class PollResult:
    source: str
    not_modified: bool = False
    articles: list[IngestedArticle] = field(default_factory=list)
    left: int = 0  # entries past the cap, for the next poll

    def count(self, status: str) -> int:
        return sum(1 for item in self.articles if item.status == status)

    def describe(self) -> str:
        if self.not_modified:
            return f"{self.source}: not modified since the last poll."
        if not self.articles:
            return f"{self.source}: the feed has no entries."
        proposals = sum(len(item.proposals) for item in self.articles)
        return (
            f"{self.source}: {len(self.articles)} entries, {self.count('created')} new, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {proposals} proposals."
            + (f" {self.left} entries left for the next poll." if self.left else "")
        )


# --- extract and propose ---------------------------------------------------------------


@dataclass
class IngestContext:
    """What one polling round reads once rather than once per entry: the record's index,
    the missions and people its events name, and the facts the proposal step checks."""

    record: IndexedRecord = field(default_factory=current_record_index)
    known: KnownFacts = field(default_factory=KnownFacts.read)
    _missions: dict[int, Mission | None] = field(default_factory=dict)
    _people: dict[int, Person | None] = field(default_factory=dict)

    def mission(self, name: str | None) -> Mission | None:
        pk = self.record.missions.get(name)
        if pk is not None and pk not in self._missions:
            self._missions[pk] = Mission.objects.filter(pk=pk).first()
        return self._missions.get(pk)

    def person(self, name: str | None) -> Person | None:
        pk = self.record.people.get(name)
        if pk is not None and pk not in self._people:
            self._people[pk] = Person.objects.filter(pk=pk).first()
        return self._people.get(pk)


def _infer_mission(event: Event, context: IngestContext, published: dt.datetime | None) -> Mission | None:
    """A crew assignment that names a vehicle but no mission ("will fly on Crew Dragon"):
    the first flight of that vehicle after the article, if the record has one."""
    if event.mission:
        return context.mission(event.mission)
    if event.type != "crew_assignment" or published is None:
        return None
    families = [pk for name, pk in context.record.vehicles.items() if name.lower() in event.evidence.lower()]
    if not families:
        return None
    return Mission.objects.filter(family_id__in=families, launch_at__gte=published).order_by("launch_at").first()


def mention_rows(article: Article, extraction: Extraction, record: IndexedRecord) -> list[Mention]:
    """The article's mentions of things in the record, as unsaved rows."""
    targets = {
        MentionKind.MISSION: ("mission_id", record.missions),
        MentionKind.PERSON: ("person_id", record.people),
        MentionKind.VEHICLE: ("vehicle_id", record.vehicles),
    }
    rows = []
    for mention in extraction.mentions:
        field_name, pks = targets[mention.kind]
        if mention.name in pks:
            rows.append(
                Mention(
                    article=article, kind=mention.kind, evidence=mention.evidence, **{field_name: pks[mention.name]}
                )
            )
    return rows


def save_mentions(article: Article, extraction: Extraction, record: IndexedRecord, *, replace: bool = True) -> None:
    if replace:  # a new article has no mentions to replace: no DELETE for it
        article.mentions.all().delete()
    Mention.objects.bulk_create(mention_rows(article, extraction, record), ignore_conflicts=True)


def supports_for(article: Article, extraction: Extraction, context: IngestContext) -> list[tuple]:
    """(candidate, article, sentence, confidence) for each event that would change the record."""
    supports = []
    for event in extraction.events:
        if event.type in TIMED_EVENTS and event.confidence < MIN_TIMED_CONFIDENCE:
            continue  # a wrong date proposed is worse than none: such an article is linked, not proposed
        mission = _infer_mission(event, context, article.published_at)
        person = context.person(event.person) if event.person else None
        candidate = candidate_for(event, mission=mission, person=person, known=context.known)
        if candidate is not None:
            # A mission inferred from the vehicle alone is a guess: never more than even odds.
            confidence = event.confidence if event.mission or not mission else min(event.confidence, 0.5)
            supports.append((candidate, article, event.evidence, confidence))
    return supports


def propose(article: Article, extraction: Extraction, context: IngestContext) -> list[ProposedUpdate]:
    return record_proposals(supports_for(article, extraction, context))


def auto_accept(proposals: list[ProposedUpdate], source: NewsSource | None) -> None:
    threshold = source.auto_accept_confidence if source else None
    if threshold is None:
        return
    for proposal in proposals:
        if proposal.status == ProposalStatus.PENDING and proposal.confidence >= threshold:
            try:
                accept_proposal(proposal=proposal)
            except ProposalNotApplicable as error:
                logger.info("auto-accept of %s skipped: %s", proposal, error)


def ingest_entry(
    entry: Entry,
    *,
    source: NewsSource | None,
    preamble: str = "",
    context: IngestContext | None = None,
    explain_unchanged: bool = True,
) -> IngestedArticle:
    """Store one entry and, if it is new or changed, link it to the record and propose
    updates. An unchanged entry is not read again (its `extraction` is None) unless
    `explain_unchanged`, for callers that report on every article."""
    if entry.published is None and (found := find_publication_date(f"{preamble}\n{entry.text[:2000]}")):
        published_at = dt.datetime(found.year, found.month, found.day, tzinfo=dt.UTC)
        entry = Entry(entry.url, entry.guid, entry.title, published_at, entry.text)
    context = context or IngestContext()
    language = detect_language(entry.text)
    with transaction.atomic():
        article, status = upsert_article(entry=entry, source=source, language=language)
        extraction = _extract(entry, context, language) if status != "unchanged" or explain_unchanged else None
        proposals = []
        if status != "unchanged":
            save_mentions(article, extraction, context.record, replace=status == "updated")
            proposals = propose(article, extraction, context)
    auto_accept(proposals, source)
    return IngestedArticle(article=article, status=status, extraction=extraction, proposals=proposals)


def _extract(entry: Entry, context: IngestContext, language: str) -> Extraction:
    published = entry.published.date() if entry.published else None
    text = f"{entry.title}.\n{entry.text}"
    return extract(text, index=context.record.index, published=published, language=language)


def ingest_entries(entries: list[Entry], *, source: NewsSource) -> list[IngestedArticle]:
    """A polling round's entries, a batch per transaction: each batch is looked up and its
    new articles inserted in one statement each, and its mentions in one more. A commit per
    entry would cost PostgreSQL a log flush each; one transaction for a whole feed would
    hold SQLite's write lock against the web for too long."""
    context = IngestContext()
    results = []
    for start in range(0, len(entries), INGEST_BATCH):
        batch = entries[start : start + INGEST_BATCH]
        with transaction.atomic():
            stored = upsert_articles(batch, source=source, languages=[detect_language(e.text) for e in batch])
            if stored is None:  # a story told twice in the batch, or a race: one by one
                results += [ingest_entry(e, source=source, context=context, explain_unchanged=False) for e in batch]
                continue
            results += _link_batch(batch, stored, source=source, context=context)
    return results


def _link_batch(batch: list[Entry], stored, *, source: NewsSource, context: IngestContext) -> list[IngestedArticle]:
    """Mentions and proposals for the new and changed articles of a stored batch, written
    in one statement each (plus one to read the proposals back)."""
    results, rows, supports, owners = [], [], [], []
    for entry, (article, status) in zip(batch, stored, strict=True):
        item = IngestedArticle(article=article, status=status, extraction=None)
        results.append(item)
        if status == "unchanged":
            continue
        item.extraction = _extract(entry, context, article.language)
        if status == "updated":
            article.mentions.all().delete()
        rows += mention_rows(article, item.extraction, context.record)
        found = supports_for(article, item.extraction, context)
        supports += found
        owners += [item] * len(found)
    Mention.objects.bulk_create(rows, ignore_conflicts=True)
    for item, proposal in zip(owners, record_proposals(supports), strict=True):
        item.proposals.append(proposal)
    # Auto-accept once the batch's evidence is in, so an accepted change cites every article.
    met = {proposal.pk: proposal for item in results for proposal in item.proposals}
    auto_accept(list(met.values()), source)
    return results


# --- reading sources ---------------------------------------------------------------------


def read_sample(source: NewsSource) -> FetchResult:
    path = (SAMPLES_DIR / source.url).resolve()
    if SAMPLES_DIR not in path.parents or not path.is_file():
        raise FetchError(f"Sample file {source.url!r} is not in tracker/news/samples/.", transient=False)
    return FetchResult(
        url=f"https://sample.invalid/{path.name}",
        status=200,
        body=path.read_bytes(),
        content_type="application/rss+xml",
        charset="utf-8",
        etag="",
        last_modified="",
    )


def is_feed(result: FetchResult) -> bool:
    return any(kind in result.content_type for kind in FEED_TYPES) or result.body.lstrip()[:200].lower().startswith(
        (b"<?xml", b"<rss", b"<feed")
    )


def entries_of(source: NewsSource, result: FetchResult) -> NewestEntries:
    """The entries this poll stores: a page's one, or a feed's newest up to the source's
    cap (the rest are `left` for the next poll; see record_success)."""
    if source.kind == SourceKind.PAGE:
        return NewestEntries([parse_page(result.body, url=result.url, charset=result.charset)], left=0)
    newest = parse_newest(
        result.body, base_url=result.url, charset=result.charset, limit=entry_cap(source), stored=stored_among(source)
    )
    entries = newest.entries
    if source.fetch_linked_pages and source.kind == SourceKind.FEED:
        # One time budget for all of a poll's linked pages: each fetch has a deadline of its
        # own, and a feed of many teasers linking to slow pages would hold the worker for the
        # sum of them (tests/hostile: "teasers-linking-to-trickles").
        until = time.monotonic() + LINKED_PAGES_SECONDS
        entries = [with_linked_page(entry, source, until=until) for entry in entries]
    return NewestEntries(entries, left=newest.left)


def with_linked_page(entry: Entry, source: NewsSource, *, until: float = float("inf")) -> Entry:
    """A teaser entry gets its page's main text (new stories only: known ones are not re-read),
    if there is time left before `until` (a time.monotonic() value)."""
    if len(entry.text) >= LINKED_PAGE_MIN_TEXT or not entry.url or Article.objects.filter(url=entry.url).exists():
        return entry
    if (left := until - time.monotonic()) <= 0:
        logger.info("kept the feed text of %s: no time left for linked pages in this poll", entry.url)
        return entry
    try:
        timeout = min(left, fetching.DEFAULT_LIMITS.total_timeout)
        fetched = fetch(entry.url, allow_private=source.allow_private_network, total_timeout=timeout)
        page = parse_page(fetched.body, url=entry.url, charset=fetched.charset)
    except (FetchError, ParseError) as error:
        logger.info("kept the feed text of %s: %s", entry.url, error)
        return entry
    except Exception:
        # A linked page is extra text, not the feed: one that breaks a parser must not fail
        # (and so block) every poll of the source. The traceback goes to the log.
        logger.exception("kept the feed text of %s: reading its page failed unexpectedly", entry.url)
        return entry
    return Entry(entry.url, entry.guid, entry.title, entry.published or page.published, page.text)


def unexpected(error: Exception) -> str:
    """An exception no step expected, in one line for an operator: its type and message."""
    message = " ".join(str(error).split())
    return f"failed unexpectedly: {type(error).__name__}" + (f": {message}" if message else "")


def record_failure(source: NewsSource, message: str, now: dt.datetime) -> None:
    NewsSource.objects.filter(pk=source.pk).update(
        last_checked_at=now, last_error=message[:2000], consecutive_failures=source.consecutive_failures + 1
    )


def record_success(
    source: NewsSource, result: FetchResult | None, stored: int, now: dt.datetime, *, left: int = 0
) -> None:
    """The poll's outcome on the source's health row. `left`: entries past the cap. While
    there are any, the feed's validators (ETag, Last-Modified) are not kept: the next poll
    must get the feed again to read them, and with validators an unchanged feed would
    answer 304 and leave them unread until it next changed."""
    changes = {"last_checked_at": now, "last_success_at": now, "last_error": "", "consecutive_failures": 0}
    if result is not None:
        changes["entries_left"] = left
        if left:
            changes.update(etag="", last_modified="")
        else:
            changes.update(etag=result.etag[:500], last_modified=result.last_modified[:100])
    if stored:
        changes["articles_found"] = F("articles_found") + stored
    NewsSource.objects.filter(pk=source.pk).update(**changes)


def poll_source(source: NewsSource, *, now: dt.datetime | None = None) -> PollResult:
    """One poll of one source. Records the outcome on the source row; re-raises a
    transient FetchError so the caller may retry."""
    now = now or timezone.now()
    outcome = PollResult(source=source.name)
    try:
        if source.kind == SourceKind.SAMPLE:
            result = read_sample(source)
        else:
            result = fetch(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                allow_private=source.allow_private_network,
            )
        if result.status == 304:
            outcome.not_modified = True
            record_success(source, None, 0, now)
            return outcome
        newest = entries_of(source, result)
        outcome.articles, outcome.left = ingest_entries(newest.entries, source=source), newest.left
    except FetchError as error:
        record_failure(source, str(error), now)
        raise
    except ParseError as error:
        record_failure(source, f"{source.url}: {error}", now)
        raise
    except Exception as error:
        # A bug, or input nobody foresaw: a failure on the source row like any other (so an
        # operator sees it and it counts towards the source's failures), never a poll that
        # ends with nothing recorded. The caller logs the traceback.
        record_failure(source, f"{source.url}: {unexpected(error)}", now)
        raise
    record_success(source, result, outcome.count("created"), now, left=outcome.left)
    return outcome


def poll_sources_now(*, name: str | None = None) -> list[str]:
    """Poll enabled sources (or the one named) synchronously, holding each source's lock
    as a worker would, for the `poll_sources` command."""
    from tracker.lib.locks import exclusive

    from .tasks import POLL_LOCK_SECONDS

    sources = NewsSource.objects.filter(enabled=True) if name is None else NewsSource.objects.filter(name=name)
    results = []
    for pk, label in sources.values_list("pk", "name"):
        lock_seconds = settings.NEWS_POLL_LOCK_SECONDS
        with exclusive(f"news:poll:{pk}", timeout=lock_seconds, keep_for=POLL_LOCK_SECONDS) as held:
            # Read the row only once the lock is held: the last holder may have moved its ETag on.
            source = NewsSource.objects.filter(pk=pk).first() if held else None
            if source is None:
                results.append(f"{label}: another worker is polling it" if not held else f"{label}: deleted")
                continue
            try:
                results.append(poll_source(source).describe())
            except (FetchError, ParseError) as error:
                results.append(f"{label}: failed: {error}")
            except Exception as error:  # recorded on the source by poll_source
                logger.exception("poll of %s failed unexpectedly", label)
                results.append(f"{label}: {unexpected(error)}")
        NewsSource.objects.filter(pk=pk).update(next_poll_at=timezone.now() + F("poll_interval"))
    return results
