from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualitas.core import audit
from qualitas.core.api.viewsets import TenantModelViewSet, TenantViewSetMixin
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can
from qualitas.standards import services, soa
from qualitas.standards.api.serializers import (
    ApplicabilitySerializer,
    EvidenceLinkSerializer,
    LegacyProcedureSerializer,
    ReadinessSerializer,
    RequirementSerializer,
    ScopeStatementSerializer,
    SoaSerializer,
)
from qualitas.standards.filters import RequirementFilterSet
from qualitas.standards.models import (
    EvidenceLink,
    LegacyProcedure,
    ReadinessSnapshot,
    Requirement,
    ScopeStatement,
)


class RequirementViewSet(TenantModelViewSet):
    """The organization's ISO 9001 requirements: status, owner, target date, notes (applicability: see
    /api/statement-of-applicability/)."""

    model = Requirement
    queryset = Requirement.objects.none()
    serializer_class = RequirementSerializer
    filterset_class = RequirementFilterSet
    select_related = ("clause", "owner")
    ordering = ["clause__sort_key"]
    http_method_names = ["get", "patch", "head", "options"]
    update_service = staticmethod(services.update_requirement)


class EvidenceLinkViewSet(
    TenantViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Links from a requirement to any record of the same organization that proves it."""

    model = EvidenceLink
    queryset = EvidenceLink.objects.none()
    serializer_class = EvidenceLinkSerializer
    select_related = ("content_type", "requirement")
    filterset_fields = ["requirement"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        requirement = data["requirement"]
        try:
            model = apps.get_model(data["record_type"])
        except (LookupError, ValueError):
            raise ValidationError({"record_type": "Unknown kind of record."}) from None
        manager = getattr(model, "objects", None)
        if manager is None or not hasattr(manager, "visible_to"):
            raise ValidationError({"record_type": "Only records of the quality system can be linked."})
        target = (
            manager.visible_to(self.request.user, self.request.organization)
            .filter(pk=data["record_id"])
            .first()
        )
        if target is None:
            raise ValidationError({"record_id": "No such record in this organization."})
        serializer.instance = services.link_evidence(
            requirement, target, actor=self.request.user, note=data.get("note", "")
        )

    def perform_destroy(self, instance: EvidenceLink) -> None:
        if not can(self.request.user, self.request.organization, "delete", instance):
            raise NotAllowed()
        services.unlink_evidence(
            instance, actor=self.request.user, reason=self.request.query_params.get("reason", "")
        )


class ScopeStatementViewSet(TenantModelViewSet):
    """The scope statement (one per organization). POST creates it and the requirements; PATCH changes it."""

    model = ScopeStatement
    queryset = ScopeStatement.objects.none()
    serializer_class = ScopeStatementSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer: Any) -> None:
        serializer.instance, _w = services.save_scope(
            self.request.organization,
            actor=self.request.user,
            data=serializer.service_data(),
            design_justification=serializer.validated_data.get("design_justification", ""),
        )

    def perform_update(self, serializer: Any) -> None:
        serializer.instance, _w = services.save_scope(
            self.request.organization,
            actor=self.request.user,
            data=serializer.service_data(),
            expected_version=serializer.validated_data.get("version"),
            reason=serializer.validated_data.get("reason", ""),
            design_justification=serializer.validated_data.get("design_justification", ""),
        )


class LegacyProcedureViewSet(TenantModelViewSet):
    """Old procedures structured on the 1994 elements, with the ISO 9001:2015 clauses they land in."""

    model = LegacyProcedure
    queryset = LegacyProcedure.objects.none()
    serializer_class = LegacyProcedureSerializer
    select_related = ("element",)
    ordering = ["reference"]
    create_service = staticmethod(services.create_legacy_procedure)
    update_service = staticmethod(services.update_legacy_procedure)


class _OrgAPIView(APIView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        audit.set_source("api")
        super().initial(request, *args, **kwargs)
        if not can(request.user, getattr(request, "organization", None), "view", Requirement):
            raise NotAllowed()


class StatementOfApplicabilityView(_OrgAPIView):
    """Every ISO 9001 clause with its applicability and justification; POST changes one clause."""

    @extend_schema(responses=SoaSerializer, summary="The statement of applicability")
    def get(self, request: Request) -> Response:
        data = soa.statement(request.organization)  # type: ignore[attr-defined]
        scope = data["scope"]
        return Response(
            SoaSerializer(
                {
                    "profile": scope.profile if scope else None,
                    "statement": scope.statement if scope else None,
                    "rows": data["rows"],
                }
            ).data
        )

    @extend_schema(
        request=ApplicabilitySerializer,
        responses=SoaSerializer,
        summary="Declare a clause applicable or not (a justification is required for N/A)",
    )
    def post(self, request: Request) -> Response:
        body = ApplicabilitySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        warnings = services.set_applicability(
            request.organization,  # type: ignore[attr-defined]
            body.validated_data["clause"],
            actor=request.user,
            applicable=body.validated_data["applicable"],
            justification=body.validated_data.get("justification", ""),
            reason=body.validated_data.get("reason", ""),
        )
        response = self.get(request)
        response.data["warnings"] = warnings
        return response


class ReadinessView(_OrgAPIView):
    """Readiness figures: overall and per clause group, sections (heat map), gaps and the trend."""

    @extend_schema(responses=ReadinessSerializer, summary="Certification readiness figures")
    def get(self, request: Request) -> Response:
        from qualitas.standards import readiness

        org = request.organization  # type: ignore[attr-defined]
        figures = readiness.compute(org)
        services.record_snapshot(org, figures)
        trend = list(ReadinessSnapshot.objects.filter(organization=org).order_by("-date")[:365])[::-1]
        return Response(ReadinessSerializer({**figures, "trend": trend}).data)
