"""CSV and XLSX export of an assessment: one row per element with consensus, target, gap and trend,
then one row per rating once ratings are no longer confidential."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpResponse

from qualitas.assessment import queries
from qualitas.assessment.models import Assessment, Rating

HEADER = [
    "section",
    "clause",
    "element",
    "title",
    "level",
    "target",
    "gap",
    "previous",
    "trend",
    "assessor",
    "comment_or_reasoning",
    "evidence",
]


def rows(assessment: Assessment) -> list[list[Any]]:
    out: list[list[Any]] = []
    if assessment.ratings_hidden:
        return out
    previous = queries.previous_completed(assessment)
    for r in queries.result_rows(assessment, previous):
        out.append(
            [
                "consensus",
                r.element.clause,
                r.element.number,
                r.element.title,
                r.level,
                r.target,
                r.gap,
                r.previous,
                r.trend,
                "",
                r.result.reasoning if r.result else "",
                "",
            ]
        )
    for rating in (
        Rating.objects.filter(assessment=assessment)
        .select_related("element", "assessor")
        .order_by("element__position", "assessor__full_name")
    ):
        out.append(
            [
                "rating",
                rating.element.clause,
                rating.element.number,
                rating.element.title,
                rating.level,
                "",
                "",
                "",
                "",
                str(rating.assessor),
                rating.comment,
                " ".join(rating.evidence_links),
            ]
        )
    return out


def _safe(value: Any) -> Any:
    # Spreadsheet formula injection: a cell that starts like a formula is written as text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def export_response(assessment: Assessment, fmt: str) -> HttpResponse:
    data = [[_safe(v) for v in row] for row in rows(assessment)]
    name = f"{assessment.reference}-assessment"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows([["" if v is None else v for v in row] for row in data])
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = assessment.reference[:31]
        ws.append(HEADER)
        for row in data:
            ws.append(row)
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404("Unknown export format.")
