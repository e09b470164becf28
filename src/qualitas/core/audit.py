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


def _canonical_hash_matches(org_pk: int, org_uuid: str, seq: int) -> bool:
    """The slow, ORM-typed recomputation of one event's hash (used to confirm a fast-path mismatch)."""
    row = AuditEvent.objects.filter(organization_id=org_pk, seq=seq).values_list(*_VERIFY_FIELDS).first()
    if row is None:
        return False
    record_ = dict(zip(_VERIFY_FIELDS, row, strict=True))
    stored_hash = record_.pop("hash")
    return compute_hash(org_uuid=org_uuid, **record_) == stored_hash


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


def _sqlite_payload_sql(table: str, upper: str = "") -> str:
    """SQLite builds each event's hash payload itself: ``json_array`` quotes text exactly as the
    payload's encoder does (compact, UTF-8 as is, the same escapes), and ``changes`` is spliced in as
    stored. Events written since ``changes`` is stored canonically (``CanonicalJSONField``) give
    the exact ``compute_hash`` payload; for older rows the hash does not match and the chunk is
    re-checked by the Python path, so the verdict never depends on this fast path."""
    head = (
        "rtrim(json_array(%s, seq, replace(CAST(created_at AS TEXT), ' ', 'T') || '+00:00', actor_id, "
        "actor_name, action, object_type, object_id, object_repr), ']')"
    )
    tail = "ltrim(json_array(reason, source, request_id, prev_hash), '[')"
    return (
        # As a BLOB: the UTF-8 bytes the hash takes, without a round trip through a Python str.
        f"SELECT seq, prev_hash, hash, CAST({head} || ',' || changes || ',' || {tail} AS BLOB) FROM {table} "
        f"WHERE organization_id = %s AND seq > %s{upper} ORDER BY seq LIMIT {_VERIFY_CHUNK}"
    )


def verify_chain(organization: Any, *, progress: Any = None, jobs: int = 1) -> VerifyResult:
    """Walk one organization's chain in order and name the first event that does not fit.

    The walk reads raw rows in keyset chunks of the (organization, seq) index, so memory stays
    bounded and no model instances are built. On SQLite the database builds each payload
    (``_sqlite_payload_sql``) and Python only hashes it; a chunk where anything does not fit is
    walked again by the Python path, which builds the payload from the fields with the
    ``compute_hash`` encoder. Any mismatch there is confirmed by the ORM-typed ``compute_hash``
    before the event is called broken, so the verdict never depends on a fast path.

    ``jobs > 1`` splits a long chain into that many seq ranges verified by forked processes (each
    range starts from the ``prev_hash`` its first event names; the links between ranges are checked
    here, in order). Only outside a transaction and on a database other processes can open; else
    the walk is sequential.
    """
    from django.db import connections

    org_uuid = str(organization.uuid)
    connection = connections[AuditEvent.objects.db]
    head = AuditChainHead.objects.filter(organization=organization).first()
    last = (
        head.seq
        if head is not None
        else (
            AuditEvent.objects.filter(organization=organization)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
            or 0
        )
    )
    parallel = (
        jobs > 1
        and last >= _PARALLEL_FROM
        and not connection.in_atomic_block
        and not connection.is_in_memory_db()
        if connection.vendor == "sqlite"
        else jobs > 1 and last >= _PARALLEL_FROM and not connection.in_atomic_block
    )
    if parallel:
        outcome = _verify_parallel(organization, last, jobs, progress)
    else:
        outcome = _verify_range(organization.pk, org_uuid, 1, None, GENESIS, progress)
    if isinstance(outcome, VerifyResult):
        return outcome
    next_seq, last_hash = outcome
    checked = next_seq - 1
    if head is not None and head.seq != checked:
        return VerifyResult(
            org_uuid, checked, checked + 1, f"chain ends at #{checked} but its head says #{head.seq}"
        )
    if head is not None and head.last_hash != last_hash:
        return VerifyResult(org_uuid, checked, checked, "the last event does not match the chain head")
    return VerifyResult(org_uuid, checked)


