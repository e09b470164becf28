from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualitas.core.api.serializers import AuditEventSerializer
from qualitas.core.api.viewsets import TenantViewSetMixin
from qualitas.core.models import AuditEvent


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.CharFilter(lookup_expr="startswith")
    after_seq = django_filters.NumberFilter(field_name="seq", lookup_expr="gt")

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "action", "source", "after_seq"]


class AuditEventViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The organization's audit trail (administrators, quality managers, auditors, viewers)."""

    model = AuditEvent
    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering = ["-seq"]
    ordering_fields = ["seq"]
    lookup_field = "seq"


class MeView(APIView):
    model = None

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "name": serializers.CharField(),
                "organization": serializers.CharField(),
                "organization_slug": serializers.CharField(),
                "role": serializers.CharField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        m = request.membership  # type: ignore[attr-defined]
        return Response(
            {
                "username": request.user.username,
                "name": request.user.display_name,  # type: ignore[union-attr]
                "organization": m.organization.name,
                "organization_slug": m.organization.slug,
                "role": m.role,
            }
        )
