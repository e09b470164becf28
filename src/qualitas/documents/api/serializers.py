from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from qualitas.accounts.choices import Role
from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.documents.choices import DisposalMethod, ReviewOutcome, SignatureMeaning
from qualitas.documents.models import Acknowledgement, Document, Record, RecordType, Revision, Signature


class SignatureSerializer(serializers.ModelSerializer):
    meaning_label = serializers.CharField(source="get_meaning_display", read_only=True)

    class Meta:
        model = Signature
        fields = [
            "id",
            "revision",
            "cycle",
            "signer",
            "signer_name",
            "signer_username",
            "meaning",
            "meaning_label",
            "signed_at",
            "comment",
            "content_sha256",
            "signature_sha256",
        ]
        read_only_fields = fields


class PeopleIdsField(serializers.ManyRelatedField):
    """A many-to-many to people, read and written as a list of ids. A list page hands the ids over
    in ``instance.m2m_ids[name]`` (one query per relation for the whole page, see
    ``DocumentViewSet.paginate_queryset``) instead of a related manager and a user per row."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "child_relation", serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        ids = getattr(instance, "m2m_ids", {}).get(self.source)
        if ids is not None:
            return [PKOnlyObject(pk) for pk in ids]
        return super().get_attribute(instance)


class DocumentSerializer(TenantModelSerializer):
    reviewers = PeopleIdsField()
    approvers = PeopleIdsField()
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    ack_roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), required=False)
    review_overdue = serializers.BooleanField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft (never effective), effective or obsolete")
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Markdown content of the first revision (create only).",
    )
    change_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        help_text="Reason for the first issue (create only).",
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "code",
            "title",
            "doc_type",
            "owner",
            "owner_name",
            "process",
            "site",
            "clauses",
            "confidentiality",
            "tags",
            "review_interval_months",
            "revision_scheme",
            "approval_order",
            "reviewers",
            "approvers",
            "ack_roles",
            "ack_days",
            "status",
            "current_label",
            "effective_revision",
            "effective_date",
            "last_reviewed_on",
            "next_review_due",
            "review_overdue",
            "text",
            "change_reason",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "status",
            "current_label",
            "effective_revision",
            "effective_date",
            "last_reviewed_on",
            "next_review_due",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"code": {"required": False, "allow_blank": True}}


class RevisionSerializer(TenantModelSerializer):
    signatures = SignatureSerializer(many=True, read_only=True)
    document_code = serializers.CharField(source="document.code", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="draft, in_review, approved, effective, superseded, obsolete"
    )

    class Meta:
        model = Revision
        fields = [
            "id",
            "document",
            "document_code",
            "label",
            "status",
            "change_reason",
            "text",
            "author",
            "file_name",
            "file_mime",
            "file_size",
            "file_sha256",
            "content_sha256",
            "cycle",
            "submitted_at",
            "approved_at",
            "effective_date",
            "effective_reason",
            "effective_at",
            "superseded_at",
            "signatures",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [f for f in fields if f not in ("change_reason", "text", "version", "reason")]


class DocumentSignRequestSerializer(serializers.Serializer):
    meaning = serializers.ChoiceField(choices=SignatureMeaning.choices)
    password = serializers.CharField(
        write_only=True,
        style={"input_type": "password"},
        help_text="The signer's password, entered again for this signature.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DocumentReleaseRequestSerializer(serializers.Serializer):
    effective_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DocumentChangeRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class DocumentReviewRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ReviewOutcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DocumentSearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    rank = serializers.FloatField()
    snippet = serializers.CharField()
    url = serializers.CharField()


class AcknowledgementSerializer(serializers.ModelSerializer):
    document_code = serializers.CharField(source="document.code", read_only=True)
    revision_label = serializers.CharField(source="revision.label", read_only=True)
    user_name = serializers.CharField(source="user.display_name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Acknowledgement
        fields = [
            "id",
            "document",
            "document_code",
            "revision",
            "revision_label",
            "user",
            "user_name",
            "due_date",
            "acknowledged_at",
            "is_overdue",
        ]
        read_only_fields = fields


class RecordTypeSerializer(TenantModelSerializer):
    class Meta:
        model = RecordType
        fields = [
            "id",
            "name",
            "description",
            "clauses",
            "retention_months",
            "disposal_method",
            "storage",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]


class RecordSerializer(TenantModelSerializer):
    record_type_name = serializers.CharField(source="record_type.name", read_only=True)
    disposal_method = serializers.CharField(
        read_only=True, help_text="How it was disposed of (empty while kept)."
    )
    status = serializers.CharField(read_only=True, help_text="retained or disposed")

    class Meta:
        model = Record
        fields = [
            "id",
            "reference",
            "record_type",
            "record_type_name",
            "title",
            "record_date",
            "location",
            "owner",
            "legal_hold",
            "disposal_due",
            "status",
            "disposed_at",
            "disposed_by",
            "disposal_method",
            "disposal_note",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "reference",
            "disposal_due",
            "status",
            "disposed_at",
            "disposed_by",
            "disposal_method",
            "disposal_note",
            "created_at",
            "updated_at",
        ]


class RecordDisposeRequestSerializer(serializers.Serializer):
    disposal_method = serializers.ChoiceField(choices=DisposalMethod.choices)
    note = serializers.CharField(max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
