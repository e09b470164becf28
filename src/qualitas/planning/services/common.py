"""What the planning writers share."""

from __future__ import annotations

from typing import Any, TypeVar

from qualitas.core.models import TenantModel
from qualitas.core.services import Prepare, ensure_member, update_record

Owned = TypeVar("Owned", bound=TenantModel)


def update_owned(
    record: Owned,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    prepare: Prepare | None = None,
) -> Owned:
    """Update a record that has an owner (processes, objectives, KPIs): a new owner must be a member
    of the record's organization."""
    ensure_member(record.organization, data.get("owner"), "owner")
    return update_record(
        record, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=prepare
    )
