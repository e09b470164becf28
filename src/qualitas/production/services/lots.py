"""Lots: opening, genealogy, workflow steps and dispositions of nonconforming product."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_record, delete_record, update_record, workflow_step
from qualitas.production.models import Lot, LotDisposition
from qualitas.production.workflow import LOT_WORKFLOW


def _check_parents(lot: Lot | None, parents: Iterable[Lot]) -> None:
    for p in parents:
        if lot is not None and p.pk == lot.pk:
            raise ValidationError({"parents": "A lot cannot be made from itself."})


def create_lot(*, organization: Any, actor: Any, data: dict[str, Any]) -> Lot:
    _check_parents(None, data.get("parents") or [])
    data = {k: v for k, v in data.items() if k != "status"}
    return create_record(Lot, organization=organization, actor=actor, data=data)


def update_lot(
    obj: Lot, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Lot:
    _check_parents(obj, data.get("parents") or [])
    data = {k: v for k, v in data.items() if k != "status"}
    return update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_lot(obj: Lot, *, actor: Any, reason: str = "") -> None:
    if obj.records.exists():
        raise ValidationError(
            {"__all__": "A lot with inspection records is retained evidence: reject it instead."}
        )
    delete_record(obj, actor=actor, reason=reason)


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
