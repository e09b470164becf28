"""Read side of the assessment area: the catalog, scope of an assessment, spread, results,
comparison and evidence-based indicators."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from qualitas.assessment import rules
from qualitas.assessment.choices import AssessmentMode, AssessmentStatus, ElementKind
from qualitas.assessment.models import (
    Assessment,
    Assessor,
    Criterion,
    Element,
    ElementResult,
    Level,
    MaturityModel,
    Rating,
)
from qualitas.core.registry import registry

log = logging.getLogger(__name__)
DEFAULT_MODEL = "iso9004-2018"


# --- catalog (shared by all organizations) --------------------------------------------------------


def maturity_models() -> QuerySet[MaturityModel]:
    return MaturityModel.objects.all()


def maturity_model(code: str) -> MaturityModel | None:
    return MaturityModel.objects.filter(code=code).first()


def default_model() -> MaturityModel | None:
    return maturity_model(DEFAULT_MODEL) or MaturityModel.objects.order_by("pk").first()


def elements_with_levels(qs: QuerySet[Element]) -> QuerySet[Element]:
    return qs.prefetch_related(
        Prefetch(
            "levels",
            queryset=Level.objects.prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("position"))
            ).order_by("number"),
        )
    )


def scope_elements(maturity: MaturityModel, mode: str) -> QuerySet[Element]:
    qs = Element.objects.filter(maturity_model=maturity).order_by("position")
    if mode == AssessmentMode.QUICK:
        return qs.filter(kind=ElementKind.KEY)
    qs = qs.filter(kind=ElementKind.ELEMENT)
    if mode == AssessmentMode.SMALL:
        return qs.filter(number__in=(maturity.profiles or {}).get("small", []))
    return qs


def elements_in_scope(assessment: Assessment) -> QuerySet[Element]:
    return scope_elements(assessment.maturity_model, assessment.mode)


# --- ratings, spread, consensus -------------------------------------------------------------------


def assessor_for(assessment: Assessment, user: Any) -> Assessor | None:
    return Assessor.objects.filter(assessment=assessment, user=user).first()


def my_ratings(assessment: Assessment, user: Any) -> dict[int, Rating]:
    return {r.element_id: r for r in Rating.objects.filter(assessment=assessment, assessor=user)}


def progress(assessment: Assessment) -> list[dict[str, Any]]:
    """Per assessor: how many elements rated and whether submitted (never the levels themselves)."""
    from django.db.models import Count

    total = elements_in_scope(assessment).count()
    counts = dict(
        Rating.objects.filter(assessment=assessment).values_list("assessor").annotate(n=Count("pk"))
    )
    return [
        {"assessor": a, "rated": counts.get(a.user_id, 0), "total": total}
        for a in assessment.assessors.select_related("user")
    ]


@dataclass
class SpreadRow:
    element: Element
    ratings: list[Rating]
    spread: rules.Spread
    result: ElementResult | None = None
    indicators: list[dict[str, Any]] = field(default_factory=list)


def spread_rows(assessment: Assessment, *, sort: bool = True) -> list[SpreadRow]:
    """Every element in scope with all ratings and their spread, most disagreement first."""
    elements = list(elements_in_scope(assessment))
    ratings: dict[int, list[Rating]] = {}
    for r in (
        Rating.objects.filter(assessment=assessment)
        .select_related("assessor")
        .order_by("assessor__full_name")
    ):
        ratings.setdefault(r.element_id, []).append(r)
    results = {r.element_id: r for r in ElementResult.objects.filter(assessment=assessment)}
    rows = [
        SpreadRow(
            e, ratings.get(e.pk, []), rules.spread(r.level for r in ratings.get(e.pk, [])), results.get(e.pk)
        )
        for e in elements
    ]
    if sort:
        order = rules.by_disagreement({str(row.element.pk): row.spread for row in rows})
        by_key = {str(row.element.pk): row for row in rows}
        rows = [by_key[k] for k in order]
    return rows


def missing_consensus(assessment: Assessment) -> list[str]:
    done = set(
        ElementResult.objects.filter(assessment=assessment, level__isnull=False).values_list(
            "element_id", flat=True
        )
    )
    return [e.number for e in elements_in_scope(assessment) if e.pk not in done]


# --- results, comparison --------------------------------------------------------------------------


def previous_completed(assessment: Assessment) -> Assessment | None:
    return (
        Assessment.objects.filter(
            organization=assessment.organization,
            status=AssessmentStatus.COMPLETED,
            maturity_model=assessment.maturity_model,
            date__lt=assessment.date,
        )
        .exclude(pk=assessment.pk)
        .order_by("-date", "-pk")
        .first()
    )


def levels_by_number(assessment: Assessment | None) -> dict[str, int | None]:
    if assessment is None:
        return {}
    return dict(ElementResult.objects.filter(assessment=assessment).values_list("element__number", "level"))


@dataclass
class ResultRow:
    element: Element
    result: ElementResult | None
    level: int | None
    target: int | None
    gap: int | None
    previous: int | None
    trend: str
    actions: list[Any] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)


def actions_for_results(organization: Any, result_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The improvement actions whose subject is one of these element results (one query)."""
    from qualitas.actions.queries import actions_about_any

    found: dict[int, list[Any]] = {}
    for a in actions_about_any(organization, ElementResult, result_ids).order_by("due_date"):
        if a.subject_id is not None:  # always set: the filter names the subjects
            found.setdefault(a.subject_id, []).append(a)
    return found


