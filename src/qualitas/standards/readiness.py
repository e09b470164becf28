"""Certification readiness: how far each applicable ISO 9001 requirement is implemented and proven.

Everything is computed with a fixed number of SQL queries (aggregates per clause group and per
section, one row query for the gap list, one query per registered evidence source), so the cost does
not grow with the number of requirements, links or attachments.

Score of one applicable requirement: not started 0, in progress 0.5, implemented 1, verified by audit 1.
A group's (and the overall) percentage is the mean score of its applicable requirements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    Exists,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone

from qualitas.core.models import Attachment
from qualitas.core.registry import registry
from qualitas.standards.choices import GROUP_TITLES, ISO9001, RequirementStatus
from qualitas.standards.models import Clause, EvidenceLink, Requirement

DONE = [RequirementStatus.IMPLEMENTED, RequirementStatus.VERIFIED]
SHORT_TITLES = {"9": "Evaluation"}


@dataclass(frozen=True)
class Gap:
    number: str
    title: str
    kind: str  # no_status | no_owner | no_evidence | implemented_without_evidence | overdue | missing_di
    message: str
    url: str
    owner: str = ""
    target_date: dt.date | None = None


GAP_LABELS = {
    "no_status": "Not started",
    "no_owner": "No owner",
    "no_evidence": "No evidence",
    "implemented_without_evidence": "Implemented without evidence",
    "overdue": "Target date passed",
    "missing_di": "Documented information missing",
}


def _base(organization: Any) -> QuerySet[Clause]:
    return Clause.objects.filter(standard__code=ISO9001, is_auditable=True).annotate(
        req=FilteredRelation("requirements", condition=Q(requirements__organization=organization))
    )


APPLICABLE = Q(req__isnull=True) | Q(req__applicable=True)


def _score() -> Case:
    return Case(
        When(APPLICABLE & Q(req__status__in=DONE), then=Value(1.0)),
        When(APPLICABLE & Q(req__status=RequirementStatus.IN_PROGRESS), then=Value(0.5)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def _aggregates(organization: Any, key: str) -> dict[str, dict[str, Any]]:
    rows = (
        _base(organization)
        .values(key)
        .annotate(
            total=Count("pk"),
            applicable=Count("pk", filter=APPLICABLE),
            done=Count("pk", filter=APPLICABLE & Q(req__status__in=DONE)),
            verified=Count("pk", filter=APPLICABLE & Q(req__status=RequirementStatus.VERIFIED)),
            in_progress=Count("pk", filter=APPLICABLE & Q(req__status=RequirementStatus.IN_PROGRESS)),
            score_sum=Sum(_score()),
        )
        .order_by()
    )
    return {r[key]: r for r in rows}


def automatic_evidence(organization: Any) -> dict[str, list[dict[str, Any]]]:
    """Clause number -> summaries of the registered evidence sources that cover it (one call per source)."""
    by_clause: dict[str, list[dict[str, Any]]] = {}
    for key, source in sorted(registry.evidence_sources.items()):
        try:
            summary = dict(source.summarize(organization))
        except Exception:
            summary = {"count": 0, "url": "", "items": [], "error": True}
        summary.update({"key": key, "label": source.label})
        for number in source.clauses:
            by_clause.setdefault(number, []).append(summary)
    return by_clause


def automatic_for(number: str, auto: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Sources naming the clause or one of its headings ("8.5" covers 8.5.1), each once."""
    parts = number.split(".")
    found: dict[str, dict[str, Any]] = {}
    for i in range(len(parts), 0, -1):
        for summary in auto.get(".".join(parts[:i]), []):
            found.setdefault(summary["key"], summary)
    return list(found.values())


