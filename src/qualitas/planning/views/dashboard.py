"""The performance dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from qualitas.core import cache
from qualitas.core.views import (
    OrganizationRequiredMixin,
)
from qualitas.planning import queries
from qualitas.planning.charts import add_sparklines, risk_level_chart
from qualitas.planning.choices import KpiStatus
from qualitas.planning.models import (
    Kpi,
    Objective,
    Process,
    Risk,
)

# --- performance dashboard -----------------------------------------------------------------------


class DashboardView(OrganizationRequiredMixin, View):
    """Objectives and KPIs at a glance, risks by level, processes with their KPI status."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.template.loader import render_to_string

        org = self.organization
        # Every figure and table here covers the whole organization and reads the same for every
        # member (the records any member may see): hundreds of KPI rows with sparklines take a few
        # hundred milliseconds to read and render, so the body is rendered once per state of the
        # organization's data and per day (core/cache.py: any write makes a new key).
        body = cache.for_organization(
            org,
            "planning.dashboard",
            lambda: render_to_string(
                "planning/partials/_dashboard_body.html", dashboard_context(request.user, org)
            ),
        )
        return render(request, "planning/dashboard.html", {"title": "Performance", "body": body})


def dashboard_context(user: Any, org: Any) -> dict[str, Any]:
    kpis = queries.kpi_rows(Kpi.objects.visible_to(user, org).filter(is_active=True).order_by("code"))
    add_sparklines(kpis, with_count=True)
    by_objective: dict[int, list[Kpi]] = {}
    for k in kpis:
        if k.objective_id:
            by_objective.setdefault(k.objective_id, []).append(k)
    objectives = list(
        queries.open_objectives(Objective.objects.visible_to(user, org))
        .select_related("owner")
        .order_by("due_date", "reference")
    )
    for o in objectives:
        o.kpi_list = by_objective.get(o.pk, [])  # type: ignore[attr-defined]
        o.kpi_status = queries.worst_status([k.status for k in o.kpi_list])  # type: ignore[attr-defined]
    processes = list(
        Process.objects.visible_to(user, org).filter(is_active=True).select_related("owner").order_by("code")
    )
    queries.process_kpi_status(processes, kpis)
    risks = Risk.objects.visible_to(user, org)
    by_level = queries.risks_by_level(risks)
    risk_chart = risk_level_chart(by_level)
    counts = {s: sum(1 for k in kpis if k.status == s) for s in KpiStatus.values}
    measured = len(kpis) - counts[KpiStatus.NO_DATA]
    return {
        "title": "Performance",
        "kpis": kpis,
        "objectives": objectives,
        "processes": processes,
        "by_level": by_level,
        "risk_chart": risk_chart,
        "counts": counts,
        "share_on_target": round(100 * counts[KpiStatus.ON_TARGET] / measured) if measured else None,
        "reviews_overdue": queries.reviews_overdue(risks).count(),
    }
