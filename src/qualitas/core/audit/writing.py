"""Writing the trail: where writes come from, field-level diffs, appending to the chain, and
``tracking`` — the block in which a service changes one record.

``tracking(obj, ...)`` locks the record's row, reloads ``obj`` in place from it, checks the version
the editor read, and yields the instance: every change happens inside the block, on the fresh row,
and a save there writes only the fields the block changed (``TenantModel.save``). Signals are not
used: they miss bulk writes and writes outside requests.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from qualitas.core.audit.chain import GENESIS, compute_hash
from qualitas.core.exceptions import ConflictError
from qualitas.core.models import AuditChainHead, AuditEvent, forget_locked_read, remember_locked_read
from qualitas.core.types import Actor, Tenant, display_name

SOURCES = ("web", "api", "cli", "job")

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class AuditContext:
    source: str = "job"
    request_id: str = ""


_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "qualitas_audit",
    default=AuditContext(),  # noqa: B039 - a frozen dataclass, never mutated
)


def current_context() -> AuditContext:
    return _context.get()


@contextmanager
def context(source: str, request_id: str | None = None) -> Iterator[AuditContext]:
    """Name where writes come from (web, api, cli, job) for everything inside the block."""
    if source not in SOURCES:
        raise ValueError(f"unknown audit source {source!r}")
    ctx = AuditContext(source=source, request_id=request_id or uuid.uuid4().hex)
    token = _context.set(ctx)
    try:
        yield ctx
    finally:
        _context.reset(token)


def set_source(source: str) -> None:
    """Change the source for the rest of the current context (DRF tells us late that a call is API)."""
    _context.set(AuditContext(source=source, request_id=_context.get().request_id))


# --- snapshots and diffs -------------------------------------------------------------------------


def to_jsonable(value: Any) -> Any:
    """A stable JSON value: hashing must give the same bytes after a database round trip."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def snapshot(obj: models.Model, *, with_m2m: bool = True) -> dict[str, Any]:
    exclude: frozenset[str] = getattr(obj, "audit_exclude", frozenset())
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude or field.name in ("created_at", "id"):
            continue
        data[field.attname] = to_jsonable(field.value_from_object(obj))
    if with_m2m and obj.pk:
        for m2m in obj._meta.many_to_many:
            if m2m.name not in exclude:
                data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


# --- appending to the chain ----------------------------------------------------------------------


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def lock_head(organization: Tenant) -> AuditChainHead:
    """The organization's chain head, locked for the caller's transaction (created on first use)."""
    try:
        return AuditChainHead.objects.select_for_update().get(organization_id=organization.pk)
    except AuditChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(organization_id=organization.pk, seq=0, last_hash=GENESIS)
        except IntegrityError:
            pass
        return AuditChainHead.objects.select_for_update().get(organization_id=organization.pk)


def append(
    *,
    organization: Tenant,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    object_repr: str,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the organization's chain. Must run inside the writer's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the service's transaction")
    ctx = current_context()
    head = lock_head(organization)
    now = timezone.now()
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        # Millisecond precision: what every serializer (JSON export, APIs) keeps exactly.
        "created_at": now.replace(microsecond=now.microsecond // 1000 * 1000),
        "actor_id": getattr(actor, "pk", None),
        "actor_name": display_name(actor)[:200],
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "object_repr": str(object_repr)[:300],
        "changes": to_jsonable(changes or {}),
        "reason": reason or "",
        "source": ctx.source,
        "request_id": ctx.request_id,
        "prev_hash": head.last_hash,
    }
    fields["hash"] = compute_hash(org_uuid=str(organization.uuid), **fields)
    event = AuditEvent.objects.create(organization_id=organization.pk, **fields)
    head.seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["seq", "last_hash"])
    return event


def record(
    obj: models.Model,
    *,
    actor: Actor,
    action: str,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append an explicit event about ``obj`` (deletes, links, events without a field diff)."""
    return append(
        organization=getattr(obj, "organization"),  # noqa: B009 - every audited record has one
        actor=actor,
        action=action,
        object_type=object_type_of(obj),
        object_id=obj.pk,
        object_repr=str(obj),
        changes=changes,
        reason=reason,
    )


# --- the locked, fresh row -----------------------------------------------------------------------


def lock(obj: M) -> M:
    """Lock ``obj``'s row for the caller's transaction and reload the instance in place from it.

    Every field is read again (deferred ones too); related objects already loaded stay cached
    while their key is unchanged. The raw values read are remembered on the instance, so a save
    in the same block writes only what changed since (``TenantModel.save``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a row is locked inside the writer's transaction")
    opts = obj._meta
    kept = [
        (field, getattr(obj, field.attname), field.get_cached_value(obj))
        for field in opts.concrete_fields
        if isinstance(field, models.ForeignObject) and field.is_cached(obj)
    ]
    obj.refresh_from_db(
        fields=[field.attname for field in opts.concrete_fields],
        from_queryset=type(obj)._base_manager.select_for_update(),
    )
    for field, key, related in kept:
        if getattr(obj, field.attname) == key and not field.is_cached(obj):
            field.set_cached_value(obj, related)
    remember_locked_read(obj)
    return obj


@contextmanager
def tracking(
    obj: M,
    *,
    actor: Actor,
    action: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Iterator[M]:
    """Record the field-level change the block makes to ``obj`` (a create when it has no pk yet).

    For an existing record the row is locked and ``obj`` reloaded in place from it (``lock``):
    the block works on what the database holds now, not on the copy the caller read earlier, and
    ``expected_version`` (the version the editor read) is checked first: a mismatch raises
    ``ConflictError`` instead of silently overwriting someone else's change. So every check of
    the record's state and every change belongs inside the block. A save there writes only the
    fields the block changed (and ``version``, ``updated_at``).
    """
    read_version: int | None = None
    if obj.pk is None:
        before: dict[str, Any] = {}
    else:
        lock(obj)
        read_version = getattr(obj, "version", None)
        stale = expected_version is not None and read_version is not None
        if stale and int(expected_version) != read_version:  # type: ignore[arg-type]
            forget_locked_read(obj)
            raise ConflictError(obj)
        before = snapshot(obj)
        if read_version is not None:
            obj.version = read_version + 1  # type: ignore[attr-defined]
    try:
        yield obj
        after = snapshot(obj)
        record(obj, actor=actor, action=action, changes=diff(before, after), reason=reason)
    except BaseException:
        if read_version is not None:
            obj.version = read_version  # type: ignore[attr-defined]
        raise
    finally:
        forget_locked_read(obj)
