from rest_framework import serializers

from qualitas.actions.models import Action
from qualitas.core.api.serializers import TenantModelSerializer


class ActionSerializer(TenantModelSerializer):
    owner_name = serializers.CharField(source="owner.display_name", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "kind",
            "owner",
            "owner_name",
            "due_date",
            "priority",
            "status",
            "is_overdue",
            "completed_at",
            "completion_note",
            "subject",
            "created_at",
            "updated_at",
            "version",
            "reason",
        ]
        read_only_fields = [
            "reference",
            "status",
            "completed_at",
            "completion_note",
            "created_at",
            "updated_at",
        ]

    def get_subject(self, obj: Action) -> str | None:
        if obj.subject_type is None:
            return None
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}:{obj.subject_id}"