# Chains shorter than this are verified in one process (forking costs more than it saves).
_PARALLEL_FROM = 100_000


def split_ranges(last: int, parts: int) -> list[tuple[int, int | None]]:
    """``parts`` contiguous seq ranges covering 1..last; the last range is open-ended."""
    size = max(1, -(-last // parts))
    starts = list(range(1, last + 1, size))[:parts] or [1]
    return [(lo, (starts[i + 1] - 1) if i + 1 < len(starts) else None) for i, lo in enumerate(starts)]


def verify_ranges(
    organization: Any, ranges: list[tuple[int, int | None]], run: Any
) -> VerifyResult | tuple[int, str]:
    """Verify contiguous seq ranges with ``run`` (a ``map``-like callable over argument tuples) and
    join them in order: the first break wins, then each boundary link is checked."""
    org_uuid = str(organization.uuid)
    starts = [lo for lo, _hi in ranges]
    # Each later range starts from the predecessor its first event names; the join checks it.
    named = dict(
        AuditEvent.objects.filter(organization=organization, seq__in=starts[1:]).values_list(
            "seq", "prev_hash"
        )
    )
    args = [
        (organization.pk, org_uuid, lo, hi, GENESIS if i == 0 else named.get(lo, ""))
        for i, (lo, hi) in enumerate(ranges)
    ]
    results = list(run(args))
    expected_seq, expected_prev = 1, GENESIS
    for (lo, _hi), (_pk, _uuid, _lo, _hi2, start_prev), result in zip(ranges, args, results, strict=True):
        if lo != expected_seq:  # the previous range ended early (its last events are missing)
            return VerifyResult(org_uuid, expected_seq - 1, expected_seq, f"event #{expected_seq} is missing")
        if start_prev != expected_prev:
            if lo not in named and lo > 1:
                return VerifyResult(org_uuid, lo - 1, lo, f"event #{lo} is missing")
            return VerifyResult(org_uuid, lo - 1, lo, "does not link to its predecessor")
        if isinstance(result, VerifyResult):
            return result
        expected_seq, expected_prev = result
    return expected_seq, expected_prev


def _verify_range_job(args: tuple[Any, ...]) -> VerifyResult | tuple[int, str]:
    from django.db import connections

    try:
        return _verify_range(*args, None)
    finally:
        connections.close_all()


def _verify_parallel(
    organization: Any, last: int, jobs: int, progress: Any
) -> VerifyResult | tuple[int, str]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    def run(args: list[tuple[Any, ...]]) -> Any:
        # The workers are forked by the first submit, here: the parent must hold no open connection
        # then, or a worker would talk over the parent's socket (on PostgreSQL the protocol breaks).
        # verify_ranges has just queried, so close again; each worker opens its own connection.
        connections.close_all()
        return pool.map(_verify_range_job, args)

    ranges = split_ranges(last, jobs)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=len(ranges), mp_context=context) as pool:
        outcome = verify_ranges(organization, ranges, run)
    if progress is not None:
        progress(last)
    return outcome


def _verify_range(
    org_pk: int, org_uuid: str, first: int, last: int | None, expected_prev: str, progress: Any
) -> VerifyResult | tuple[int, str]:
    """Verify events ``first``..``last`` (``None``: to the end), the first one linking to
    ``expected_prev``: (next expected seq, last hash) or the first break."""
    from django.db import connections

    connection = connections[AuditEvent.objects.db]
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    sqlite = connection.vendor == "sqlite"
    # SQLite: read the stored text ("YYYY-MM-DD HH:MM:SS[.ffffff]", UTC) instead of parsing a datetime.
    created = "CAST(created_at AS TEXT)" if sqlite else "created_at"
    columns = ", ".join(created if f == "created_at" else f for f in _VERIFY_FIELDS)
    upper = "" if last is None else f" AND seq <= {int(last)}"
    fields_sql = (
        f"SELECT {columns} FROM {table} WHERE organization_id = %s AND seq > %s{upper} "
        f"ORDER BY seq LIMIT {_VERIFY_CHUNK}"
    )
    payload_sql = _sqlite_payload_sql(table, upper) if sqlite else None
    sha256 = hashlib.sha256
    expected_seq = first
    last_seq = first - 1
    while True:
        if payload_sql is not None:
            with connection.cursor() as cursor:
                cursor.execute(payload_sql, [org_uuid, org_pk, last_seq])
                rows = cursor.fetchall()
            if not rows:
                break
            prev, seq_ = expected_prev, expected_seq
            for seq, prev_hash, stored_hash, payload in rows:
                if seq != seq_ or prev_hash != prev or sha256(payload).hexdigest() != stored_hash:
                    break
                prev = stored_hash
                seq_ += 1
            else:
                if progress is not None:
                    progress(len(rows))
                expected_prev, expected_seq, last_seq = prev, seq_, rows[-1][0]
                if len(rows) < _VERIFY_CHUNK:
                    break
                continue
        with connection.cursor() as cursor:
            cursor.execute(fields_sql, [org_pk, last_seq])
            rows = cursor.fetchall()
        if not rows:
            break
        outcome = _verify_rows(org_pk, org_uuid, rows, expected_seq, expected_prev)
        if isinstance(outcome, VerifyResult):
            return outcome
        if progress is not None:
            progress(len(rows))
        expected_seq, expected_prev = outcome
        last_seq = rows[-1][0]
        if len(rows) < _VERIFY_CHUNK:
            break
    if last is not None and expected_seq <= last:
        return VerifyResult(org_uuid, expected_seq - 1, expected_seq, f"event #{expected_seq} is missing")
    return expected_seq, expected_prev


def _verify_rows(
    org_pk: int, org_uuid: str, rows: list[tuple[Any, ...]], expected_seq: int, expected_prev: str
) -> VerifyResult | tuple[int, str]:
    """The Python path over one chunk of raw rows: (next expected seq, last hash) or the first break."""
    decode, encode = _payload_encoder()
    sha256 = hashlib.sha256
    utc = dt.UTC
    join = "".join
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
        checked = expected_seq - 1
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
            org_pk, org_uuid, seq
        ):
            return VerifyResult(org_uuid, checked, seq, "content does not match its hash")
        expected_prev = stored_hash
        expected_seq += 1
    return expected_seq, expected_prev


