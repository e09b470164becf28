from typing import Any, cast

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.standards.choices import RequirementStatus
from qualitas.standards.models import EvidenceLink, LegacyProcedure, Requirement, ScopeStatement


@extend_schema_field(
    {
        "type": "string",
        "enum": RequirementStatus.values,
        "description": "not_started, in_progress, implemented, verified (by audit)",
    }
)
class RequirementStatusField(serializers.ChoiceField):
    """Inline enum (no shared component, so no name collision with other areas' ``status`` enums)."""


class RequirementSerializer(TenantModelSerializer):
    status = RequirementStatusField(choices=RequirementStatus.choices, required=False)
    clause = serializers.CharField(source="clause.number", read_only=True)
    clause_title = serializers.CharField(source="clause.title", read_only=True)
    owner_name = serializers.CharField(
        source="owner.display_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Requirement
        fields = [
            "id",
            "clause",
            "clause_title",
            "applicable",
            "justification",
            "status",
            "owner",
            "owner_name",
            "target_date",
            "notes",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["applicable", "justification", "created_at", "updated_at"]


class EvidenceLinkSerializer(TenantModelSerializer):
    record_type = serializers.CharField(write_only=True, help_text="app_label.model, e.g. actions.action")
    record_id = serializers.IntegerField(write_only=True, min_value=1)
    target = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceLink
        fields = [
            "id",
            "requirement",
            "record_type",
            "record_id",
            "target",
            "target_label",
            "note",
            "created_at",
            "version",
        ]
        read_only_fields = ["target_label", "created_at"]

    def get_target(self, obj: EvidenceLink) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}:{obj.object_id}"


class ScopeStatementSerializer(TenantModelSerializer):
    design_justification = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Why 8.3 does not apply (production profile).",
    )

    class Meta:
        model = ScopeStatement
        fields = [
            "id",
            "profile",
            "statement",
            "sites",
            "products_services",
            "outsourced_design",
            "design_justification",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["updated_at"]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("design_justification", None)
        return data


class LegacyProcedureSerializer(TenantModelSerializer):
    element_number = serializers.CharField(source="element.number", read_only=True)
    lands_in = serializers.SerializerMethodField()

    class Meta:
        model = LegacyProcedure
        fields = [
            "id",
            "reference",
            "title",
            "element",
            "element_number",
            "lands_in",
            "notes",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from qualitas.standards import queries

        cast(serializers.PrimaryKeyRelatedField, self.fields["element"]).queryset = queries.legacy_elements()

    def get_lands_in(self, obj: LegacyProcedure) -> list[str]:
        return list(obj.element.maps_to or [])


class ApplicabilitySerializer(serializers.Serializer):
    clause = serializers.CharField()
    applicable = serializers.BooleanField()
    justification = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class SoaRowSerializer(serializers.Serializer):
    clause = serializers.CharField(source="number")
    title = serializers.CharField()
    level = serializers.IntegerField()
    auditable = serializers.BooleanField()
    applicable = serializers.BooleanField()
    partial = serializers.BooleanField()  # type: ignore[assignment]  # the row's field, not DRF's flag
    justification = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())


class SoaSerializer(serializers.Serializer):
    profile = serializers.CharField(allow_null=True)
    statement = serializers.CharField(allow_null=True)
    rows = SoaRowSerializer(many=True)


class ReadinessGroupSerializer(serializers.Serializer):
    group = serializers.CharField()
    title = serializers.CharField()
    applicable = serializers.IntegerField()
    done = serializers.IntegerField()
    verified = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    score = serializers.FloatField()


class GapSerializer(serializers.Serializer):
    clause = serializers.CharField(source="number")
    title = serializers.CharField()
    kind = serializers.CharField()
    message = serializers.CharField()
    owner = serializers.CharField()
    target_date = serializers.DateField(allow_null=True)


class TrendPointSerializer(serializers.Serializer):
    date = serializers.DateField()
    overall = serializers.FloatField()


class ReadinessSerializer(serializers.Serializer):
    overall = serializers.FloatField()
    applicable = serializers.IntegerField()
    done = serializers.IntegerField()
    verified = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_applicable = serializers.IntegerField()
    gap_count = serializers.IntegerField()
    gap_counts = serializers.DictField(child=serializers.IntegerField())
    groups = ReadinessGroupSerializer(many=True)
    sections = serializers.DictField(child=serializers.FloatField(allow_null=True))
    gaps = GapSerializer(many=True)
    trend = TrendPointSerializer(many=True)
