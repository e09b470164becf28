"""Lots: opening, genealogy, workflow steps and dispositions of nonconforming product."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_record, delete_record, update_record, workflow_step
from qualitas.production.models import Lot, LotDisposition
from qualitas.production.workflow import LOT_WORKFLOW


def create_lot(*, organization: Any, actor: Any, data: dict[str, Any]) -> Lot:
    """A lot opens in process: its status changes only by workflow steps and release."""
    data = {k: v for k, v in data.items() if k != "status"}
    return create_record(Lot, organization=organization, actor=actor, data=data)


def _not_made_from_itself(lot: Lot, data: dict[str, Any]) -> dict[str, Any]:
    if any(p.pk == lot.pk for p in data.get("parents") or []):
        raise ValidationError({"parents": "A lot cannot be made from itself."})
    return data


def update_lot(
    obj: Lot, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Lot:
    data = {k: v for k, v in data.items() if k != "status"}
    return update_record(
        obj,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        prepare=_not_made_from_itself,
    )


def _no_records(lot: Lot) -> None:
    if lot.records.exists():
        raise ValidationError(
            {"__all__": "A lot with inspection records is retained evidence: reject it instead."}
        )


def delete_lot(obj: Lot, *, actor: Any, reason: str = "") -> None:
    delete_record(obj, actor=actor, reason=reason, check=_no_records)


@transaction.atomic
def transition_lot(
    lot: Lot,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Lot:
    with workflow_step(
        lot, LOT_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        pass
    return lot


@transaction.atomic
def record_disposition(lot: Lot, *, actor: Any, decision: str, note: str) -> LotDisposition:
    ensure_allowed(actor, lot.organization, "dispose", lot)
    if not (note or "").strip():
        raise ValidationError({"note": "Say what is done with the nonconforming product and why."})
    disp = LotDisposition(
        organization=lot.organization,
        lot=lot,
        decision=decision,
        note=note,
        decided_by=actor,
        created_by=actor,
    )
    disp.full_clean()
    with audit.tracking(disp, actor=actor, action="lotdisposition.create"):
        disp.save()
    return disp
