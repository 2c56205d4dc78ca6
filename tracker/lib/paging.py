"""Pages of long lists at a cost that does not grow with the table.

Two things make a deep page of a hundred thousand rows slow, and both are avoided here:

- The count. `COUNT(*)` reads every matching row (or index entry) on every request. Here a
  list is counted no further than it must be: up to COUNT_CAP rows, or to one row past the
  page asked for, whichever is further (so "next" is linked exactly when there is a next
  page). Past that, the count says "at least" (`exact` is False) and pages show "1,000+".
- The offset. `LIMIT 20 OFFSET 9980` over the full rows computes every skipped row (on
  PostgreSQL including each one's TOASTed text, if the query reads some of it). Here the
  offset walks the keys alone (`ORDER BY … LIMIT … OFFSET` selecting only the primary key,
  which the list's index answers by itself), and only the page's rows are then read:
  `WHERE pk IN (that)`, a "deferred join".

The queryset must already be in a stable order that an index matches (see
tracker/news/models.py, NewestFirstIndex); the slice of keys keeps it, and the page's rows
are put back in it.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 1000


def count_up_to(queryset, limit: int) -> int:
    """How many rows `queryset` has, counting at most `limit` of them: a COUNT over a
    LIMIT subquery, which stops reading once it has `limit`."""
    # Keys only: an annotation such as the start of an article's text is not computed.
    return queryset.order_by().values("pk")[:limit].count()


def rows_between(queryset, start: int, stop: int):
    """The rows `queryset[start:stop]` as a queryset, found by walking the keys only."""
    keys = queryset.values("pk")[start:stop]
    return queryset.filter(pk__in=keys)


class Count:
    """A list's size, counted up to `horizon`: `value` is exact, or `horizon` when it is not."""

    def __init__(self, queryset, *, horizon: int):
        counted = count_up_to(queryset, horizon + 1)
        self.exact = counted <= horizon
        self.value = min(counted, horizon)

    def __str__(self):
        return f"{self.value:,}" if self.exact else f"{self.value:,}+"


def counted(queryset, *, start: int, stop: int, cap: int = COUNT_CAP) -> Count:
    """The size of `queryset` as far as a page from `start` to `stop` needs it: at least up
    to `cap`, and one row past `stop` so a next page is known to exist or not."""
    return Count(queryset, horizon=max(cap, stop))


class BoundedPaginator(Paginator):
    """Django's Paginator with a bounded count and keys-first pages (see the module's
    docstring). `count` is the rows counted (`counted.exact` says whether that is all of
    them), so `num_pages` is the pages known to exist; asking for a page past them counts
    further, so a reader can keep following "Older" to the end."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.asked = 1

    def get_page(self, number):
        try:
            self.asked = max(1, int(number))
        except (TypeError, ValueError):
            self.asked = 1
        return super().get_page(number)

    @cached_property
    def counted(self) -> Count:
        stop = self.asked * self.per_page
        return counted(self.object_list, start=stop - self.per_page, stop=stop, cap=self.cap)

    @cached_property
    def count(self) -> int:
        # One more than counted when there are more: that makes a further (partial) page,
        # so the last page counted links to the next.
        return self.counted.value + (0 if self.counted.exact else 1)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(rows_between(self.object_list, bottom, bottom + self.per_page), number, self)
