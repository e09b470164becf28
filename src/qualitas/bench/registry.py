"""What the bench tools know about: data generators and benchmark targets, registered per area.

An area (or this package on its behalf) registers:

- a ``BenchGenerator``: ``generate(ctx)`` bulk-writes the area's main registers for a large
  organization and queues the audit events writing them would have produced (``ctx.event``);
- ``ListTarget`` s: a register's list page and list API (first page, filtered, sorted, deep page,
  text search), its detail page and detail API, each also timed as bare SQL (the floor);
- ``PageTarget`` s: dashboards and other single pages;
- ``OperationTarget`` s: whole-register operations measured as a rate (``audit verify``, export).

``load_all()`` imports the built-in registrations (actions, audit trail) and those of every area that
is installed; an area that is missing contributes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Scale:
    name: str
    people: int  # members of the organization
    years: int  # years of history
    records: int  # rows in each main register (actions, nonconformities, documents...)

    def part(self, share: float, minimum: int = 1) -> int:
        """A register that is smaller than the main ones (e.g. audits: share=0.02)."""
        return max(minimum, int(self.records * share))


SCALES = {
    "S": Scale("S", people=60, years=3, records=10_000),
    "M": Scale("M", people=500, years=5, records=100_000),
    "L": Scale("L", people=5_000, years=10, records=1_000_000),
}


@dataclass(frozen=True)
class BenchGenerator:
    key: str
    label: str
    # (ctx: qualitas.bench.context.GenerationContext) -> number of records written (events not counted)
    generate: Callable[[Any], int]
    order: int = 100


@dataclass(frozen=True)
class ListTarget:
    """One register: its list page and list API, detail page and detail API."""

    key: str  # "actions"
    label: str
    model: Any
    page_url: str | None = None  # URL name of the list page
    api_url: str | None = None  # URL name of the list endpoint
    detail_url: str | None = None  # URL name of the detail page (takes the pk)
    api_detail_url: str | None = None  # URL name of the detail endpoint
    filters: dict[str, str] = field(default_factory=dict)  # a typical filter, as query parameters
    page_sort: str = ""  # ?sort= of the list page
    api_sort: str = ""  # ?ordering= of the API
    search: str = ""  # a text search that matches some rows
    search_param: str = "q"
    api_lookup: str = "pk"  # attribute of a row that the detail endpoint takes
    page_size: int = 50


@dataclass(frozen=True)
class PageTarget:
    key: str
    label: str
    url_name: str
    kind: str = "page"  # "page" or "dashboard" (the budgets differ)
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OperationTarget:
    key: str
    label: str
    # (organization) -> (units done, unit name), e.g. (250000, "events")
    run: Callable[[Any], tuple[int, str]]
    repeat: int = 3


@dataclass
class BenchRegistry:
    generators: list[BenchGenerator] = field(default_factory=list)
    lists: list[ListTarget] = field(default_factory=list)
    pages: list[PageTarget] = field(default_factory=list)
    operations: list[OperationTarget] = field(default_factory=list)

    def add(self, *items: Any) -> None:
        for item in items:
            buckets: dict[type, list[Any]] = {
                BenchGenerator: self.generators,
                ListTarget: self.lists,
                PageTarget: self.pages,
                OperationTarget: self.operations,
            }
            bucket = buckets[type(item)]
            if all(existing.key != item.key for existing in bucket):
                bucket.append(item)
        self.generators.sort(key=lambda g: (g.order, g.key))


bench_registry = BenchRegistry()

# Modules that register on behalf of the areas (the areas need not know about the bench tools).
_REGISTRATIONS = [
    "qualitas.bench.builtin",
    "qualitas.bench.areas",
    "qualitas.bench.imports",
    "qualitas.bench.background",
]
_loaded = False


def load_all() -> BenchRegistry:
    global _loaded
    if not _loaded:
        for module in _REGISTRATIONS:
            importlib.import_module(module).register(bench_registry)
        _loaded = True
    return bench_registry
