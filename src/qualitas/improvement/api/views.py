from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.actions.api.serializers import ActionSerializer
from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin
from qualitas.improvement import queries, services
from qualitas.improvement.api.serializers import (
    CauseCategorySerializer,
    IshikawaCauseSerializer,
    LessonSerializer,
    NCDispositionSerializer,
    NonconformitySerializer,
    OpportunitySerializer,
    RootCauseSerializer,
    WhyStepSerializer,
)
from qualitas.improvement.filters import LessonFilterSet, NonconformityFilterSet, OpportunityFilterSet
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    Lesson,
    Nonconformity,
)


class NonconformityViewSet(TransitionMixin, TenantModelViewSet):
    """Nonconformities and their corrective-action loop (transitions: contain, analyse, plan, implement,
    verify, close, not_effective, cancel)."""

    model = Nonconformity
    queryset = Nonconformity.objects.none()
    serializer_class = NonconformitySerializer
    filterset_class = NonconformityFilterSet
    select_related = ("owner", "recurrence_of")
    ordering_fields = ["reference", "detected_on", "due_date", "severity", "status", "created_at"]
    create_service = staticmethod(services.open_nonconformity)
    update_service = staticmethod(services.update_nonconformity)
    delete_service = staticmethod(services.delete_nonconformity)
    transition_service = staticmethod(services.transition_nonconformity)

    @extend_schema(request=WhyStepSerializer, responses=WhyStepSerializer(many=True), summary="5 Whys chain")
    @action(detail=True, methods=["get", "post"], pagination_class=None, serializer_class=WhyStepSerializer)
    def whys(self, request: Request, pk: str | None = None) -> Response:
        nc = self.get_object()
        if request.method == "POST":
            body = WhyStepSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.add_why(nc, actor=request.user, **body.validated_data)
        return Response(WhyStepSerializer(queries.whys_of(nc), many=True).data)

    @extend_schema(
        request=IshikawaCauseSerializer,
        responses=IshikawaCauseSerializer(many=True),
        summary="Ishikawa causes (6M)",
    )
    @action(
        detail=True, methods=["get", "post"], pagination_class=None, serializer_class=IshikawaCauseSerializer
    )
    def causes(self, request: Request, pk: str | None = None) -> Response:
        nc = self.get_object()
        if request.method == "POST":
            body = IshikawaCauseSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.add_cause(nc, actor=request.user, **body.validated_data)
        return Response(IshikawaCauseSerializer(queries.causes_of(nc), many=True).data)

    @extend_schema(
        request=RootCauseSerializer,
        responses=NonconformitySerializer,
        summary="Set the root-cause category and statement (checks recurrence)",
    )
    @action(detail=True, methods=["post"], url_path="root-cause", serializer_class=RootCauseSerializer)
    def root_cause(self, request: Request, pk: str | None = None) -> Response:
        nc = self.get_object()
        body = RootCauseSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        nc = services.set_root_cause(nc, actor=request.user, **body.validated_data)
        return Response(NonconformitySerializer(nc, context=self.get_serializer_context()).data)

    @extend_schema(
        request=NCDispositionSerializer,
        responses=NonconformitySerializer,
        summary="Propose the disposition of the nonconforming output",
    )
    @action(detail=True, methods=["post"], serializer_class=NCDispositionSerializer)
    def disposition(self, request: Request, pk: str | None = None) -> Response:
        nc = self.get_object()
        body = NCDispositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        nc = services.set_disposition(nc, actor=request.user, **body.validated_data)
        return Response(NonconformitySerializer(nc, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=NonconformitySerializer, summary="Authorise the disposition")
    @action(detail=True, methods=["post"], url_path="disposition/authorise")
    def authorise(self, request: Request, pk: str | None = None) -> Response:
        nc = services.authorise_disposition(self.get_object(), actor=request.user)
        return Response(NonconformitySerializer(nc, context=self.get_serializer_context()).data)

    @extend_schema(
        request=ActionSerializer,
        responses=ActionSerializer(many=True),
        summary="Actions about this nonconformity",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="actions",
        pagination_class=None,
        serializer_class=ActionSerializer,
    )
    def nc_actions(self, request: Request, pk: str | None = None) -> Response:
        nc = self.get_object()
        ctx = self.get_serializer_context()
        code: int = status.HTTP_200_OK
        if request.method == "POST":
            body = ActionSerializer(data=request.data, context=ctx)
            body.is_valid(raise_exception=True)
            services.add_nc_action(nc, actor=request.user, data=body.service_data())
            code = status.HTTP_201_CREATED
        return Response(
            ActionSerializer(queries.nc_actions(nc).order_by("pk"), many=True, context=ctx).data,
            status=code,
        )


class LessonViewSet(TenantModelViewSet):
    """Lessons learned (knowledge base)."""

    model = Lesson
    queryset = Lesson.objects.none()
    serializer_class = LessonSerializer
    filterset_class = LessonFilterSet
    ordering_fields = ["published_at", "title"]
    create_service = staticmethod(services.publish_lesson)
    update_service = staticmethod(services.update_lesson)


class OpportunityViewSet(TransitionMixin, TenantModelViewSet):
    """Improvement opportunities and their PDCA projects (transitions: accept, reject, do, check, act,
    finish, reopen)."""

    model = ImprovementOpportunity
    queryset = ImprovementOpportunity.objects.none()
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet
    ordering_fields = ["reference", "status", "created_at"]
    create_service = staticmethod(services.raise_opportunity)
    update_service = staticmethod(services.update_opportunity)
    transition_service = staticmethod(services.transition_opportunity)


class CauseCategoryViewSet(TenantModelViewSet):
    """The organization's root-cause categories."""

    model = CauseCategory
    queryset = CauseCategory.objects.none()
    serializer_class = CauseCategorySerializer
    ordering_fields = ["name"]
    delete_service = staticmethod(services.delete_cause_category)
