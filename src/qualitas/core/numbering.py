"""Human-readable reference numbers (``NC-2026-0007``): per organization, unique and gap-free.

The counter row is locked for the caller's transaction, so two writers never get one number and a
rolled-back write gives its number back.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from qualitas.core.models import Sequence


def next_value(organization: Any, key: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_value() must run inside the writer's transaction")
    row = Sequence.objects.select_for_update().filter(organization=organization, key=key).first()
    if row is None:
        try:
            with transaction.atomic():
                Sequence.objects.create(organization=organization, key=key, value=0)
        except IntegrityError:
            pass
        row = Sequence.objects.select_for_update().get(organization=organization, key=key)
    row.value += 1
    row.save(update_fields=["value"])
    return row.value


def next_reference(organization: Any, prefix: str, *, yearly: bool = True, width: int = 4) -> str:
    if yearly:
        year = timezone.localdate().year
        return f"{prefix}-{year}-{next_value(organization, f'{prefix}-{year}'):0{width}d}"
    return f"{prefix}-{next_value(organization, prefix):0{width}d}"
