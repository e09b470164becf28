from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from qualitas.core.models import AuditEvent, TenantModel

if TYPE_CHECKING:
    _ModelSerializer = serializers.ModelSerializer[Any]
    _Serializer = serializers.Serializer[Any]
else:
    _ModelSerializer, _Serializer = serializers.ModelSerializer, serializers.Serializer


class TenantModelSerializer(_ModelSerializer):
    """Related-record choices limited to the caller's organization; ``version`` carries the edit
    version (send back the one you read to be protected from lost updates); ``reason`` goes to the
    audit trail."""

    version = serializers.IntegerField(
        required=False, help_text="The version you read; a newer one is a 409."
    )
    reason = serializers.CharField(
        required=False,
        write_only=True,
        allow_blank=True,
        max_length=2000,
        help_text="Reason for change, recorded in the audit trail.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        org = getattr(request, "organization", None)
        User = get_user_model()
        for field in self.fields.values():
            target: Any = getattr(field, "child_relation", field)
            qs = getattr(target, "queryset", None)
            if qs is None:
                continue
            model = qs.model
            if issubclass(model, TenantModel) or any(f.name == "organization" for f in model._meta.fields):
                target.queryset = qs.filter(organization=org) if org is not None else qs.none()
            elif model is User:
                target.queryset = (
                    qs.filter(memberships__organization=org, memberships__is_active=True)
                    if org
                    else qs.none()
                )

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.validated_data.items() if k not in ("version", "reason")}


class AuditEventSerializer(_ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "seq",
            "created_at",
            "actor",
            "actor_name",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "reason",
            "source",
            "request_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class TransitionSerializer(_Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text="What was done (e.g. the evidence of completion).",
    )
    version = serializers.IntegerField(
        required=False, help_text="The version of the record you read; a newer one is a 409 conflict."
    )
