"""CSV and XLSX export of an assessment: one row per element with consensus, target, gap and trend,
then one row per rating once ratings are no longer confidential."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse

from qualitas.assessment import queries
from qualitas.assessment.models import Assessment, Rating
from qualitas.core.tabular.export import FORMATS, table_response

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


def export_response(assessment: Assessment, fmt: str) -> HttpResponse:
    """The assessment as CSV or XLSX (core's writer: formula-like text is made inert)."""
    if fmt not in FORMATS:
        raise Http404("Unknown export format.")
    return table_response(  # type: ignore[return-value]
        f"{assessment.reference}-assessment.{fmt}",
        HEADER,
        rows(assessment),
        fmt,
        sheet=assessment.reference,
        bom=False,
    )
