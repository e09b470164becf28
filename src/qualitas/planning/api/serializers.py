from typing import Any

from rest_framework import serializers

from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    PlanningSettings,
    PolicyCommunication,
    Process,
    ProcessInteraction,
    QualityPolicy,
    Risk,
)

META = ["created_at", "updated_at", "version", "reason"]


class ProcessSerializer(TenantModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True, default=None)

    class Meta:
        model = Process
        fields = [
            "id",
            "code",
            "name",
            "process_type",
            "owner",
            "owner_name",
            "purpose",
            "inputs",
            "outputs",
            "customers",
            "resources",
            "related_documents",
            "clauses",
            "is_active",
            *META,
        ]
        read_only_fields = ["created_at", "updated_at"]


class ProcessInteractionSerializer(TenantModelSerializer):
    class Meta:
        model = ProcessInteraction
        fields = ["id", "source", "target", "description", *META]
        read_only_fields = ["created_at", "updated_at"]


class ContextIssueSerializer(TenantModelSerializer):
    class Meta:
        model = ContextIssue
        fields = [
            "id",
            "title",
            "description",
            "issue_type",
            "category",
            "climate_relevant",
            "impact",
            "review_date",
            "is_active",
            *META,
        ]
        read_only_fields = ["created_at", "updated_at"]


class InterestedPartySerializer(TenantModelSerializer):
    class Meta:
        model = InterestedParty
        fields = [
            "id",
            "name",
            "category",
            "is_internal",
            "needs",
            "expectations",
            "requirements",
            "climate_related",
            "monitoring",
            "review_date",
            "is_active",
            *META,
        ]
        read_only_fields = ["created_at", "updated_at"]


class IdentitySerializer(TenantModelSerializer):
    class Meta:
        model = Identity
        fields = ["id", "mission", "vision", "values", "culture", *META]
        read_only_fields = ["created_at", "updated_at"]


class QualityPolicySerializer(TenantModelSerializer):
    class Meta:
        model = QualityPolicy
        fields = ["id", "title", "text", "status", "approved_by", "approved_at", "effective_from", *META]
        read_only_fields = ["status", "approved_by", "approved_at", "created_at", "updated_at"]


class PolicyCommunicationSerializer(TenantModelSerializer):
    class Meta:
        model = PolicyCommunication
        fields = ["id", "policy", "date", "channel", "audience", "note", *META]
        read_only_fields = ["created_at", "updated_at"]


class PlanningSettingsSerializer(TenantModelSerializer):
    class Meta:
        model = PlanningSettings
        fields = ["id", "matrix_size", *META]
        read_only_fields = ["created_at", "updated_at"]


class RiskSerializer(TenantModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    inherent_level = serializers.CharField(read_only=True, help_text="low, medium, high or critical")
    residual_level = serializers.CharField(read_only=True, help_text="Empty until the residual is rated.")
    level = serializers.CharField(
        read_only=True, help_text="The residual level when rated, else the inherent one."
    )

    class Meta:
        model = Risk
        fields = [
            "id",
            "reference",
            "kind",
            "title",
            "description",
            "source",
            "context_issue",
            "interested_party",
            "process",
            "likelihood",
            "impact",
            "inherent_score",
            "inherent_level",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_level",
            "level",
            "treatment",
            "treatment_plan",
            "owner",
            "owner_name",
            "review_date",
            "last_reviewed",
            "status",
            "accepted_by",
            "accepted_at",
            "effectiveness",
            "effectiveness_note",
            *META,
        ]
        read_only_fields = [
            "reference",
            "inherent_score",
            "inherent_level",
            "residual_score",
            "residual_level",
            "level",
            "last_reviewed",
            "status",
            "accepted_by",
            "accepted_at",
            "created_at",
            "updated_at",
        ]


class ObjectiveSerializer(TenantModelSerializer):
    class Meta:
        model = Objective
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "policy",
            "strategy",
            "process",
            "owner",
            "target",
            "due_date",
            "resources",
            "evaluation",
            "status",
            *META,
        ]
        read_only_fields = ["reference", "created_at", "updated_at"]


class KpiSerializer(TenantModelSerializer):
    latest_value = serializers.FloatField(read_only=True, allow_null=True, default=None)
    latest_period = serializers.DateField(read_only=True, allow_null=True, default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Kpi
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "target",
            "warning",
            "alarm",
            "frequency",
            "owner",
            "process",
            "objective",
            "is_active",
            "latest_value",
            "latest_period",
            "status",
            *META,
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_status(self, obj: Kpi) -> str:
        return obj.status_of(getattr(obj, "latest_value", None))


class MeasurementSerializer(TenantModelSerializer):
    kpi_code = serializers.CharField(source="kpi.code", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="on_target, at_risk or off_target when recorded."
    )

    class Meta:
        model = Measurement
        fields = ["id", "kpi", "kpi_code", "period", "value", "note", "source", "status", *META]
        read_only_fields = ["source", "status", "created_at", "updated_at"]


class MeasurementRowSerializer(serializers.Serializer):
    kpi = serializers.CharField(help_text="The KPI's id or its code.")
    period = serializers.DateField(help_text="Any day of the period; stored as the period's first day.")
    value = serializers.FloatField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class MeasurementBatchSerializer(serializers.Serializer):
    measurements: serializers.ListSerializer[dict[str, Any]] = serializers.ListSerializer(
        child=MeasurementRowSerializer(), allow_empty=False, max_length=10_000
    )


class MeasurementBatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    measurements = MeasurementSerializer(many=True)
