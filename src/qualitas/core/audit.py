"""The audit trail, written in one place.

Services wrap every write in ``tracking(obj, actor=..., action=..., reason=...)``: it takes a locked,
fresh snapshot before, checks the optimistic-lock version, and appends one event with the
field-level diff in the same transaction. ``record()`` appends an explicit event (deletes, state
changes with extra context). Signals are not used: they miss bulk writes and writes outside requests.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from qualitas.core.exceptions import ConflictError
from qualitas.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
SOURCES = ("web", "api", "cli", "job")


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
        for field in obj._meta.many_to_many:
            if field.name not in exclude:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = before.keys() | after.keys()
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


# --- the chain -----------------------------------------------------------------------------------


def compute_hash(
    *,
    org_uuid: str,
    seq: int,
    created_at: dt.datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: Any,
    reason: str,
    source: str,
    request_id: str,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            org_uuid,
            seq,
            created_at.astimezone(dt.UTC).isoformat(),
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            changes,
            reason,
            source,
            request_id,
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    return obj._meta.label_lower


def _lock_head(organization: Any) -> AuditChainHead:
    try:
        return AuditChainHead.objects.select_for_update().get(organization=organization)
    except AuditChainHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(organization=organization, seq=0, last_hash=GENESIS)
        except IntegrityError:
            pass
        return AuditChainHead.objects.select_for_update().get(organization=organization)


def append(
    *,
    organization: Any,
    actor: Any,
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
    head = _lock_head(organization)
    now = timezone.now()
    fields = {
        "seq": head.seq + 1,
        # Millisecond precision: what every serializer (JSON export, APIs) keeps exactly.
        "created_at": now.replace(microsecond=now.microsecond // 1000 * 1000),
        "actor_id": getattr(actor, "pk", None),
        "actor_name": (actor.display_name if actor is not None else "system")[:200],
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
    event = AuditEvent.objects.create(organization=organization, **fields)
    head.seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["seq", "last_hash"])
    return event


def record(
    obj: models.Model, *, actor: Any, action: str, changes: dict[str, Any] | None = None, reason: str = ""
) -> AuditEvent:
    return append(
        organization=obj.organization,  # type: ignore[attr-defined]
        actor=actor,
        action=action,
        object_type=object_type_of(obj),
        object_id=obj.pk,
        object_repr=str(obj),
        changes=changes,
        reason=reason,
    )


@contextmanager
def tracking(
    obj: models.Model,
    *,
    actor: Any,
    action: str,
    reason: str = "",
    expected_version: int | None = None,
) -> Iterator[None]:
    """Record the field-level change the block makes to ``obj`` (create when it has no pk yet).

    For an existing record the row is locked and re-read, so the "before" side is what the database
    held, and ``expected_version`` (the version the editor read) is checked: a mismatch raises
    ``ConflictError`` instead of silently overwriting someone else's change.
    """
    if obj.pk is None:
        before: dict[str, Any] = {}
    else:
        fresh = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        current = getattr(fresh, "version", None)
        if expected_version is not None and current is not None and int(expected_version) != current:
            raise ConflictError(fresh)
        before = snapshot(fresh)
        if current is not None:
            obj.version = current + 1  # type: ignore[attr-defined]
    yield
    after = snapshot(obj)
    record(obj, actor=actor, action=action, changes=diff(before, after), reason=reason)


# --- verification --------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    organization: str
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


_VERIFY_FIELDS = (
    "seq",
    "created_at",
    "actor_id",
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
)
_VERIFY_CHUNK = 20000


def _canonical_hash_matches(organization: Any, seq: int) -> bool:
    """The slow, ORM-typed recomputation of one event's hash (used to confirm a fast-path mismatch)."""
    row = AuditEvent.objects.filter(organization=organization, seq=seq).values_list(*_VERIFY_FIELDS).first()
    if row is None:
        return False
    record_ = dict(zip(_VERIFY_FIELDS, row, strict=True))
    stored_hash = record_.pop("hash")
    return compute_hash(org_uuid=str(organization.uuid), **record_) == stored_hash


