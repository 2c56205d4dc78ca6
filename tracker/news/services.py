"""The ingestion pipeline: fetch → parse → store → extract → link → propose → accept.

One path: `poll_exclusively` (the task and the `poll_sources` command) holds a source's
lock and calls `poll`, which fetches, parses and hands the entries to `ingest_entries`
(of a feed, the newest not yet stored up to a cap per poll: entry_cap.py);
the `ingest` command hands one entry to `ingest_entry`, a batch of one. Plain functions;
the Celery tasks only decide on retries."""

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tracker.lib.locks import exclusive, seconds_left
from tracker.record.models import EVENTS, Mission, Person

from .entry_cap import entry_cap, stored_among
from .extraction import Extraction, detect_language, extract, find_publication_date
from .fetch import DEFAULT_LIMITS, FetchError, FetchResult, fetch
from .linked_names import LinkedNames, current_linked_names
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
    KnownFacts,
    ProposalNotApplicable,
    accept_proposal,
    candidate_for,
    record_proposals,
)
from .store import store_entries

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
    """What one polling round reads once rather than once per entry: the record's names,
    the missions and people its events name, and the facts the proposal step checks."""

    names: LinkedNames = field(default_factory=current_linked_names)
    known: KnownFacts = field(default_factory=KnownFacts.read)
    _missions: dict[int, Mission | None] = field(default_factory=dict)
    _people: dict[int, Person | None] = field(default_factory=dict)

    def mission(self, name: str | None) -> Mission | None:
        pk = self.names.missions.get(name)
        if pk is not None and pk not in self._missions:
            self._missions[pk] = Mission.objects.filter(pk=pk).first()
        return self._missions.get(pk)

    def person(self, name: str | None) -> Person | None:
        pk = self.names.people.get(name)
        if pk is not None and pk not in self._people:
            self._people[pk] = Person.objects.filter(pk=pk).first()
        return self._people.get(pk)


