from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.audits import services
from qualitas.audits.api.serializers import (
    AuditorSerializer,
    AuditSerializer,
    ChecklistItemSerializer,
    FindingSerializer,
    ProgrammeSerializer,
    VerifySerializer,
)
from qualitas.audits.filters import AuditFilterSet, FindingFilterSet
from qualitas.audits.models import Audit, Auditor, AuditProgramme, ChecklistItem, Finding
from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin
from qualitas.core.views import get_for_request


class AuditProgrammeViewSet(TenantModelViewSet):
    """Audit programmes: the cycle (often three years) over which every process and clause is audited."""

    model = AuditProgramme
    queryset = AuditProgramme.objects.none()
    serializer_class = ProgrammeSerializer
    delete_service = staticmethod(services.delete_programme)


class AuditorViewSet(TenantModelViewSet):
    """The internal auditor register: qualifications, training and own processes (impartiality)."""

    model = Auditor
    queryset = Auditor.objects.none()
    serializer_class = AuditorSerializer
    select_related = ("user",)
    prefetch_related = ("own_processes",)
    create_service = staticmethod(services.create_auditor)
    update_service = staticmethod(services.update_auditor)
    delete_service = staticmethod(services.delete_auditor)


class AuditViewSet(TransitionMixin, TenantModelViewSet):
    """Internal audits; transitions: prepare, start, report, close, reopen, cancel."""

    model = Audit
    queryset = Audit.objects.none()
    serializer_class = AuditSerializer
    filterset_class = AuditFilterSet
    prefetch_related = ("criteria", "processes", "sites", "team", "auditees", "findings")
    ordering_fields = ["planned_start", "reference", "status", "priority"]
    create_service = staticmethod(services.create_audit)
    update_service = staticmethod(services.update_audit)
    delete_service = staticmethod(services.delete_audit)
    transition_service = staticmethod(services.transition_audit)

    @extend_schema(
        request=None, responses=AuditSerializer, summary="Add generated questions to the checklist"
    )
    @action(detail=True, methods=["post"], url_path="generate-checklist")
    def generate_checklist(self, request: Request, pk: str | None = None) -> Response:
        audit = self.get_object()
        services.generate_checklist(audit, actor=request.user)
        return Response(self.get_serializer(audit).data)


class ChecklistItemViewSet(TenantModelViewSet):
    """Checklist questions with their result, notes and evidence; a nonconformity result raises a finding."""

    model = ChecklistItem
    queryset = ChecklistItem.objects.none()
    serializer_class = ChecklistItemSerializer
    select_related = ("clause",)
    filterset_fields = ["audit", "result"]
    create_service = staticmethod(services.create_checklist_item)
    update_service = staticmethod(services.update_checklist_item)
    delete_service = staticmethod(services.delete_checklist_item)


class FindingViewSet(TenantModelViewSet):
    """Audit findings; a nonconformity finding is linked to the nonconformity it raised."""

    model = Finding
    queryset = Finding.objects.none()
    serializer_class = FindingSerializer
    filterset_class = FindingFilterSet
    select_related = ("clause", "nc_type")
    create_service = staticmethod(services.create_finding)
    update_service = staticmethod(services.update_finding)
    delete_service = staticmethod(services.delete_finding)

    @extend_schema(
        request=VerifySerializer,
        responses=FindingSerializer,
        summary="Record that a follow-up audit verified the closure",
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: Request, pk: str | None = None) -> Response:
        finding = self.get_object()
        body = VerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        audit = get_for_request(request, Audit.objects.all(), pk=body.validated_data["audit"])
        finding = services.verify_finding(
            finding, actor=request.user, audit=audit, note=body.validated_data["note"]
        )
        return Response(self.get_serializer(finding).data)