def _payload_encoder() -> tuple[Any, Any]:
    """(decode, encode): the JSON scanner and the ``compute_hash`` encoder (sorted keys, no spaces,
    UTF-8) of the standard library's C accelerator, called directly: ``json.loads``/``dumps`` add
    several Python frames per call. Falls back to the public functions where the accelerator is missing."""
    try:
        from _json import make_encoder, make_scanner  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - CPython always has the accelerator
        encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return json.loads, encoder.iterencode
    scan = make_scanner(json.JSONDecoder())
    encode = make_encoder(None, None, json.encoder.encode_basestring, None, ":", ",", True, False, True)

    def decode(text: str) -> Any:
        try:
            return scan(text, 0)[0]
        except StopIteration:
            return json.loads(text)

    return decode, lambda value: encode(value, 0)


def verify_chain(organization: Any, *, progress: Any = None) -> VerifyResult:
    """Walk one organization's chain in order and name the first event that does not fit.

    The walk reads raw rows in keyset chunks of the (organization, seq) index, so memory stays
    bounded and no model instances are built; the payload is the one ``compute_hash`` hashes, built
    with one prebuilt JSON encoder. Any fast-path mismatch is confirmed by the ORM-typed
    ``compute_hash`` before the event is called broken, so the verdict never depends on the fast path.
    """
    from django.db import connections

    org_uuid = str(organization.uuid)
    connection = connections[AuditEvent.objects.db]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    # SQLite: read the stored text ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC) instead of parsing a datetime.
    created = "CAST(created_at AS TEXT)" if sqlite else "created_at"
    columns = ", ".join(created if f == "created_at" else f for f in _VERIFY_FIELDS)
    sql = (
        f"SELECT {columns} FROM {table} WHERE organization_id = %s AND seq > %s "
        f"ORDER BY seq LIMIT {_VERIFY_CHUNK}"
    )
    decode, encode = _payload_encoder()
    sha256 = hashlib.sha256
    utc = dt.UTC
    join = "".join
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [organization.pk, last_seq])
            rows = cursor.fetchall()
        if not rows:
            break
        for (
            seq,
            created_at,
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            changes,
            reason,
            source,
            request_id,
            prev_hash,
            stored_hash,
        ) in rows:
            if seq != expected_seq:
                return VerifyResult(org_uuid, checked, expected_seq, f"event #{expected_seq} is missing")
            if prev_hash != expected_prev:
                return VerifyResult(org_uuid, checked, seq, "does not link to its predecessor")
            if type(created_at) is str:
                stamp = created_at.replace(" ", "T", 1) + "+00:00"
            else:
                stamp = created_at.astimezone(utc).isoformat()
            if type(changes) is str:
                changes = decode(changes)
            payload = join(
                encode(
                    [
                        org_uuid,
                        seq,
                        stamp,
                        actor_id,
                        actor_name,
                        action,
                        object_type,
                        object_id,
                        object_repr,
                        changes,
                        reason,
                        source,
                        request_id,
                        prev_hash,
                    ]
                )
            )
            if sha256(payload.encode()).hexdigest() != stored_hash and not _canonical_hash_matches(
                organization, seq
            ):
                return VerifyResult(org_uuid, checked, seq, "content does not match its hash")
            expected_prev = stored_hash
            expected_seq += 1
            checked += 1
            if progress is not None and checked % 10000 == 0:
                progress(10000)
        last_seq = rows[-1][0]
        if len(rows) < _VERIFY_CHUNK:
            break
    head = AuditChainHead.objects.filter(organization=organization).first()
    if head is not None and head.seq != checked:
        return VerifyResult(
            org_uuid, checked, checked + 1, f"chain ends at #{checked} but its head says #{head.seq}"
        )
    if head is not None and head.last_hash != expected_prev:
        return VerifyResult(org_uuid, checked, checked, "the last event does not match the chain head")
    return VerifyResult(org_uuid, checked)


def history_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organization_id=obj.organization_id,  # type: ignore[attr-defined]
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
    ).order_by("-seq")
