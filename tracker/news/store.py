"""Store step: one article per story, however often and by whichever route it arrives.

The same story is recognised by its canonical URL, by its feed GUID within a source, or
by the same title from the same source within a day. A story whose title or text changed
is updated in place; an unchanged one is not written at all."""

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import Article, NewsSource
from .parse import Entry

SAME_STORY_WINDOW = dt.timedelta(days=1)


def content_hash(entry: Entry) -> str:
    return hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()


def article_url(entry: Entry, source: NewsSource | None) -> str:
    """Entries without a usable link are still one article each, keyed by their GUID."""
    if entry.url:
        return entry.url
    digest = hashlib.sha256(entry.guid.encode()).hexdigest()[:32]
    return f"urn:news:{source.pk if source else 0}:{digest}"


def store_entries(
    entries: list[Entry], *, source: NewsSource | None, languages: list[str]
) -> list[tuple[Article, str]]:
    """Store a batch of entries, one article per story; returns each entry's article and
    what happened to it: "created", "updated" or "unchanged". A single entry is a batch of one.

    One statement finds every stored story the batch may tell again, one more inserts the
    new ones. When that cannot work, the entries are stored one by one: two entries of the
    batch tell the same story, or another worker stored one of its stories meanwhile (the
    batch's writes are rolled back, and storing again finds that worker's article)."""
    urls = [article_url(entry, source) for entry in entries]
    if len(entries) > 1 and _batch_keys_repeat(entries, urls):
        return [
            _store_one(entry, source=source, language=language)
            for entry, language in zip(entries, languages, strict=True)
        ]
    try:
        with transaction.atomic():
            return _store(entries, urls, source=source, languages=languages)
    except IntegrityError:
        if len(entries) == 1:
            raise
        return [
            _store_one(entry, source=source, language=language)
            for entry, language in zip(entries, languages, strict=True)
        ]


def _store_one(entry: Entry, *, source: NewsSource | None, language: str) -> tuple[Article, str]:
    urls = [article_url(entry, source)]
    try:
        with transaction.atomic():
            [stored] = _store([entry], urls, source=source, languages=[language])
    except IntegrityError:
        # Another worker stored the same story a moment ago: now it is found, and ours to update.
        with transaction.atomic():
            [stored] = _store([entry], urls, source=source, languages=[language])
    return stored


def _store(
    entries: list[Entry], urls: list[str], *, source: NewsSource | None, languages: list[str]
) -> list[tuple[Article, str]]:
    candidates = list(Article.objects.filter(_may_be_stored(entries, urls, source)))
    results: list[tuple[Article, str] | None] = []
    new: list[tuple[int, Article]] = []
    for index, (entry, url, language) in enumerate(zip(entries, urls, languages, strict=True)):
        ranked = [(rank, a.pk, a) for a in candidates if (rank := _identity_rank(a, entry, url, source)) is not None]
        if ranked:
            results.append(_update(min(ranked)[2], entry=entry, language=language, source=source))
            continue
        results.append(None)
        new.append((index, _new_article(entry, url=url, source=source, language=language)))
    Article.objects.bulk_create([article for _, article in new])
    for index, article in new:
        results[index] = (article, "created")
    return results


def _may_be_stored(entries: list[Entry], urls: list[str], source: NewsSource | None) -> Q:
    """Every stored article that may be one of these entries' stories: the same URL, or
    (within the source) the same GUID or title; _identity_rank then decides."""
    match = Q(url__in=urls)
    if source is None:
        return match
    if guids := [entry.guid for entry in entries if entry.guid]:
        # The (source, guid) index is partial (WHERE NOT guid = ''): SQLite uses it only when
        # the query repeats that condition, else it scans every article of the source.
        match |= Q(source=source, guid__in=guids) & ~Q(guid="")
    if titles := [entry.title for entry in entries if entry.published is not None]:
        match |= Q(source=source, title__in=titles)
    return match


def _new_article(entry: Entry, *, url: str, source: NewsSource | None, language: str) -> Article:
    return Article(
        source=source,
        url=url,
        guid=entry.guid,
        title=entry.title,
        published_at=entry.published,
        language=language,
        text=entry.text,
        content_hash=content_hash(entry),
    )


def _update(article: Article, *, entry: Entry, language: str, source: NewsSource | None) -> tuple[Article, str]:
    # Only the source that stored a story (or an operator's `ingest`, source None) rewrites
    # it: another feed linking to the same URL would otherwise replace a trusted source's
    # text, and the mentions and proposals drawn from it, with its own (tests/hostile).
    digest = content_hash(entry)
    if article.content_hash == digest or (source is not None and article.source_id != source.pk):
        return article, "unchanged"
    article.title, article.text, article.content_hash, article.language = entry.title, entry.text, digest, language
    if entry.published is not None:
        article.published_at = entry.published
    article.save(update_fields=["title", "text", "content_hash", "language", "published_at", "updated_at"])
    return article, "updated"


def _identity_rank(article: Article, entry: Entry, url: str, source: NewsSource | None) -> int | None:
    """How surely `article` is the story `entry` tells: 0 same URL, 1 same GUID, 2 same title
    within a day (GUIDs and titles only within one source); None if it is another story."""
    if article.url == url:
        return 0
    if source is None or article.source_id != source.pk:
        return None
    if entry.guid and article.guid == entry.guid:
        return 1
    if (
        entry.published is not None
        and article.title == entry.title
        and article.published_at is not None
        and abs(article.published_at - entry.published) <= SAME_STORY_WINDOW
    ):
        return 2
    return None


def _batch_keys_repeat(entries: list[Entry], urls: list[str]) -> bool:
    guids = [entry.guid for entry in entries if entry.guid]
    titles = [entry.title for entry in entries if entry.published is not None]
    return len(set(urls)) < len(urls) or len(set(guids)) < len(guids) or len(set(titles)) < len(titles)
