"""Results of an assessment for the page, the PDF report and the exports."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qualitas.assessment import queries
from qualitas.assessment.models import Assessment
from qualitas.core.charts import Series, radar_chart

CURRENT, TARGET, PREVIOUS = "#1d4e89", "#2a9d5b", "#9aa5b1"


def results_context(assessment: Assessment) -> dict[str, Any]:
    previous = queries.previous_completed(assessment)
    hidden = assessment.ratings_hidden
    rows = [] if hidden else queries.result_rows(assessment, previous)
    computed = queries.compute_indicators(assessment.organization) if rows else []
    for row in rows:
        row.indicators = queries.with_contradictions(queries.indicators_for(row.element, computed), row.level)
    radar = None
    clauses: list[dict[str, Any]] = []
    if rows and any(r.level is not None for r in rows):
        clauses = queries.clause_table(rows, queries.result_rows(previous) if previous is not None else None)
        axes = [c["number"] for c in clauses]
        series = [
            Series("Current", [c["current"] for c in clauses], CURRENT),
            Series("Target", [c["target"] for c in clauses], TARGET, dashed=True),
        ]
        if previous is not None:
            series.append(
                Series(
                    f"Previous ({previous.date:%Y-%m})",
                    [c["previous"] for c in clauses],
                    PREVIOUS,
                    dashed=True,
                )
            )
        desc = "; ".join(
            f"clause {c['number']} {c['title']}: current {c['current'] if c['current'] is not None else '–'}"
            f", target {c['target'] if c['target'] is not None else '–'}"
            for c in clauses
        )
        radar = radar_chart(
            axes, series, title="Maturity per clause: current against target", desc=desc, size=420
        )
    strengths, weaknesses = queries.strengths_and_weaknesses(rows)
    counts = {t: sum(1 for r in rows if r.trend == t) for t in ("up", "down", "same")}
    contradictions = [(r, i) for r in rows for i in r.indicators if i.get("contradicts")]
    return {
        "object": assessment,
        "rows": rows,
        "radar": radar,
        "clauses": clauses,
        "previous": previous,
        "hidden": hidden,
        "strengths": strengths,
        "weaknesses": weaknesses,
        "trend_counts": counts,
        "plan_moves": queries.previous_plan_moves(assessment, previous, rows),
        "contradictions": contradictions,
        "level_names": assessment.maturity_model.level_names,
        "rated": sum(1 for r in rows if r.level is not None),
    }


def report_pdf(assessment: Assessment, request: Any = None) -> bytes:
    from weasyprint import HTML

    context = {**results_context(assessment), "generated": timezone.now()}
    html = render_to_string("assessment/assessment_report.html", context, request=request)
    return HTML(string=html, base_url=request.build_absolute_uri("/") if request else None).write_pdf()