def mention_rows(article: Article, extraction: Extraction, names: LinkedNames) -> list[Mention]:
    """The article's mentions of things in the record, as unsaved rows."""
    targets = {
        MentionKind.MISSION: ("mission_id", names.missions),
        MentionKind.PERSON: ("person_id", names.people),
        MentionKind.VEHICLE: ("vehicle_id", names.vehicles),
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


def supports_for(article: Article, extraction: Extraction, context: IngestContext) -> list[tuple]:
    """(candidate, article, sentence, confidence) for each event that would change the record."""
    supports = []
    for event in extraction.events:
        if event.type in EVENTS and event.confidence < MIN_TIMED_CONFIDENCE:
            continue  # a wrong date proposed is worse than none: such an article is linked, not proposed
        mission = context.mission(event.mission) if event.mission else None
        person = context.person(event.person) if event.person else None
        candidate = candidate_for(event, mission=mission, person=person, known=context.known)
        if candidate is not None:
            supports.append((candidate, article, event.evidence, event.confidence))
    return supports


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


def ingest_entries(
    entries: list[Entry], *, source: NewsSource | None, context: IngestContext | None = None
) -> list[IngestedArticle]:
    """The pipeline for a polling round's entries: store → extract → link → propose, a batch
    per transaction, then auto-accept. Each step runs once per batch: the batch's articles
    are looked up in one statement and the new ones inserted in one more, its mentions and
    its proposals written in one statement each. A commit per entry would cost PostgreSQL a
    log flush each; one transaction for a whole feed would hold SQLite's write lock against
    the web for too long. Entries that did not change are not read again (their
    `extraction` is None)."""
    context = context or IngestContext()
    results = []
    for start in range(0, len(entries), INGEST_BATCH):
        batch = entries[start : start + INGEST_BATCH]
        with transaction.atomic():
            stored = store_entries(batch, source=source, languages=[detect_language(entry.text) for entry in batch])
            linked = _link(batch, stored, context)
        # Once the batch's evidence is in, so an accepted change cites every article.
        auto_accept(list({proposal.pk: proposal for item in linked for proposal in item.proposals}.values()), source)
        results += linked
    return results


def ingest_entry(
    entry: Entry,
    *,
    source: NewsSource | None,
    preamble: str = "",
    context: IngestContext | None = None,
) -> IngestedArticle:
    """One entry through the same pipeline, as a batch of one, for the `ingest` command and
    callers that report on each article: an entry with no date takes one from its text (or
    the `preamble` of headers before it), and an unchanged entry is read again for the
    report (its mentions and proposals stay as they were)."""
    if entry.published is None and (found := find_publication_date(f"{preamble}\n{entry.text[:2000]}")):
        published_at = dt.datetime(found.year, found.month, found.day, tzinfo=dt.UTC)
        entry = Entry(entry.url, entry.guid, entry.title, published_at, entry.text)
    context = context or IngestContext()
    [item] = ingest_entries([entry], source=source, context=context)
    if item.extraction is None:
        item.extraction = _extract(entry, context, item.article.language)
    return item


def _extract(entry: Entry, context: IngestContext, language: str) -> Extraction:
    published = entry.published.date() if entry.published else None
    text = f"{entry.title}.\n{entry.text}"
    return extract(text, index=context.names.known, published=published, language=language)


def _link(batch: list[Entry], stored, context: IngestContext) -> list[IngestedArticle]:
    """Extract, link and propose for the new and changed articles of a stored batch: the
    mentions in one statement (an updated article's old ones deleted first), the proposals
    and their evidence in a handful more."""
    results, rows, supports, owners = [], [], [], []
    for entry, (article, status) in zip(batch, stored, strict=True):
        item = IngestedArticle(article=article, status=status, extraction=None)
        results.append(item)
        if status == "unchanged":
            continue
        item.extraction = _extract(entry, context, article.language)
        if status == "updated":
            article.mentions.all().delete()
        rows += mention_rows(article, item.extraction, context.names)
        found = supports_for(article, item.extraction, context)
        supports += found
        owners += [item] * len(found)
    Mention.objects.bulk_create(rows, ignore_conflicts=True)
    for item, proposal in zip(owners, record_proposals(supports), strict=True):
        item.proposals.append(proposal)
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
        timeout = min(left, DEFAULT_LIMITS.total_timeout)
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


def poll(source: NewsSource, *, now: dt.datetime | None = None) -> PollResult:
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


# --- one poller per source ------------------------------------------------------------------

# Longer than any poll may take (fetch deadlines × redirects × linked pages): a live poller
# keeps its source's lock, renewing it, for at most this long. A poller killed while holding
# it frees the source sooner: settings.NEWS_POLL_LOCK_SECONDS (the lock's lifetime between
# renewals) after its last renewal.
POLL_MAX_SECONDS = 15 * 60


class SourceBusy(Exception):
    """Another worker is polling the source; its lock expires in `seconds_left`."""

    def __init__(self, seconds_left: float):
        super().__init__("another worker is polling it")
        self.seconds_left = seconds_left


def poll_lock(source_id: int) -> str:
    return f"news:poll:{source_id}"


def poll_exclusively(source_id: int) -> PollResult | None:
    """Poll one source while holding its lock, so that two workers (or a worker and the
    `poll_sources` command) never fetch and store the same source at once. Returns None when
    the source no longer exists; raises SourceBusy when another poll holds the lock, and
    whatever `poll` raises."""
    lock = poll_lock(source_id)
    with exclusive(lock, timeout=settings.NEWS_POLL_LOCK_SECONDS, keep_for=POLL_MAX_SECONDS) as held:
        if not held:
            raise SourceBusy(seconds_left(lock, default=settings.NEWS_POLL_LOCK_SECONDS))
        # Read the row only once the lock is held: the poll that held it until a moment ago
        # may have stored a new ETag and failure count, or the source may have gone since.
        source = NewsSource.objects.filter(pk=source_id).first()
        return poll(source) if source is not None else None


def poll_sources_now(*, name: str | None = None) -> list[str]:
    """Poll enabled sources (or the one named) synchronously, each under its lock as a
    worker would, for the `poll_sources` command: one line per source."""
    sources = NewsSource.objects.filter(enabled=True) if name is None else NewsSource.objects.filter(name=name)
    results = []
    for pk, label in sources.values_list("pk", "name"):
        try:
            outcome = poll_exclusively(pk)
            results.append(outcome.describe() if outcome is not None else f"{label}: deleted")
        except SourceBusy:
            results.append(f"{label}: another worker is polling it")
        except (FetchError, ParseError) as error:
            results.append(f"{label}: failed: {error}")
        except Exception as error:  # recorded on the source by poll
            logger.exception("poll of %s failed unexpectedly", label)
            results.append(f"{label}: {unexpected(error)}")
        NewsSource.objects.filter(pk=pk).update(next_poll_at=timezone.now() + F("poll_interval"))
    return results
