from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin
from qualitas.planning import queries, services
from qualitas.planning.api import serializers as s
from qualitas.planning.choices import MeasurementSource
from qualitas.planning.filters import (
    ContextIssueFilterSet,
    InterestedPartyFilterSet,
    KpiFilterSet,
    MeasurementFilterSet,
    ObjectiveFilterSet,
    ProcessFilterSet,
    RiskFilterSet,
)
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    PlanningSettings,
    PolicyCommunication,
    Process,
    ProcessInteraction,
    QualityPolicy,
    Risk,
)


class ProcessViewSet(TenantModelViewSet):
    """Processes of the QMS (ISO 9001 4.4)."""

    model = Process
    queryset = Process.objects.none()
    serializer_class = s.ProcessSerializer
    filterset_class = ProcessFilterSet
    select_related = ("owner",)
    ordering_fields = ["code", "name", "process_type"]
    create_service = staticmethod(services.create_process)
    update_service = staticmethod(services.update_process)
    delete_service = staticmethod(services.delete_process)


class ProcessInteractionViewSet(TenantModelViewSet):
    """Which process's output feeds which (the process map's arrows)."""

    model = ProcessInteraction
    queryset = ProcessInteraction.objects.none()
    serializer_class = s.ProcessInteractionSerializer
    select_related = ("source", "target")
    http_method_names = ["get", "post", "delete", "head", "options"]
    create_service = staticmethod(services.create_interaction)


class ContextIssueViewSet(TenantModelViewSet):
    """Internal and external issues (ISO 9001 4.1)."""

    model = ContextIssue
    queryset = ContextIssue.objects.none()
    serializer_class = s.ContextIssueSerializer
    filterset_class = ContextIssueFilterSet
    delete_service = staticmethod(services.delete_context_issue)


class InterestedPartyViewSet(TenantModelViewSet):
    """Interested parties and their requirements (ISO 9001 4.2)."""

    model = InterestedParty
    queryset = InterestedParty.objects.none()
    serializer_class = s.InterestedPartySerializer
    filterset_class = InterestedPartyFilterSet
    delete_service = staticmethod(services.delete_party)


class IdentityViewSet(TenantModelViewSet):
    """Mission, vision, values and culture (one record per organization)."""

    model = Identity
    queryset = Identity.objects.none()
    serializer_class = s.IdentitySerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    create_service = staticmethod(services.create_identity)


class QualityPolicyViewSet(TransitionMixin, TenantModelViewSet):
    """The quality policy: drafts, the approved one, superseded ones (transition: approve, withdraw)."""

    model = QualityPolicy
    queryset = QualityPolicy.objects.none()
    serializer_class = s.QualityPolicySerializer
    select_related = ("approved_by",)
    create_service = staticmethod(services.create_policy)
    update_service = staticmethod(services.update_policy)
    delete_service = staticmethod(services.delete_policy)
    transition_service = staticmethod(services.transition_policy)


class PolicyCommunicationViewSet(TenantModelViewSet):
    """How and to whom the approved policy was communicated."""

    model = PolicyCommunication
    queryset = PolicyCommunication.objects.none()
    serializer_class = s.PolicyCommunicationSerializer
    create_service = staticmethod(services.create_communication)
    update_service = staticmethod(services.update_communication)


class PlanningSettingsViewSet(TenantModelViewSet):
    """The risk matrix size (3 to 5) of the organization."""

    model = PlanningSettings
    queryset = PlanningSettings.objects.none()
    serializer_class = s.PlanningSettingsSerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    create_service = staticmethod(services.create_settings)
    update_service = staticmethod(services.update_settings_record)


class RiskViewSet(TransitionMixin, TenantModelViewSet):
    """Risks and opportunities in one register (transition: accept, reopen, close)."""

    model = Risk
    queryset = Risk.objects.none()
    serializer_class = s.RiskSerializer
    filterset_class = RiskFilterSet
    select_related = ("owner",)
    ordering_fields = ["reference", "inherent_score", "residual_score", "review_date", "status"]
    create_service = staticmethod(services.create_risk)
    update_service = staticmethod(services.update_risk)
    transition_service = staticmethod(services.transition_risk)


class ObjectiveViewSet(TenantModelViewSet):
    """Quality objectives (ISO 9001 6.2)."""

    model = Objective
    queryset = Objective.objects.none()
    serializer_class = s.ObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    ordering_fields = ["reference", "due_date", "status"]
    create_service = staticmethod(services.create_objective)
    update_service = staticmethod(services.update_objective)


class KpiViewSet(TenantModelViewSet):
    """KPIs with their latest value and status (on_target, at_risk, off_target, no_data)."""

    model = Kpi
    queryset = Kpi.objects.none()
    serializer_class = s.KpiSerializer
    filterset_class = KpiFilterSet
    ordering_fields = ["code", "name"]
    create_service = staticmethod(services.create_kpi)
    update_service = staticmethod(services.update_kpi)
    delete_service = staticmethod(services.delete_kpi)

    def get_queryset(self) -> Any:
        return queries.with_latest(super().get_queryset())


class MeasurementViewSet(TenantModelViewSet):
    """KPI values. POST one value here, or many at once to ``batch/`` (all or nothing)."""

    model = Measurement
    queryset = Measurement.objects.none()
    serializer_class = s.MeasurementSerializer
    filterset_class = MeasurementFilterSet
    select_related = ("kpi",)
    ordering_fields = ["period", "value"]
    create_service = staticmethod(services.create_measurement)
    update_service = staticmethod(services.update_measurement)

    @extend_schema(
        request=s.MeasurementBatchSerializer,
        responses={201: s.MeasurementBatchResultSerializer},
        summary="Record many KPI values at once; any bad row rejects the whole batch",
    )
    @action(detail=False, methods=["post"])
    def batch(self, request: Request) -> Response:
        body = s.MeasurementBatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        org = request.organization  # type: ignore[attr-defined]
        kpis = Kpi.objects.visible_to(request.user, org)
        by_code = {k.code.lower(): k for k in kpis}
        by_id = {str(k.pk): k for k in by_code.values()}
        rows, errors = [], {}
        for n, row in enumerate(body.validated_data["measurements"], start=1):
            key = str(row["kpi"]).strip()
            kpi = by_id.get(key) or by_code.get(key.lower())
            if kpi is None:
                errors[n] = [f"unknown KPI “{key}”"]
                continue
            rows.append({**row, "kpi": kpi})
        if errors:
            raise services.MeasurementErrors(errors)
        created = services.record_measurements(
            org, actor=request.user, rows=rows, source=MeasurementSource.API
        )
        data = {
            "created": len(created),
            "measurements": s.MeasurementSerializer(created, many=True, context={"request": request}).data,
        }
        return Response(data, status=status.HTTP_201_CREATED)
