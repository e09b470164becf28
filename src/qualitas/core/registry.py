"""Small registries through which areas contribute to cross-area features without importing each
other (NetBox's ``netbox/registry.py`` is the model). Each area registers in ``AppConfig.ready()``;
an area that is not installed contributes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    section: str  # "Plan", "Support", "Operate", "Check", "Improve", "System"
    label: str
    url_name: str
    order: int = 100
    icon: str = ""


@dataclass(frozen=True)
class DashboardTile:
    key: str
    label: str
    # (organization, user) -> dict for the template "core/partials/_tile.html"
    compute: Callable[[Any, Any], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: str
    # (organization, user, query, limit) -> list of (title, url, snippet)
    search: Callable[[Any, Any, str, int], list[tuple[str, str, str]]]


@dataclass
class Registry:
    navigation: list[NavEntry] = field(default_factory=list)
    dashboard_tiles: list[DashboardTile] = field(default_factory=list)
    search_sources: list[SearchSource] = field(default_factory=list)
    # Named providers keyed by area: evidence sources (readiness), indicators (ISO 9004),
    # review inputs (management review). Each value is whatever its consumer documents.
    evidence_sources: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)
    review_inputs: dict[str, Any] = field(default_factory=dict)
    # Linkable models: label -> model class (for generic links such as an action's subject).
    linkable_models: dict[str, Any] = field(default_factory=dict)
    # Demo data: (order, name, loader(organization, people: dict[str, User], rng)) run by `qualitas demo`.
    demo_loaders: list[tuple[int, str, Callable[..., None]]] = field(default_factory=list)

    def add_nav(self, *entries: NavEntry) -> None:
        for e in entries:
            if e not in self.navigation:
                self.navigation.append(e)
        self.navigation.sort(key=lambda e: (e.section, e.order, e.label))


registry = Registry()
