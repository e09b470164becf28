from __future__ import annotations

from typing import Any, cast

from rest_framework import serializers

from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.production import spc
from qualitas.production.choices import LotDecision
from qualitas.production.models import (
    Characteristic,
    InspectionPlan,
    InspectionRecord,
    Lot,
    LotRelease,
    PlanItem,
    Product,
    Reading,
)
from qualitas.production.services.catalog import LIMIT_FIELDS


class ProductSerializer(TenantModelSerializer):
    class Meta:
        model = Product
        fields = [
            "id",
            "part_number",
            "revision",
            "name",
            "customer",
            "owner",
            "release_roles",
            "is_active",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]


class CharacteristicSerializer(TenantModelSerializer):
    rules = serializers.ListField(child=serializers.ChoiceField(choices=list(spc.RULES)), required=False)

    class Meta:
        model = Characteristic
        fields = [
            "id",
            "product",
            "name",
            "kind",
            "nominal",
            "lsl",
            "usl",
            "unit",
            "acceptance_number",
            "criticality",
            "method",
            "equipment",
            "subgroup_size",
            "chart_type",
            "rules",
            "signal_action",
            "center",
            "lcl",
            "ucl",
            "spread_center",
            "spread_lcl",
            "spread_ucl",
            "sigma_within",
            "baseline_first",
            "baseline_last",
            "limits_locked_at",
            "limits_locked_by",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [*LIMIT_FIELDS, "created_at", "updated_at"]


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["characteristic", "sample_size", "frequency", "every_n", "aql"]


class InspectionPlanSerializer(TenantModelSerializer):
    items = PlanItemSerializer(many=True, required=False)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "product",
            "name",
            "stage",
            "recorder_roles",
            "instructions",
            "is_active",
            "items",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        org = getattr(request, "organization", None)
        child = cast(serializers.Serializer, cast(serializers.ListSerializer, self.fields["items"]).child)
        related = cast(serializers.PrimaryKeyRelatedField, child.fields["characteristic"])
        related.queryset = Characteristic.objects.filter(organization=org)


class LotSerializer(TenantModelSerializer):
    class Meta:
        model = Lot
        fields = [
            "id",
            "product",
            "number",
            "quantity",
            "status",
            "parents",
            "note",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["status", "created_at", "updated_at"]


class InspectionRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionRecord
        fields = [
            "id",
            "lot",
            "plan",
            "inspector",
            "equipment",
            "recorded_at",
            "verdict",
            "source",
            "reading_count",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ReadingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reading
        fields = [
            "id",
            "record",
            "characteristic",
            "subgroup",
            "value",
            "defects",
            "sample_size",
            "out_of_spec",
        ]
        read_only_fields = fields


class BatchReadingSerializer(serializers.Serializer):
    value = serializers.FloatField(required=False, allow_null=True)
    defects = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    sample_size = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    subgroup = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class ReadingBatchSerializer(serializers.Serializer):
    """A measuring machine's batch: readings of one characteristic on one lot."""

    characteristic = serializers.PrimaryKeyRelatedField(queryset=Characteristic.objects.none())
    lot = serializers.PrimaryKeyRelatedField(queryset=Lot.objects.none())
    plan = serializers.PrimaryKeyRelatedField(
        queryset=InspectionPlan.objects.none(), required=False, allow_null=True
    )
    equipment = serializers.CharField(required=False, allow_blank=True, max_length=200)
    recorded_at = serializers.DateTimeField(required=False)
    readings = BatchReadingSerializer.many_init(allow_empty=False, max_length=1_000_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = getattr(self.context.get("request"), "organization", None)
        for name, model in (("characteristic", Characteristic), ("lot", Lot), ("plan", InspectionPlan)):
            related = cast(serializers.PrimaryKeyRelatedField, self.fields[name])
            related.queryset = model.objects.filter(organization=org)


class BatchResultSerializer(serializers.Serializer):
    records = serializers.ListField(child=serializers.IntegerField())
    readings = serializers.IntegerField()
    out_of_spec = serializers.IntegerField()
    signals = serializers.ListField(child=serializers.CharField())


class ReleaseRequestSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LotReleaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = LotRelease
        fields = [
            "id",
            "lot",
            "signer",
            "signer_name",
            "signer_role",
            "meaning",
            "signed_at",
            "readings_count",
            "readings_hash",
            "note",
        ]
        read_only_fields = fields


class LockLimitsSerializer(serializers.Serializer):
    first = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    last = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ChartSerializer(serializers.Serializer):
    subgroups = serializers.ListField(child=serializers.IntegerField())
    points = serializers.ListField(child=serializers.FloatField(allow_null=True))
    center = serializers.FloatField()
    lcl = serializers.ListField(child=serializers.FloatField())
    ucl = serializers.ListField(child=serializers.FloatField())
    locked = serializers.BooleanField()
    violations = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    capability = serializers.DictField(allow_null=True)


class ExcludePointSerializer(serializers.Serializer):
    subgroup = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500)


class DispositionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=LotDecision.choices)
    note = serializers.CharField(max_length=5000)
