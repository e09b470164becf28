from rest_framework import serializers

from qualitas.core.api.serializers import TenantModelSerializer
from qualitas.reviews.models import ManagementReview, ReviewOutput


class ReviewSerializer(TenantModelSerializer):
    period_start = serializers.DateField(required=False, help_text="Defaults to the previous review's date.")

    class Meta:
        model = ManagementReview
        fields = [
            "id",
            "reference",
            "title",
            "planned_date",
            "interval_months",
            "chair",
            "attendees",
            "period_start",
            "held_on",
            "status",
            "agenda",
            "conclusions",
            "frozen_at",
            "snapshot",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["reference", "status", "frozen_at", "snapshot", "created_at", "updated_at"]


class ReviewOutputSerializer(TenantModelSerializer):
    action_reference = serializers.CharField(source="action.reference", read_only=True, default=None)
    action_status = serializers.CharField(source="action.status", read_only=True, default=None)

    class Meta:
        model = ReviewOutput
        fields = [
            "id",
            "review",
            "kind",
            "decision",
            "owner",
            "due_date",
            "action",
            "action_reference",
            "action_status",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = ["action", "created_at", "updated_at"]
