"""Pagination that never counts millions of rows on a request.

A list page or list API needs the number of rows only to say "page 3 of 12" and "240 records". For
a register of 100,000 actions or millions of audit events an exact ``COUNT(*)`` on every request is
the slowest query of the page, so the count is *bounded*: at most ``COUNT_BOUND + 1`` rows are
counted (``SELECT COUNT(*) FROM (SELECT id … LIMIT 10001)``). Up to the bound the count is exact;
beyond it the list says "10,000+" and "page 3 of 200+", the API answers ``"count": 10000,
"count_exact": false``, and every page (however deep) is still reachable: ``next`` is present
exactly when another row exists (the page reads one row more than it shows).

Deep pages read their rows in two steps (a "deferred join"): first the ids of the page, in order, by
an ``OFFSET`` walk that an ``(organization, sort column)`` index answers on its own, then the rows of
those ids. ``OFFSET 99,950`` over full rows reads 100,000 table rows; over the index it reads index
entries only. One query more, from the ``DEFERRED_FROM``-th row on; the count stays constant.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

if TYPE_CHECKING:
    _Page = Page[Any]
    _Paginator = Paginator[Any]
else:
    _Page, _Paginator = Page, Paginator

COUNT_BOUND = 10_000
DEFERRED_FROM = 1_000


class BoundedCount(int):
    """A row count that may be a lower bound; prints "10,000+" when the list holds more."""

    exact: bool

    def __new__(cls, value: int, exact: bool = True) -> BoundedCount:
        obj = super().__new__(cls, value)
        obj.exact = exact
        return obj

    def __str__(self) -> str:
        return str(int(self)) if self.exact else f"{int(self):,}+"

    __repr__ = int.__repr__


def bounded_count(queryset: Any, bound: int = COUNT_BOUND) -> BoundedCount:
    """Count at most ``bound + 1`` rows: exact up to ``bound``, else ``BoundedCount(bound, exact=False)``."""
    if not hasattr(queryset, "query"):
        n = len(queryset)
        return BoundedCount(min(n, bound), exact=n <= bound)
    n = queryset.order_by().values("pk")[: bound + 1].count()
    return BoundedCount(min(n, bound), exact=n <= bound)


class BoundedPage(_Page):
    def __init__(self, object_list: Any, number: int, paginator: Any, has_more: bool | None = None) -> None:
        super().__init__(object_list, number, paginator)
        self._has_more = has_more

    def has_next(self) -> bool:
        if self._has_more is None:
            return super().has_next()
        return self._has_more


class BoundedPaginator(_Paginator):
    """Django's Paginator with a bounded count (see the module docstring). Same queries: one count,
    one page; with an exact count it behaves exactly like ``Paginator``."""

    count_bound = COUNT_BOUND
    deferred_from = DEFERRED_FROM

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deepest = 0

    @cached_property
    def count(self) -> BoundedCount:
        return bounded_count(self.object_list, self.count_bound)

    @property
    def num_pages(self) -> int:
        count = self.count
        if count.exact:
            if count == 0 and not self.allow_empty_first_page:
                return 0
            hits = max(1, count - self.orphans)
            return math.ceil(hits / self.per_page)
        return BoundedCount(max(math.ceil(count / self.per_page), self._deepest), exact=False)

    def validate_number(self, number: Any) -> int:
        if self.count.exact:
            return super().validate_number(number)
        if number in (None, ""):
            number = 1
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().validate_number(number)  # raises PageNotAnInteger with Django's message
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return int(number)

    def rows(self, bottom: int, top: int) -> list[Any]:
        """Rows ``bottom:top`` of the list; deep slices read their ids first (see the module docstring)."""
        return self.slice(self.object_list, bottom, top)

    def slice(self, qs: Any, bottom: int, top: int) -> list[Any]:
        if (
            bottom < self.deferred_from
            or not hasattr(qs, "values_list")
            or getattr(qs, "_fields", None) is not None
        ):
            return list(qs[bottom:top])
        ids = list(qs.values_list("pk", flat=True)[bottom:top])
        if not ids:
            return []
        by_id = {obj.pk: obj for obj in qs.filter(pk__in=ids).order_by()}
        return [by_id[pk] for pk in ids if pk in by_id]

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        if self.count.exact:
            bottom = (number - 1) * self.per_page
            top = bottom + self.per_page
            if top + self.orphans >= self.count:
                top = self.count
            return self._get_page(self.rows(bottom, top), number, self)
        bottom = (number - 1) * self.per_page
        rows = self.rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        has_more = len(rows) > self.per_page
        self._deepest = max(self._deepest, number + (1 if has_more else 0))
        return BoundedPage(rows[: self.per_page], number, self, has_more)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page[Any]:
        return BoundedPage(*args, **kwargs)


class GapFreeSeqPaginator(BoundedPaginator):
    """For an organization's whole audit trail, newest first: ``seq`` runs 1..N without gaps, so the
    row at offset k is event N - k. A page of any depth is one indexed range read
    (``seq <= N - k``), however long the chain (an ``OFFSET`` walks k index entries: 100 ms at 2.4
    million events). Only for the unfiltered trail ordered by ``-seq``; ``last_seq`` is the chain head's."""

    def __init__(self, object_list: Any, per_page: int, *, last_seq: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.last_seq = last_seq

    @cached_property
    def count(self) -> BoundedCount:
        return BoundedCount(self.last_seq)  # exact, and no query: the chain numbers its events 1..N

    def rows(self, bottom: int, top: int) -> list[Any]:
        if bottom == 0:
            return list(self.object_list[:top])
        events: Any = self.object_list  # the organization's events, newest first
        return list(events.filter(seq__lte=self.last_seq - bottom)[: top - bottom])


class TrailPaginator(BoundedPaginator):
    """A filtered audit trail (see ``audit.trail_filters``): ``object_list`` is the walk form,
    ``indexed`` the same rows in the form the indexes answer. The bounded count uses ``indexed``; the
    rows come from ``indexed`` when the match is sparse (an exact count: at most 10,000 rows to sort)
    and from the newest-first walk when it is dense (the walk meets a page of matches quickly)."""

    def __init__(self, object_list: Any, per_page: int, *, indexed: Any, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.indexed = indexed

    @cached_property
    def count(self) -> BoundedCount:
        return bounded_count(self.indexed, self.count_bound)

    def rows(self, bottom: int, top: int) -> list[Any]:
        return self.slice(self.indexed if self.count.exact else self.object_list, bottom, top)


class Pagination(PageNumberPagination):
    """``{"count", "count_exact", "next", "previous", "results"}``; ``count`` is exact up to 10,000."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = BoundedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None
        count: Any = self.page.paginator.count  # BoundedCount: an int that knows whether it is exact
        return Response(
            {
                "count": int(count),
                "count_exact": count.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Number of matching records, exact up to {COUNT_BOUND:,}; beyond that it is {COUNT_BOUND} "
            "and count_exact is false (follow next to read further)."
        )
        response["properties"]["count_exact"] = {"type": "boolean", "example": True}
        response["required"] = [*response.get("required", []), "count_exact"]
        return response
