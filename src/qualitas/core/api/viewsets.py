"""The base viewset: the only place API querysets are built, writes go through services."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.core import audit
from qualitas.core import services as generic
from qualitas.core.api.serializers import AuditEventSerializer, TransitionSerializer
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can
from qualitas.core.transitions import run_transition

if TYPE_CHECKING:
    _ModelViewSet = viewsets.ModelViewSet[Any]
else:
    _ModelViewSet = viewsets.ModelViewSet


class TenantViewSetMixin:
    model: ClassVar[Any]
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ()
    request: Any

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        audit.set_source("api")
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def get_queryset(self) -> QuerySet[Any]:
        qs: QuerySet[Any] = self.model.objects.visible_to(
            self.request.user, getattr(self.request, "organization", None)
        )
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs.order_by(*(getattr(self, "ordering", None) or ["-pk"]))


class TenantModelViewSet(TenantViewSetMixin, _ModelViewSet):
    """CRUD through the model's own services when the viewset names them, else through core's
    generic writers (``create_record``/``update_record``/``delete_record``). A verb the register
    does not offer is left out of ``http_method_names``."""

    create_service: ClassVar[Callable[..., Any] | None] = None
    update_service: ClassVar[Callable[..., Any] | None] = None
    delete_service: ClassVar[Callable[..., Any] | None] = None
    transition_service: ClassVar[Callable[..., Any] | None] = None

    def perform_create(self, serializer: Any) -> None:
        kwargs = {
            "organization": self.request.organization,
            "actor": self.request.user,
            "data": serializer.service_data(),
        }
        if self.create_service is None:
            serializer.instance = generic.create_record(self.model, **kwargs)
        else:
            serializer.instance = type(self).create_service(**kwargs)  # type: ignore[misc]

    def perform_update(self, serializer: Any) -> None:
        kwargs = {
            "actor": self.request.user,
            "data": serializer.service_data(),
            "expected_version": serializer.validated_data.get("version"),
            "reason": serializer.validated_data.get("reason", ""),
        }
        if self.update_service is None:
            serializer.instance = generic.update_record(serializer.instance, **kwargs)
        else:
            serializer.instance = type(self).update_service(serializer.instance, **kwargs)  # type: ignore[misc]

    def perform_destroy(self, instance: Any) -> None:
        reason = self.request.query_params.get("reason", "")
        if self.delete_service is None:
            generic.delete_record(instance, actor=self.request.user, reason=reason)
        else:
            type(self).delete_service(instance, actor=self.request.user, reason=reason)  # type: ignore[misc]

    @extend_schema(
        responses=AuditEventSerializer(many=True), summary="The record's audit history, newest first"
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        obj = self.get_object()
        events = audit.history_for(obj)[:500]
        return Response(AuditEventSerializer(events, many=True).data)


class TransitionMixin:
    """Adds POST /<pk>/transition/<name>/ to a viewset with a ``transition_service``; the body may
    carry the ``version`` the client read (a newer one is a 409 ``conflict``)."""

    @extend_schema(request=TransitionSerializer, summary="Take a workflow step (e.g. complete, cancel)")
    @action(detail=True, methods=["post"], url_path=r"transition/(?P<transition>[a-z_]+)")
    def transition(self, request: Request, pk: str | None = None, transition: str = "") -> Response:
        obj = self.get_object()  # type: ignore[attr-defined]
        if not can(request.user, request.organization, "view", obj):  # type: ignore[attr-defined]
            raise NotAllowed()
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        obj = run_transition(
            type(self).transition_service,  # type: ignore[attr-defined]
            obj,
            transition,
            actor=request.user,
            reason=body.validated_data.get("reason", ""),
            note=body.validated_data.get("note", ""),
            expected_version=body.validated_data.get("version"),
        )
        return Response(self.get_serializer(obj).data)  # type: ignore[attr-defined]
