"""How much of a feed one poll stores: the newest entries up to a cap, the rest next time.

A feed of 100,000 entries would otherwise hold a worker for minutes (each entry is made
plain text, looked up, stored, read for mentions and proposals) and fill the archive in one
go. parse_newest (tracker/news/parse/feeds.py) takes the newest entries not stored yet, up
to the cap; the poll records how many it left on the source's row (`entries_left`) and
keeps no ETag or Last-Modified while any are left, so the next poll gets the whole feed
rather than a 304 and reads the next ones (services.record_success)."""

from django.conf import settings
from django.db.models import Q

from .models import Article, NewsSource
from .parse import EntryKey


def entry_cap(source: NewsSource) -> int:
    """The most entries one poll of `source` stores: its own setting, or the site's."""
    return source.max_entries_per_poll or settings.NEWS_MAX_ENTRIES_PER_POLL


def stored_among(source: NewsSource):
    """For parse_newest: which of a feed's entry keys (GUID, URL) are stored already, by
    the store step's first two identities (same URL; same GUID from this source)."""

    def stored(keys: list[EntryKey]) -> set[EntryKey]:
        guids = {guid for guid, _ in keys if guid}
        urls = {url for _, url in keys if url}
        # ~Q(guid=""): the (source, guid) index is partial, and SQLite uses it only when the
        # query repeats its condition (as store._may_be_stored does).
        rows = Article.objects.filter(Q(url__in=urls) | (Q(source=source, guid__in=guids) & ~Q(guid="")))
        found = list(rows.values_list("source_id", "guid", "url"))
        found_guids = {guid for source_id, guid, _ in found if source_id == source.pk and guid}
        found_urls = {url for _, _, url in found}
        return {(guid, url) for guid, url in keys if guid in found_guids or url in found_urls}

    return stored
