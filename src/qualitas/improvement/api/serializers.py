from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.improvement.choices import Disposition, SixM
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    IshikawaCause,
    Lesson,
    Nonconformity,
    WhyStep,
)


@extend_schema_field({"type": "string", "description": "A code from the organization's list."})
class OrgCodeField(serializers.CharField):
    """A source or severity code; the service checks it against the organization's lists (400 naming
    the field when unknown or retired)."""


class NonconformitySerializer(TenantModelSerializer):
    source = OrgCodeField(max_length=30, required=False)  # type: ignore[assignment]
    severity = OrgCodeField(max_length=30, required=False)
    is_overdue = serializers.BooleanField(read_only=True)
    owner_name = serializers.CharField(
        source="owner.display_name", read_only=True, default=None, allow_null=True
    )
    recurrence_of_reference = serializers.CharField(
        source="recurrence_of.reference", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Nonconformity
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "source",
            "severity",
            "status",
            "process",
            "site",
            "product",
            "lot",
            "quantity",
            "detected_on",
            "detected_by",
            "owner",
            "owner_name",
            "due_date",
            "is_overdue",
            "containment",
            "disposition",
            "disposition_authorised_by",
            "disposition_authorised_at",
            "concession_reference",
            "cause_category",
            "root_cause",
            "verdict",
            "verdict_note",
            "verified_by",
            "verified_at",
            "closed_at",
            "cancel_reason",
            "cost",
            "recurrence_of",
            "recurrence_of_reference",
            "effectiveness_questioned",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "reference",
            "status",
            "disposition",
            "disposition_authorised_by",
            "disposition_authorised_at",
            "concession_reference",
            "cause_category",
            "root_cause",
            "verdict",
            "verdict_note",
            "verified_by",
            "verified_at",
            "closed_at",
            "cancel_reason",
            "recurrence_of",
            "effectiveness_questioned",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"detected_on": {"required": False}}


class WhyStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = WhyStep
        fields = ["id", "position", "why", "because"]
        read_only_fields = ["id", "position"]


class IshikawaCauseSerializer(serializers.ModelSerializer):
    # Named "six_m" in the API, like the category's own field: one name for one choice set.
    six_m = serializers.ChoiceField(choices=SixM.choices, source="category")

    class Meta:
        model = IshikawaCause
        fields = ["id", "six_m", "text", "is_root"]
        read_only_fields = ["id"]


class RootCauseSerializer(TenantModelSerializer):
    cause_category = serializers.PrimaryKeyRelatedField(queryset=CauseCategory.objects.none())
    root_cause = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from qualitas.improvement.queries import categories

        super().__init__(*args, **kwargs)
        org = getattr(self.context.get("request"), "organization", None)
        field = self.fields["cause_category"]
        field.queryset = categories(org) if org is not None else field.queryset  # type: ignore[attr-defined]

    class Meta:
        model = Nonconformity
        fields = ["cause_category", "root_cause"]


class NCDispositionSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=[c for c in Disposition.choices if c[0]])
    concession_reference = serializers.CharField(required=False, allow_blank=True, max_length=100)


class LessonSerializer(TenantModelSerializer):
    class Meta:
        model = Lesson
        fields = [
            "id",
            "title",
            "summary",
            "nonconformity",
            "tags",
            "published_at",
            "created_at",
            "version",
            "reason",
        ]
        read_only_fields = ["published_at", "created_at"]


class OpportunitySerializer(TenantModelSerializer):
    class Meta:
        model = ImprovementOpportunity
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "expected_benefit",
            "process",
            "raised_by",
            "owner",
            "status",
            "plan_notes",
            "do_notes",
            "check_notes",
            "act_notes",
            "decided_at",
            "created_at",
            "version",
            "reason",
        ]
        read_only_fields = ["reference", "raised_by", "status", "decided_at", "created_at"]


class CauseCategorySerializer(TenantModelSerializer):
    class Meta:
        model = CauseCategory
        fields = ["id", "name", "description", "six_m", "is_active", "version", "reason"]

    def validate_name(self, value: str) -> Any:
        return value.strip()
