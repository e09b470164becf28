from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.core.api.viewsets import TenantModelViewSet, TransitionMixin
from qualitas.reviews import queries, services
from qualitas.reviews.api.serializers import ReviewOutputSerializer, ReviewSerializer
from qualitas.reviews.models import ManagementReview, ReviewOutput


class ManagementReviewViewSet(TransitionMixin, TenantModelViewSet):
    """Management reviews; transitions: start, minute (freezes the inputs), close, cancel."""

    model = ManagementReview
    queryset = ManagementReview.objects.none()
    serializer_class = ReviewSerializer
    select_related = ("chair",)
    prefetch_related = ("attendees",)
    create_service = staticmethod(services.create_review)
    update_service = staticmethod(services.update_review)
    delete_service = staticmethod(services.delete_review)
    transition_service = staticmethod(services.transition_review)

    @extend_schema(responses={200: dict}, summary="The 9.3.2 inputs: live for the period, or as frozen")
    @action(detail=True, methods=["get"], pagination_class=None)
    def inputs(self, request: Request, pk: str | None = None) -> Response:
        return Response(queries.sections_for(self.get_object()))


class ReviewOutputViewSet(TenantModelViewSet):
    """Decisions of management reviews (9.3.3), each tracked by an action."""

    model = ReviewOutput
    queryset = ReviewOutput.objects.none()
    serializer_class = ReviewOutputSerializer
    select_related = ("action",)
    filterset_fields = ["review", "kind"]
    create_service = staticmethod(services.create_output)
    update_service = staticmethod(services.update_output)
    delete_service = staticmethod(services.delete_output)
