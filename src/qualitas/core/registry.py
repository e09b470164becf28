"""Small registries through which areas contribute to cross-area features without importing each
other (NetBox's ``netbox/registry.py`` is the model). Each area registers in ``AppConfig.ready()``;
an area that is not installed contributes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db import models
    from django.utils.functional import Promise

    from qualitas.core.workflow import Workflow


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
    # True when the figures are the same for everyone in the organization (they are then cached
    # for as long as the organization's data is unchanged, core/cache.py); False for "my ..." tiles.
    shared: bool = False


@dataclass(frozen=True)
class SearchSource:
    key: str
    label: str
    # (organization, user, query, limit) -> list of (title, url, snippet)
    search: Callable[[Any, Any, str, int], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class EvidenceSource:
    """Records of an area that prove ISO 9001 clauses (readiness view, evidence pack)."""

    key: str  # "documents.effective"
    label: str  # "Effective controlled documents"
    clauses: tuple[str, ...]  # clause numbers it supports, e.g. ("7.5.2", "7.5.3")
    # (organization) -> {"count": int, "url": str, "items": [(label, url), ...] (at most 10)}
    summarize: Callable[[Any], dict[str, Any]]
    # Optional: (organization) -> [(title, url, file path or None)] for the evidence pack.
    pack_items: Callable[[Any], list[tuple[str, str, str | None]]] | None = None


@dataclass(frozen=True)
class Indicator:
    """A figure computed from QMS data that tells how mature an ISO 9004 element really is."""

    key: str  # "improvement.capa_on_time"
    label: str  # "Corrective actions closed on time and verified effective"
    elements: tuple[str, ...]  # ISO 9004:2018 clause numbers, e.g. ("11.2",)
    # (organization) -> {"value": float | None (0..1 for shares), "display": "62 %",
    #                    "suggested_level": int | None (1..5), "detail": str, "url": str}
    compute: Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class ReviewInput:
    """One ISO 9001 9.3.2 input to the management review, assembled from live data."""

    key: str  # "improvement.nonconformities"
    label: str  # "Nonconformities and corrective actions"
    clause: str  # "9.3.2 c) 4)"
    # (organization, start: date, end: date) -> {"summary": str, "figures": [(label, value)],
    #   "items": [(label, url)], "chart": {"type": "bar"|"line", "labels": [...], "series": [...]} | None}
    compute: Callable[[Any, Any, Any], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class CalendarEvent:
    """One entry of the organization's calendar feed (audits, management reviews, ...)."""

    uid: str
    start: dt.date
    end: dt.date | None  # inclusive last day
    summary: str
    description: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED


@dataclass(frozen=True)
class DueItem:
    """Something a person owes by a date: a reminder source yields one per open item.

    The notification centre (core) decides from ``due`` and the person's offsets (e.g. 7 days
    before, 1 day before, overdue) which reminder to send today, and sends each one once per
    ``key``, owner and due date: a new owner or a moved date makes the next reminder new, and an
    item that is no longer yielded (done, cancelled) gets no more reminders."""

    kind: str  # the event type, e.g. "equipment.calibration_due"; registered in notice_kinds
    key: str  # stable per item, e.g. "equipment.plan:17"
    owner_id: int  # the user who is reminded
    due: dt.date
    title: str  # "Calibration of G-0042 (micrometer 0-25 mm)"
    url: str  # the item's page, relative (core makes it absolute)


@dataclass(frozen=True)
class NoticeKind:
    """An event type people can be told about (in-app, mail, digest), with its default channels."""

    key: str  # "equipment.calibration_due"
    label: str | Promise  # translatable label shown on the preferences page (gettext_lazy is fine)
    default_mail: bool = True


@dataclass(frozen=True)
class ScheduledJob:
    """Work the scheduler runs for every organization at its interval (core runs it as a task).

    ``run(organization, today) -> str`` must be idempotent: running it twice on one day changes
    nothing the second time. It writes through services (source "job"); the string is its result
    line, shown on the jobs page."""

    key: str  # "documents.activate_effective"
    label: str | Promise  # gettext_lazy is fine
    run: Callable[[Any, dt.date], str]
    every: str = "daily"  # "hourly" | "daily" | "weekly"


@dataclass(frozen=True)
class WorkflowBinding:
    """A model with a life cycle: its workflow and the service that takes its steps.

    ``service(obj, name, *, actor, reason="", note="", expected_version=None) -> obj`` takes one
    step with ``core.services.workflow_step``; the generic transition page and API endpoint call
    it, and the concurrency tests take every registered workflow's steps in parallel."""

    model: type[models.Model]
    workflow: Workflow
    service: Callable[..., Any]


@dataclass
class Registry:
    navigation: list[NavEntry] = field(default_factory=list)
    dashboard_tiles: list[DashboardTile] = field(default_factory=list)
    search_sources: list[SearchSource] = field(default_factory=list)
    # Named providers keyed by area: evidence sources (readiness), indicators (ISO 9004),
    # review inputs (management review). Each value is whatever its consumer documents.
    evidence_sources: dict[str, EvidenceSource] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    review_inputs: dict[str, ReviewInput] = field(default_factory=dict)
    # Linkable models: label -> model class (for generic links such as an action's subject).
    linkable_models: dict[str, Any] = field(default_factory=dict)
    # Demo data: (order, name, loader(organization, people: dict[str, User], rng)) run by `qualitas demo`.
    demo_loaders: list[tuple[int, str, Callable[..., None]]] = field(default_factory=list)
    # Run after `qualitas import` restored an organization: rebuild derived data (search indexes).
    post_import_hooks: list[Callable[[Any], None]] = field(default_factory=list)
    # Calendar entries other areas add to the audit calendar feed: (organization, base_url) -> events.
    calendar_sources: list[Callable[[Any, str], list[CalendarEvent]]] = field(default_factory=list)
    # Models with a life cycle (one binding per model), see ``WorkflowBinding``.
    workflows: list[WorkflowBinding] = field(default_factory=list)
    # Reminders: key -> (organization, until: date) -> open items due on or before ``until``
    # (overdue ones included), see ``DueItem``; the notification centre sends them.
    due_sources: dict[str, Callable[[Any, dt.date], list[DueItem]]] = field(default_factory=dict)
    # Event types of notices (key -> NoticeKind), for preferences and the notification centre.
    notice_kinds: dict[str, NoticeKind] = field(default_factory=dict)
    # Periodic work (key -> ScheduledJob), run by the scheduler and by `qualitas jobs run`.
    schedules: dict[str, ScheduledJob] = field(default_factory=dict)

    def add_nav(self, *entries: NavEntry) -> None:
        for e in entries:
            if e not in self.navigation:
                self.navigation.append(e)
        self.navigation.sort(key=lambda e: (e.section, e.order, e.label))

    def add_workflow(
        self, model: type[models.Model], workflow: Workflow, service: Callable[..., Any]
    ) -> None:
        """Register a model's workflow and transition service (once per model)."""
        if any(b.model is model for b in self.workflows):
            return
        self.workflows.append(WorkflowBinding(model, workflow, service))

    def workflow_for(self, model: type[models.Model]) -> WorkflowBinding | None:
        return next((b for b in self.workflows if b.model is model), None)


registry = Registry()
