"""What the planning area contributes to other areas: navigation, a home tile, global search and,
from reports.py, evidence for the readiness view, ISO 9004 indicators and management-review inputs."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from qualitas.planning import queries, reports
from qualitas.planning.choices import KpiStatus
from qualitas.planning.models import Kpi, Objective, Process, Risk

# --- global search -------------------------------------------------------------------------------


def search(org: Any, user: Any, query: str, limit: int) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for p in Process.objects.visible_to(user, org).filter(
        Q(code__icontains=query) | Q(name__icontains=query)
    )[:limit]:
        found.append(
            (str(p), p.get_absolute_url(), f"{p.get_process_type_display()} · owner {p.owner or '—'}")
        )
    risks = Risk.objects.visible_to(user, org).filter(Q(title__icontains=query) | Q(reference__iexact=query))
    for r in risks.select_related("owner")[:limit]:
        found.append((str(r), r.get_absolute_url(), f"{r.get_kind_display()} · {r.level} · {r.owner}"))
    for o in Objective.objects.visible_to(user, org).filter(
        Q(title__icontains=query) | Q(reference__iexact=query)
    )[:limit]:
        found.append((str(o), o.get_absolute_url(), f"Objective · {o.get_status_display()}"))
    for k in Kpi.objects.visible_to(user, org).filter(Q(code__iexact=query) | Q(name__icontains=query))[
        :limit
    ]:
        found.append((str(k), k.get_absolute_url(), f"KPI · target {k.target:g}{k.unit}"))
    return found[:limit]


# --- home tile -------------------------------------------------------------------------------------


def performance_tile(org: Any, user: Any) -> dict[str, Any]:
    kpis = queries.kpi_rows(Kpi.objects.visible_to(user, org).filter(is_active=True), history=0)
    counts = {s: sum(1 for k in kpis if k.status == s) for s in KpiStatus.values}
    mine = [
        k for k in kpis if k.owner_id == user.pk and k.status in (KpiStatus.AT_RISK, KpiStatus.OFF_TARGET)
    ]
    return {
        "template": "planning/partials/_tile.html",
        "counts": counts,
        "total": len(kpis),
        "mine": mine[:8],
    }


def register() -> None:
    from qualitas.core.registry import (
        DashboardTile,
        EvidenceSource,
        Indicator,
        NavEntry,
        ReviewInput,
        SearchSource,
        registry,
    )
    from qualitas.planning import demo

    registry.add_nav(
        NavEntry("Plan", "Context", "planning:contextissue_list", order=10),
        NavEntry("Plan", "Interested parties", "planning:interestedparty_list", order=12),
        NavEntry("Plan", "Identity and policy", "planning:identity", order=14),
        NavEntry("Plan", "Processes", "planning:process_list", order=16),
        NavEntry("Plan", "Process map", "planning:process_map", order=17),
        NavEntry("Plan", "Risks and opportunities", "planning:risk_list", order=20),
        NavEntry("Plan", "Objectives", "planning:objective_list", order=22),
        NavEntry("Plan", "KPIs", "planning:kpi_list", order=24),
        NavEntry("Check", "Performance", "planning:dashboard", order=10),
    )
    registry.dashboard_tiles.append(
        DashboardTile("planning.performance", "Performance", performance_tile, order=20)
    )
    registry.search_sources.append(SearchSource("planning", "Processes, risks, objectives and KPIs", search))
    for label, model in (
        ("planning.process", Process),
        ("planning.risk", Risk),
        ("planning.objective", Objective),
        ("planning.kpi", Kpi),
    ):
        registry.linkable_models.setdefault(label, model)
    for source in (
        EvidenceSource(
            "planning.context",
            "Internal and external issues (incl. climate change)",
            ("4.1",),
            reports.evidence_context,
        ),
        EvidenceSource(
            "planning.parties",
            "Interested parties and their requirements",
            ("4.2",),
            reports.evidence_parties,
        ),
        EvidenceSource(
            "planning.processes",
            "Process register and process map",
            ("4.4", "4.4.1", "4.4.2"),
            reports.evidence_processes,
        ),
        EvidenceSource(
            "planning.policy",
            "Approved quality policy and its communication",
            ("5.2", "5.2.1", "5.2.2"),
            reports.evidence_policy,
            reports.pack_policy,
        ),
        EvidenceSource(
            "planning.risks",
            "Risks and opportunities register",
            ("6.1", "6.1.1", "6.1.2"),
            reports.evidence_risks,
        ),
        EvidenceSource(
            "planning.objectives",
            "Quality objectives and their plans",
            ("6.2", "6.2.1", "6.2.2"),
            reports.evidence_objectives,
        ),
        EvidenceSource(
            "planning.kpis", "KPIs with recorded values", ("9.1", "9.1.1", "9.1.3"), reports.evidence_kpis
        ),
    ):
        registry.evidence_sources[source.key] = source
    for ind in (
        Indicator(
            "planning.kpis_on_target",
            "Share of measured KPIs on target",
            ("10.2", "10.4"),
            reports.indicator_kpis_on_target,
        ),
        Indicator(
            "planning.risk_reviews",
            "Risks and opportunities reviewed on time",
            ("8.4",),
            reports.indicator_risk_reviews,
        ),
        Indicator(
            "planning.objectives_measured",
            "Active objectives measured by a KPI",
            ("7.3",),
            reports.indicator_objectives_measured,
        ),
        Indicator(
            "planning.identity",
            "Identity and policy written down",
            ("6.2", "7.2"),
            reports.indicator_identity,
        ),
    ):
        registry.indicators[ind.key] = ind
    for ri in (
        ReviewInput(
            "planning.context",
            "Changes in external and internal issues and interested parties",
            "9.3.2 b)",
            reports.review_context_changes,
            order=20,
        ),
        ReviewInput(
            "planning.objectives",
            "Extent to which quality objectives are met",
            "9.3.2 c) 2)",
            reports.review_objectives,
            order=32,
        ),
        ReviewInput(
            "planning.kpis",
            "KPI results (monitoring and measurement)",
            "9.3.2 c) 5)",
            reports.review_kpis,
            order=50,
        ),
        ReviewInput(
            "planning.risks",
            "Effectiveness of actions on risks and opportunities",
            "9.3.2 e)",
            reports.review_risk_actions,
            order=80,
        ),
    ):
        registry.review_inputs[ri.key] = ri
    registry.demo_loaders.append((5, "planning", demo.load))
