"""What the chain must reach: every record change writes its event in the same transaction, so an
organization whose records changed after its last event, or that holds records and no event at
all, has lost the tail of its trail (cut off, or emptied and its head reset with the guards dropped).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps

from qualitas.core.audit.verification import VerifyResult
from qualitas.core.models import AuditEvent, TenantModel
from qualitas.core.types import Tenant

# An event's time is cut to milliseconds after its record was saved; clocks of several
# application servers may differ a little.
TOLERANCE = dt.timedelta(seconds=2)


def newest_change(organization: Tenant) -> tuple[str, Any, dt.datetime] | None:
    """(model label, pk, time) of the organization's most recently changed record, if any."""
    newest: tuple[str, Any, dt.datetime] | None = None
    for model in apps.get_models():
        if not issubclass(model, TenantModel):
            continue
        row = (
            model._base_manager.filter(organization_id=organization.pk)
            .order_by("-updated_at")
            .values_list("pk", "updated_at")
            .first()
        )
        if row is not None and (newest is None or row[1] > newest[2]):
            newest = (model._meta.label_lower, row[0], row[1])
    return newest


def check_coverage(organization: Tenant, result: VerifyResult) -> VerifyResult:
    """``result`` (a verified chain), or why the chain is too short for the records it covers."""
    if not result.ok:
        return result
    newest = newest_change(organization)
    if newest is None:
        return result
    label, pk, changed = newest
    org_uuid = str(organization.uuid)
    if result.checked == 0:
        return VerifyResult(
            org_uuid, 0, 1, f"the chain is empty, but the organization holds records ({label} #{pk})"
        )
    events = AuditEvent.objects.filter(organization_id=organization.pk)
    if not events.filter(created_at__gte=changed - TOLERANCE).exists():
        when = changed.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return VerifyResult(
            org_uuid,
            result.checked,
            result.checked + 1,
            f"the chain ends at #{result.checked}, but {label} #{pk} changed later ({when}): "
            "its events are missing",
        )
    return result
