from typing import Any

from rest_framework import serializers

from qualitas.audits.models import Audit, Auditor, AuditProgramme, ChecklistItem, Finding
from qualitas.core.api.serializers import TenantModelSerializer


def _clauses() -> Any:
    from qualitas.standards.queries import clauses

    return clauses()


class ProgrammeSerializer(TenantModelSerializer):
    class Meta:
        model = AuditProgramme
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "objectives",
            "method",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]


class AuditorSerializer(TenantModelSerializer):
    name = serializers.CharField(source="user.display_name", read_only=True)

    class Meta:
        model = Auditor
        fields = [
            "id",
            "user",
            "name",
            "qualifications",
            "trained_on",
            "training_due",
            "own_processes",
            "is_active",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]


class AuditSerializer(TenantModelSerializer):
    criteria = serializers.SlugRelatedField(
        slug_field="number",
        many=True,
        required=False,
        queryset=_clauses(),
        help_text="ISO 9001 clause numbers",
    )
    open_findings = serializers.SerializerMethodField()

    class Meta:
        model = Audit
        fields = [
            "id",
            "reference",
            "programme",
            "title",
            "scope",
            "criteria",
            "processes",
            "sites",
            "planned_start",
            "planned_end",
            "planned_hours",
            "lead_auditor",
            "team",
            "auditees",
            "status",
            "priority",
            "priority_reason",
            "follow_up_of",
            "summary",
            "strengths",
            "conclusion",
            "plan_sent_at",
            "reported_on",
            "open_findings",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "reference",
            "status",
            "priority",
            "priority_reason",
            "plan_sent_at",
            "reported_on",
            "created_at",
            "updated_at",
        ]

    def get_open_findings(self, obj: Audit) -> int:
        return sum(1 for f in obj.findings.all() if f.is_nonconformity and f.status == "open")


class ChecklistItemSerializer(TenantModelSerializer):
    clause = serializers.SlugRelatedField(
        slug_field="number", required=False, allow_null=True, queryset=_clauses()
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "audit",
            "position",
            "clause",
            "process",
            "question",
            "result",
            "notes",
            "evidence",
            "record_links",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]


class FindingSerializer(TenantModelSerializer):
    clause = serializers.SlugRelatedField(
        slug_field="number", required=False, allow_null=True, queryset=_clauses()
    )
    nonconformity = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "reference",
            "audit",
            "item",
            "kind",
            "clause",
            "process",
            "statement",
            "evidence",
            "status",
            "nonconformity",
            "verified_in",
            "verified_at",
            "verification_note",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "reference",
            "status",
            "verified_in",
            "verified_at",
            "verification_note",
            "created_at",
            "updated_at",
        ]

    def get_nonconformity(self, obj: Finding) -> str | None:
        if obj.nc_type is None:
            return None
        return f"{obj.nc_type.app_label}.{obj.nc_type.model}:{obj.nc_id}"


class VerifySerializer(serializers.Serializer):
    audit = serializers.IntegerField(help_text="The follow-up audit in which closure was verified.")
    note = serializers.CharField(max_length=5000)
