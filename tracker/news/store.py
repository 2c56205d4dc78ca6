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


def find_existing(entry: Entry, *, source: NewsSource | None, url: str) -> Article | None:
    match = Q(url=url)
    if source is not None and entry.guid:
        # The (source, guid) index is partial (WHERE NOT guid = ''): SQLite uses it only when
        # the query repeats that condition, else it scans every article of the source.
        match |= Q(source=source, guid=entry.guid) & ~Q(guid="")
    if source is not None and entry.published is not None:
        match |= Q(
            source=source,
            title=entry.title,
            published_at__range=(entry.published - SAME_STORY_WINDOW, entry.published + SAME_STORY_WINDOW),
        )
    candidates = list(Article.objects.filter(match)[:3])
    # Prefer the strongest identity: same URL, then same GUID, then same title.
    for test in (lambda a: a.url == url, lambda a: bool(entry.guid) and a.guid == entry.guid, lambda a: True):
        for article in candidates:
            if test(article):
                return article
    return None


def upsert_article(*, entry: Entry, source: NewsSource | None, language: str) -> tuple[Article, str]:
    """Returns the article and what happened to it: "created", "updated" or "unchanged"."""
    url = article_url(entry, source)
    digest = content_hash(entry)
    existing = find_existing(entry, source=source, url=url)
    if existing is not None:
        return _update(existing, entry=entry, digest=digest, language=language, source=source)
    article = Article(
        source=source,
        url=url,
        guid=entry.guid,
        title=entry.title,
        published_at=entry.published,
        language=language,
        text=entry.text,
        content_hash=digest,
    )
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another worker stored the same story a moment ago: it is ours to update now.
        existing = find_existing(entry, source=source, url=url)
        if existing is None:
            raise
        return _update(existing, entry=entry, digest=digest, language=language, source=source)
    return article, "created"


def _update(
    article: Article, *, entry: Entry, digest: str, language: str, source: NewsSource | None
) -> tuple[Article, str]:
    # Only the source that stored a story (or an operator's `ingest`, source None) rewrites
    # it: another feed linking to the same URL would otherwise replace a trusted source's
    # text, and the mentions and proposals drawn from it, with its own (tests/hostile).
    if article.content_hash == digest or (source is not None and article.source_id != source.pk):
        return article, "unchanged"
    article.title, article.text, article.content_hash, article.language = entry.title, entry.text, digest, language
    if entry.published is not None:
        article.published_at = entry.published
    article.save(update_fields=["title", "text", "content_hash", "language", "published_at", "updated_at"])
    return article, "updated"


def _identity_rank(article: Article, entry: Entry, url: str) -> int | None:
    """How surely `article` is the story `entry` tells: 0 same URL, 1 same GUID, 2 same title
    within a day; None if it is another story."""
    if article.url == url:
        return 0
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


def upsert_articles(
    entries: list[Entry], *, source: NewsSource, languages: list[str]
) -> list[tuple[Article, str]] | None:
    """upsert_article for a batch in two statements: one lookup, one INSERT of the new ones.

    Returns None, having written nothing, when the batch cannot be stored that way (two
    entries of the batch tell the same story, or another worker stored one meanwhile): the
    caller then stores its entries one by one."""
    urls = [article_url(entry, source) for entry in entries]
    if _batch_keys_repeat(entries, urls):
        return None
    match = Q(url__in=urls)
    if guids := [entry.guid for entry in entries if entry.guid]:
        match |= Q(source=source, guid__in=guids) & ~Q(guid="")
    if titles := [entry.title for entry in entries if entry.published is not None]:
        match |= Q(source=source, title__in=titles)
    candidates = list(Article.objects.filter(match))
    results: list[tuple[Article, str] | None] = []
    new: list[tuple[int, Article]] = []
    for index, (entry, url, language) in enumerate(zip(entries, urls, languages, strict=True)):
        ranked = [(rank, a.pk, a) for a in candidates if (rank := _identity_rank(a, entry, url)) is not None]
        if ranked:
            results.append(
                _update(min(ranked)[2], entry=entry, digest=content_hash(entry), language=language, source=source)
            )
            continue
        results.append(None)
        new.append(
            (
                index,
                Article(
                    source=source,
                    url=url,
                    guid=entry.guid,
                    title=entry.title,
                    published_at=entry.published,
                    language=language,
                    text=entry.text,
                    content_hash=content_hash(entry),
                ),
            )
        )
    try:
        with transaction.atomic():
            Article.objects.bulk_create([article for _, article in new])
    except IntegrityError:
        return None
    for index, article in new:
        results[index] = (article, "created")
    return results