def single_action(organization_id: int, value: str) -> str | None:
    """The one action name that starts with ``value``, if exactly one does (two index seeks)."""
    upper = value + "\U0010ffff"
    events = AuditEvent.objects.filter(organization_id=organization_id).order_by("action")
    first = events.filter(action__gte=value, action__lt=upper).values_list("action", flat=True).first()
    if first is None or events.filter(action__gt=first, action__lt=upper).exists():
        return None
    return first


def trail_filters(
    organization_id: int, *, action: str = "", object_type: str = ""
) -> tuple[models.Q, models.Q]:
    """The trail filtered by action prefix and object type, as two equivalent filters.

    ``walk`` keeps the indexes on ``action`` and ``object_type`` out of the plan, so the database reads
    the trail newest first along ``seq`` and stops after a page: fast when matches are dense. ``index``
    adds the same conditions in the form the ``(organization, action, seq)`` and ``(organization,
    object_type, …)`` indexes answer: a bounded count, and the rows of a sparse match (sorted after).
    ``TrailPaginator`` counts with ``walk & index`` and reads rows the cheaper way.

    An action prefix that covers a single name ("action.complete", or "action.compl") becomes that
    exact name, which ``(organization, action, seq)`` answers newest first in both forms."""
    walk, index = models.Q(), models.Q()
    if action:
        name = single_action(organization_id, action)
        if name is not None:
            walk &= models.Q(action=name)
        else:
            walk &= models.Q(action__startswith=action)  # LIKE: not an index range on SQLite
            index &= models.Q(action__gte=action, action__lt=action + "\U0010ffff")
    if object_type:
        walk &= models.Q(object_type__iexact=object_type)  # types are lower case "app.model"
        index &= models.Q(object_type=object_type)
    return walk, index


def history_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        organization_id=obj.organization_id,  # type: ignore[attr-defined]
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
    ).order_by("-seq")
