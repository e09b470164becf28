from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from qualitas.core import audit
from qualitas.core.api.pagination import BoundedPaginator, GapFreeSeqPaginator, Pagination, TrailPaginator
from qualitas.core.api.serializers import AuditEventSerializer
from qualitas.core.api.viewsets import TenantViewSetMixin
from qualitas.core.models import AuditChainHead, AuditEvent

if TYPE_CHECKING:
    _ReadOnlyModelViewSet = viewsets.ReadOnlyModelViewSet[Any]
else:
    _ReadOnlyModelViewSet = viewsets.ReadOnlyModelViewSet


class AuditEventFilterSet(django_filters.FilterSet):  # type: ignore[misc]  # untyped library
    action = django_filters.CharFilter(
        method="applied_by_view", help_text="Actions that start with this text."
    )
    object_type = django_filters.CharFilter(
        method="applied_by_view", help_text='"app.model", e.g. "actions.action".'
    )
    after_seq = django_filters.NumberFilter(field_name="seq", lookup_expr="gt")

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "action", "source", "after_seq"]

    def applied_by_view(self, qs: Any, name: str, value: str) -> Any:
        return qs  # AuditEventViewSet.filter_queryset applies it in two forms (audit.trail_filters)


class AuditTrailPagination(Pagination):
    """The whole trail, newest first, pages by seq arithmetic (``GapFreeSeqPaginator``); a trail
    filtered by action or object type counts through the indexes (``TrailPaginator``)."""

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        indexed = getattr(view, "trail_indexed", None)
        params = set(request.query_params) - {"page", "page_size", "format"}
        if indexed is not None:
            self.django_paginator_class = functools.partial(TrailPaginator, indexed=indexed)  # type: ignore[assignment]
        elif params - {"ordering"} or request.query_params.get("ordering", "-seq") != "-seq":
            self.django_paginator_class = BoundedPaginator
        else:
            org = request.organization
            head = AuditChainHead.objects.filter(organization=org).values_list("seq", flat=True).first()
            self.django_paginator_class = functools.partial(GapFreeSeqPaginator, last_seq=head or 0)  # type: ignore[assignment]
        return super().paginate_queryset(queryset, request, view)


class AuditEventViewSet(TenantViewSetMixin, _ReadOnlyModelViewSet):
    """The organization's audit trail (administrators, quality managers, auditors, viewers)."""

    model = AuditEvent
    queryset = AuditEvent.objects.none()
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    ordering = ["-seq"]
    ordering_fields = ["seq"]
    lookup_field = "seq"
    pagination_class = AuditTrailPagination
    trail_indexed: Any = None

    def filter_queryset(self, queryset: Any) -> Any:
        qs = super().filter_queryset(queryset)
        action = self.request.query_params.get("action", "").strip()
        object_type = self.request.query_params.get("object_type", "").strip()
        if self.action != "list" or not (action or object_type):
            return qs.filter(
                audit.trail_filters(self.request.organization.pk, action=action, object_type=object_type)[0]
            )
        walk, index = audit.trail_filters(
            self.request.organization.pk, action=action, object_type=object_type
        )
        self.trail_indexed = qs.filter(walk & index)
        return qs.filter(walk)


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
