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
        return _update(existing, entry=entry, digest=digest, language=language)
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
        return _update(existing, entry=entry, digest=digest, language=language)
    return article, "created"


def _update(article: Article, *, entry: Entry, digest: str, language: str) -> tuple[Article, str]:
    if article.content_hash == digest:
        return article, "unchanged"
    article.title, article.text, article.content_hash, article.language = entry.title, entry.text, digest, language
    if entry.published is not None:
        article.published_at = entry.published
    article.save(update_fields=["title", "text", "content_hash", "language", "published_at", "updated_at"])
    return article, "updated"
