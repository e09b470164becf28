from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.assessment import queries, rules, services
from qualitas.assessment.api.serializers import (
    AssessmentSerializer,
    ElementResultSerializer,
    MaturityModelDetailSerializer,
    MaturityModelSerializer,
    RatingSerializer,
    ResultsSerializer,
)
from qualitas.assessment.filters import AssessmentFilterSet, RatingFilterSet
from qualitas.assessment.models import Assessment, ElementResult, Rating
from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin


class MaturityModelViewSet(viewsets.ReadOnlyModelViewSet):
    """Maturity models (catalog shared by every organization): elements, levels and criteria."""

    lookup_field = "code"
    pagination_class = None

    def get_queryset(self) -> QuerySet:
        qs = queries.maturity_models()
        if self.action == "retrieve":
            qs = qs.prefetch_related("elements__levels__criteria")
        return qs

    def get_serializer_class(self) -> Any:
        return MaturityModelDetailSerializer if self.action == "retrieve" else MaturityModelSerializer


class AssessmentViewSet(TransitionMixin, TenantModelViewSet):
    """ISO 9004 self-assessments: scope, date, facilitator, mode, status, assessors."""

    model = Assessment
    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilterSet
    select_related = ("facilitator", "maturity_model")
    prefetch_related = ("assessors__user",)
    ordering_fields = ["date", "reference", "status"]
    create_service = staticmethod(services.create_assessment)
    update_service = staticmethod(services.update_assessment)
    delete_service = staticmethod(services.delete_assessment)
    transition_service = staticmethod(services.transition_assessment)

    @extend_schema(
        responses=ResultsSerializer, summary="Consensus, target, gap, trend and evidence per element"
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def results(self, request: Request, pk: str | None = None) -> Response:
        assessment = self.get_object()
        previous = queries.previous_completed(assessment)
        rows = [] if assessment.ratings_hidden else queries.result_rows(assessment, previous)
        spreads = {r.element.pk: r for r in queries.spread_rows(assessment, sort=False)} if rows else {}
        computed = queries.compute_indicators(assessment.organization) if rows else []
        clause_of = {r.element.number: r.element.clause for r in rows}
        body = {
            "assessment": assessment.reference,
            "previous": previous.reference if previous else None,
            "clauses": rules.clause_levels({r.element.number: r.level for r in rows}, clause_of),
            "targets": rules.clause_levels({r.element.number: r.target for r in rows}, clause_of),
            "elements": [
                {
                    "element": r.element.number,
                    "title": r.element.title,
                    "clause": r.element.clause,
                    "level": r.level,
                    "target": r.target,
                    "gap": r.gap,
                    "previous": r.previous,
                    "trend": r.trend,
                    "ratings": [x.level for x in spreads[r.element.pk].ratings],
                    "stdev": spreads[r.element.pk].spread.stdev,
                    "indicators": [
                        {k: i.get(k) for k in ("key", "label", "display", "suggested_level", "contradicts")}
                        for i in queries.with_contradictions(
                            queries.indicators_for(r.element, computed), r.level
                        )
                    ],
                }
                for r in rows
            ],
        }
        return Response(ResultsSerializer(body).data)


class RatingViewSet(TenantModelViewSet):
    """Ratings. Until consensus opens you see and change only your own; afterwards all are visible."""

    model = Rating
    queryset = Rating.objects.none()
    serializer_class = RatingSerializer
    filterset_class = RatingFilterSet
    select_related = ("assessor", "element")
    http_method_names = ["get", "post", "patch", "head", "options"]
    create_service = staticmethod(services.create_rating)
    update_service = staticmethod(services.update_rating)


class ElementResultViewSet(TenantModelViewSet):
    """Consensus per element: level, reasoning, target level, improvement priority."""

    model = ElementResult
    queryset = ElementResult.objects.none()
    serializer_class = ElementResultSerializer
    select_related = ("element", "assessment")
    http_method_names = ["get", "patch", "head", "options"]
    update_service = staticmethod(services.update_result)
    filterset_fields = ["assessment", "is_priority"]