def result_rows(assessment: Assessment, previous: Assessment | None = None) -> list[ResultRow]:
    elements = list(elements_in_scope(assessment))
    results = {r.element_id: r for r in ElementResult.objects.filter(assessment=assessment)}
    before = levels_by_number(previous)
    actions = actions_for_results(assessment.organization, [r.pk for r in results.values()])
    rows = []
    for e in elements:
        res = results.get(e.pk)
        level = res.level if res else None
        target = res.target_level if res else None
        prev = before.get(e.number)
        rows.append(
            ResultRow(
                e,
                res,
                level,
                target,
                rules.gap(level, target),
                prev,
                rules.trend(level, prev) if previous else "none",
                actions.get(res.pk, []) if res else [],
            )
        )
    return rows


def short_title(title: str) -> str:
    """A radar axis label: "Context of an organization" becomes "Context"."""
    import re

    return re.split(r" of |,| and ", title, maxsplit=1)[0].strip()


def clause_table(rows: list[ResultRow], previous_rows: list[ResultRow] | None = None) -> list[dict[str, Any]]:
    """Per clause: title, mean current level, mean target and the previous assessment's mean (the radar)."""
    clause_of = {r.element.number: r.element.clause for r in rows}
    titles: dict[str, str] = {}
    for r in rows:
        titles.setdefault(r.element.clause, r.element.clause_title)
    current = rules.clause_levels({r.element.number: r.level for r in rows}, clause_of)
    target = rules.clause_levels({r.element.number: r.target for r in rows}, clause_of)
    before: dict[str, float | None] = {}
    if previous_rows:
        before = rules.clause_levels(
            {r.element.number: r.level for r in previous_rows},
            {r.element.number: r.element.clause for r in previous_rows},
        )
    return [
        {
            "number": c,
            "title": titles[c],
            "short": short_title(titles[c]),
            "current": current.get(c),
            "target": target.get(c),
            "previous": before.get(c),
        }
        for c in titles
    ]


def strengths_and_weaknesses(rows: list[ResultRow], n: int = 5) -> tuple[list[ResultRow], list[ResultRow]]:
    rated = [r for r in rows if r.level is not None]
    strengths = sorted(rated, key=lambda r: (-(r.level or 0), r.element.position))[:n]
    weak = sorted(
        [r for r in rated if r.gap], key=lambda r: (-(r.gap or 0), r.level or 0, r.element.position)
    )[:n]
    return strengths, weak


def previous_plan_moves(
    assessment: Assessment, previous: Assessment | None, rows: list[ResultRow]
) -> list[dict[str, Any]]:
    """The elements the previous assessment chose as priorities, and whether they moved since."""
    if previous is None:
        return []
    now = {r.element.number: r.level for r in rows}
    prior = ElementResult.objects.filter(assessment=previous, is_priority=True).select_related("element")
    actions = actions_for_results(previous.organization, [p.pk for p in prior])
    out = []
    for p in prior:
        done = sum(1 for a in actions.get(p.pk, []) if a.status == "done")
        out.append(
            {
                "element": p.element,
                "before": p.level,
                "now": now.get(p.element.number),
                "trend": rules.trend(now.get(p.element.number), p.level),
                "actions": actions.get(p.pk, []),
                "done": done,
            }
        )
    return out


# --- evidence-based indicators --------------------------------------------------------------------


def compute_indicators(organization: Any) -> list[dict[str, Any]]:
    """Every registered indicator computed once (a failing one shows as unavailable, never a 500)."""
    out = []
    for key, ind in sorted(registry.indicators.items()):
        try:
            value = dict(ind.compute(organization) or {})
        except Exception:
            log.exception("indicator %s failed", key)
            value = {"display": "unavailable", "suggested_level": None, "detail": "Could not be computed."}
        out.append({"key": key, "label": ind.label, "elements": tuple(ind.elements), **value})
    return out


def indicators_for(element: Element, computed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Indicators that concern an element (a key question takes all indicators of its clause)."""
    if element.kind == ElementKind.KEY:
        return [
            i
            for i in computed
            if any(n == element.clause or n.startswith(element.clause + ".") for n in i["elements"])
        ]
    return [i for i in computed if element.number in i["elements"]]


def with_contradictions(indicators: list[dict[str, Any]], level: int | None) -> list[dict[str, Any]]:
    return [{**i, "contradicts": rules.contradicts(level, i.get("suggested_level"))} for i in indicators]


def ratings_owed(organization: Any, user: Any) -> list[Assessor]:
    return list(
        Assessor.objects.filter(
            organization=organization,
            user=user,
            submitted_at__isnull=True,
            assessment__status=AssessmentStatus.RATING,
        )
        .select_related("assessment")
        .order_by("assessment__date")
    )