def _auto_numbers(auto: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Clause numbers proven automatically; a source naming a heading ("8.5") covers its subclauses."""
    return {n for n, items in auto.items() if any((s.get("count") or 0) > 0 for s in items)}


def _covered(number: str, auto_numbers: set[str]) -> bool:
    parts = number.split(".")
    return any(".".join(parts[:i]) in auto_numbers for i in range(1, len(parts) + 1))


def clause_rows(organization: Any) -> list[dict[str, Any]]:
    """One row per auditable clause with the organization's requirement fields and evidence flags."""
    req_ct = ContentType.objects.get_for_model(Requirement)
    links = EvidenceLink.objects.filter(organization=organization, requirement__clause=OuterRef("pk"))
    req_ids = Requirement.objects.filter(organization=organization, clause=OuterRef(OuterRef("pk"))).values(
        "pk"
    )
    files = Attachment.objects.filter(organization=organization, content_type=req_ct, object_id__in=req_ids)
    return list(
        _base(organization)
        .annotate(has_link=Exists(links), has_file=Exists(files))
        .values(
            "number",
            "title",
            "group",
            "section",
            "sort_key",
            "documented_information",
            "documented_information_note",
            "req__id",
            "req__applicable",
            "req__justification",
            "req__status",
            "req__owner_id",
            "req__owner__full_name",
            "req__owner__username",
            "req__target_date",
            "has_link",
            "has_file",
        )
        .order_by("sort_key")
    )


def compute(organization: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    groups_raw = _aggregates(organization, "group")
    sections_raw = _aggregates(organization, "section")
    auto = automatic_evidence(organization)
    auto_numbers = _auto_numbers(auto)
    rows = clause_rows(organization)

    def pct(r: dict[str, Any] | None) -> float | None:
        if not r or not r["applicable"]:
            return None
        return (r["score_sum"] or 0.0) / r["applicable"]

    groups: list[dict[str, Any]] = []
    for g in sorted(groups_raw, key=lambda s: int(s)):
        r = groups_raw[g]
        groups.append(
            {
                "group": g,
                "title": GROUP_TITLES.get(g, g),
                "applicable": r["applicable"],
                "total": r["total"],
                "done": r["done"],
                "verified": r["verified"],
                "in_progress": r["in_progress"],
                "score": pct(r) or 0.0,
                "not_applicable": r["total"] - r["applicable"],
            }
        )
    applicable = sum(g["applicable"] for g in groups)
    score_sum = sum((groups_raw[g["group"]]["score_sum"] or 0.0) for g in groups)

    gaps: list[Gap] = []
    for row in rows:
        if row["req__id"] is not None and row["req__applicable"] is False:
            continue
        number = row["number"]
        url = reverse("standards:clause", args=[number])
        evidenced = row["has_link"] or row["has_file"] or _covered(number, auto_numbers)
        status = row["req__status"] or RequirementStatus.NOT_STARTED
        owner = row["req__owner__full_name"] or row["req__owner__username"] or ""
        target = row["req__target_date"]
        common = {"number": number, "title": row["title"], "url": url, "owner": owner, "target_date": target}
        if status == RequirementStatus.NOT_STARTED:
            gaps.append(Gap(kind="no_status", message="No work recorded yet.", **common))
        if not row["req__owner_id"]:
            gaps.append(Gap(kind="no_owner", message="Nobody is responsible.", **common))
        if not evidenced:
            if status in DONE:
                gaps.append(
                    Gap(
                        kind="implemented_without_evidence",
                        message="Marked implemented, but no record or file proves it.",
                        **common,
                    )
                )
            elif row["documented_information"]:
                gaps.append(
                    Gap(
                        kind="missing_di",
                        message="The standard expects documented information "
                        f"({row['documented_information']}): {row['documented_information_note']}",
                        **common,
                    )
                )
            else:
                gaps.append(Gap(kind="no_evidence", message="No evidence linked.", **common))
        elif row["documented_information"] and not (row["has_link"] or row["has_file"]) and status in DONE:
            pass  # proven by an automatic source; fine
        if target and target < today and status not in DONE:
            gaps.append(Gap(kind="overdue", message=f"Target date {target:%Y-%m-%d} has passed.", **common))

    heat_rows, heat_cells, heat_labels, heat_links = [], [], [], []
    width = 0
    sections_by_group: dict[str, list[str]] = {}
    for s in sorted(sections_raw, key=lambda n: [int(p) for p in n.split(".")]):
        sections_by_group.setdefault(s.split(".")[0], []).append(s)
    for grp in groups:
        secs = sections_by_group.get(grp["group"], [])
        width = max(width, len(secs))
    for grp in groups:
        secs = sections_by_group.get(grp["group"], [])
        heat_rows.append(f"{grp['group']} {SHORT_TITLES.get(grp['group'], grp['title'])}")
        cells: list[float | None] = []
        labels: list[str] = []
        links: list[str] = []
        for s in secs:
            value = pct(sections_raw[s])
            cells.append(value)
            labels.append("N/A" if value is None else f"{round(value * 100)}%")
            links.append(reverse("standards:clause", args=[s]))
        while len(cells) < width:
            cells.append(None)
            labels.append("")
            links.append("")
        heat_cells.append(cells)
        heat_labels.append(labels)
        heat_links.append(links)
    section_scores = {s: pct(sections_raw[s]) for s in sections_raw}
    return {
        "overall": (score_sum / applicable) if applicable else 0.0,
        "applicable": applicable,
        "done": sum(g["done"] for g in groups),
        "verified": sum(g["verified"] for g in groups),
        "in_progress": sum(g["in_progress"] for g in groups),
        "not_applicable": sum(g["not_applicable"] for g in groups),
        "groups": groups,
        "sections": section_scores,
        "gaps": gaps,
        "gap_count": len(gaps),
        "gap_counts": {k: sum(1 for gp in gaps if gp.kind == k) for k in GAP_LABELS},
        "heatmap": {
            "rows": heat_rows,
            "cols": [f"x.{i + 1}" for i in range(width)],
            "cells": heat_cells,
            "labels": heat_labels,
            "links": heat_links,
        },
        "rows": rows,
        "automatic": auto,
    }
