"""The register of retained records: a record's retention, its disposal, and the types that set it.

Record types have no rule of their own beyond "a type in use stays": pages and API create and edit
them through core's generic writers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_numbered, delete_record, update_record
from qualitas.documents.choices import RecordStatus
from qualitas.documents.models import Record, RecordType
from qualitas.documents.queries import add_months


def _type_unused(record_type: RecordType) -> None:
    if record_type.records.exists():
        raise ValidationError("Records of this type exist; the type stays.")


def delete_record_type(record_type: RecordType, *, actor: Any, reason: str = "") -> None:
    delete_record(record_type, actor=actor, reason=reason, check=_type_unused)


@transaction.atomic
def create_retained_record(
    *, organization: Any, actor: Any, data: dict[str, Any], reason: str = ""
) -> Record:
    data = dict(data)
    data["disposal_due"] = add_months(data["record_date"], data["record_type"].retention_months)
    return create_numbered(
        Record, organization=organization, actor=actor, data=data, prefix="REC", reason=reason
    )


@transaction.atomic
def update_retained_record(
    record: Record, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Record:
    def retention(fresh: Record, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.status == RecordStatus.DISPOSED:
            raise ValidationError("A disposed record is kept as it was.")
        record_type = data.get("record_type", fresh.record_type)
        record_date = data.get("record_date", fresh.record_date)
        return {**data, "disposal_due": add_months(record_date, record_type.retention_months)}

    return update_record(
        record, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=retention
    )


@transaction.atomic
def dispose_record(record: Record, *, actor: Any, method: str, note: str, reason: str = "") -> Record:
    """Disposal is recorded (who, when, how), never silent; early disposal needs a reason."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    ensure_allowed(actor, record.organization, "dispose", record)
    if record.status == RecordStatus.DISPOSED:
        raise ValidationError("This record was already disposed of.")
    if record.legal_hold:
        raise ValidationError("This record is on legal hold and cannot be disposed of.")
    if not method:
        raise ValidationError({"method": "Say how the record was disposed of."})
    if not (note or "").strip():
        raise ValidationError({"note": "Describe the disposal (who witnessed it, where it went)."})
    if record.disposal_due > timezone.localdate() and not (reason or "").strip():
        raise ValidationError(
            {"reason": "The retention period has not ended; an early disposal needs a reason."}
        )
    with audit.tracking(record, actor=actor, action="record.dispose", reason=reason or note):
        record.status = RecordStatus.DISPOSED
        record.disposed_at = timezone.now()
        record.disposed_by = actor
        record.disposal_method = method
        record.disposal_note = note.strip()
        record.save()
    return record
