from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from qualitas.core.api.viewsets import TenantModelViewSet, TenantViewSetMixin, TransitionMixin
from qualitas.core.permissions import can
from qualitas.documents import search, services
from qualitas.documents.api.serializers import (
    AcknowledgementSerializer,
    DocumentChangeRequestSerializer,
    DocumentReleaseRequestSerializer,
    DocumentReviewRequestSerializer,
    DocumentSearchResultSerializer,
    DocumentSerializer,
    DocumentSignRequestSerializer,
    RecordDisposeRequestSerializer,
    RecordSerializer,
    RecordTypeSerializer,
    RevisionSerializer,
    SignatureSerializer,
)
from qualitas.documents.filters import DocumentFilterSet, RecordFilterSet
from qualitas.documents.models import Acknowledgement, Document, Record, RecordType, Revision, Signature


class DocumentViewSet(TenantModelViewSet):
    """Controlled documents (the master list): identity, owner, process, review interval, approvers."""

    permission_action: str | None = None  # set per custom action (see @action kwargs)
    model = Document
    queryset = Document.objects.none()
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilterSet
    select_related = ("owner",)
    ordering_fields = ["code", "title", "next_review_due", "effective_date"]
    create_service = staticmethod(services.create_document)
    update_service = staticmethod(services.update_document)
    delete_service = staticmethod(services.delete_document)

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        # The indexed full text is not part of the answer; writes read the whole row.
        return qs.defer("search_text") if self.action == "list" else qs

    def paginate_queryset(self, queryset: Any) -> Any:
        """The page's reviewers and approvers as ids: one query per relation for the whole page
        (in the order ``document.reviewers.all()`` gives), read by ``PeopleIdsField``."""
        page = super().paginate_queryset(queryset)
        if page:
            by_pk = {doc.pk: doc for doc in page}
            for doc in page:
                doc.m2m_ids = {"reviewers": [], "approvers": []}
            for name in ("reviewers", "approvers"):
                pairs = (
                    getattr(Document, name)
                    .through.objects.filter(document_id__in=list(by_pk))
                    .order_by("user__username")
                    .values_list("document_id", "user_id")
                )
                for document_id, user_id in pairs:
                    by_pk[document_id].m2m_ids[name].append(user_id)
        return page

    @extend_schema(
        request=DocumentChangeRequestSerializer,
        responses=RevisionSerializer,
        summary="Request a change: start a new draft revision",
    )
    @action(detail=True, methods=["post"], permission_action="change")
    def change(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        body = DocumentChangeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        revision = services.start_revision(document, actor=request.user, reason=body.validated_data["reason"])
        return Response(RevisionSerializer(revision, context=self.get_serializer_context()).data, status=201)

    @extend_schema(
        request=DocumentReviewRequestSerializer,
        responses=DocumentSerializer,
        summary="Record a periodic review",
    )
    @action(detail=True, methods=["post"], permission_action="review")
    def review(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        body = DocumentReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.review_document(document, actor=request.user, **body.validated_data)
        document.refresh_from_db()
        return Response(self.get_serializer(document).data)

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Words to find")],
        responses=DocumentSearchResultSerializer(many=True),
        summary="Full-text search, best match first",
    )
    @action(
        detail=False, methods=["get"], pagination_class=None, filterset_class=None, permission_action="view"
    )
    def search(self, request: Request) -> Response:
        if not can(request.user, getattr(request, "organization", None), "view", Document):
            return Response([])
        hits = search.search(request.organization, request.query_params.get("q", "")[:200], limit=50)  # type: ignore[attr-defined]
        data = [
            {
                "id": d.pk,
                "code": d.code,
                "title": d.title,
                "rank": rank,
                "snippet": snippet,
                "url": d.get_absolute_url(),
            }
            for d, rank, snippet in hits
        ]
        return Response(DocumentSearchResultSerializer(data, many=True).data)


class RevisionViewSet(
    TransitionMixin, mixins.UpdateModelMixin, TenantViewSetMixin, viewsets.ReadOnlyModelViewSet
):
    """Revisions: content, life cycle (submit, withdraw, discard, obsolete), signing and release."""

    permission_action: str | None = None  # set per custom action (see @action kwargs)
    model = Revision
    queryset = Revision.objects.none()
    serializer_class = RevisionSerializer
    select_related = ("document",)
    prefetch_related = ("signatures",)
    filterset_fields = ["document", "status"]
    transition_service = staticmethod(services.transition_revision)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update_revision(
            serializer.instance,
            actor=self.request.user,
            data=serializer.service_data(),
            expected_version=serializer.validated_data.get("version"),
            reason=serializer.validated_data.get("reason", ""),
        )

    @extend_schema(
        request=DocumentSignRequestSerializer,
        responses=SignatureSerializer,
        summary="Sign electronically (password re-entered; meaning reviewed, approved or rejected)",
    )
    @action(detail=True, methods=["post"], permission_action="sign")
    def sign(self, request: Request, pk: str | None = None) -> Response:
        revision = self.get_object()
        body = DocumentSignRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        signature = services.sign_revision(revision, actor=request.user, **body.validated_data)
        return Response(SignatureSerializer(signature).data, status=201)

    @extend_schema(
        request=DocumentReleaseRequestSerializer,
        responses=RevisionSerializer,
        summary="Release an approved revision: effective today, on a past date (reason), or later",
    )
    @action(detail=True, methods=["post"], permission_action="release")
    def release(self, request: Request, pk: str | None = None) -> Response:
        revision = self.get_object()
        body = DocumentReleaseRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.release_revision(
            revision,
            actor=request.user,
            effective_date=body.validated_data.get("effective_date"),
            reason=body.validated_data.get("reason", ""),
        )
        revision.refresh_from_db()
        return Response(self.get_serializer(revision).data)


class SignatureViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Electronic signatures (read only; they are made through POST /revisions/<id>/sign/)."""

    model = Signature
    queryset = Signature.objects.none()
    serializer_class = SignatureSerializer
    filterset_fields = ["revision", "signer", "meaning"]


class AcknowledgementViewSet(TenantViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Read-and-understood acknowledgements; ``?user=<id>&pending=true`` for what someone still owes."""

    permission_action: str | None = None  # set per custom action (see @action kwargs)
    model = Acknowledgement
    queryset = Acknowledgement.objects.none()
    serializer_class = AcknowledgementSerializer
    select_related = ("document", "revision", "user")
    filterset_fields = ["document", "revision", "user"]

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if self.request.query_params.get("pending") in ("1", "true"):
            qs = qs.filter(acknowledged_at__isnull=True)
        return qs

    @extend_schema(request=None, responses=AcknowledgementSerializer, summary="Confirm: read and understood")
    @action(detail=True, methods=["post"], permission_action="acknowledge")
    def confirm(self, request: Request, pk: str | None = None) -> Response:
        ack = services.acknowledge(self.get_object(), actor=request.user)
        return Response(self.get_serializer(ack).data)


class RecordTypeViewSet(TenantModelViewSet):
    """Kinds of retained records and their retention periods."""

    model = RecordType
    queryset = RecordType.objects.none()
    serializer_class = RecordTypeSerializer
    delete_service = staticmethod(services.delete_record_type)  # refuses while records of the type exist


class RecordViewSet(TenantModelViewSet):
    """The records register: retained records with their disposal due date; disposal is recorded."""

    permission_action: str | None = None  # set per custom action (see @action kwargs)
    model = Record
    queryset = Record.objects.none()
    serializer_class = RecordSerializer
    filterset_class = RecordFilterSet
    select_related = ("record_type",)
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    create_service = staticmethod(services.create_retained_record)
    update_service = staticmethod(services.update_retained_record)

    @extend_schema(
        request=RecordDisposeRequestSerializer,
        responses=RecordSerializer,
        summary="Record the disposal (who, when, how)",
    )
    @action(detail=True, methods=["post"], permission_action="dispose")
    def dispose(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        body = RecordDisposeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        record = services.dispose_record(
            record,
            actor=request.user,
            method=data["disposal_method"],
            note=data["note"],
            reason=data.get("reason", ""),
        )
        return Response(self.get_serializer(record).data)
