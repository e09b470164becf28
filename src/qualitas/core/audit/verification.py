"""Verifying the chain: recompute every event's hash in order and name the first that does not fit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from qualitas.core.audit.chain import (
    CHANGES,
    CREATED_AT,
    EVENT_COLUMNS,
    GENESIS,
    PREV_HASH,
    SEQ,
    compute_hash,
    payload_encoder,
    sqlite_payload_sql,
)
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.types import Tenant


@dataclass
class VerifyResult:
    organization: str
    checked: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


_VERIFY_FIELDS = (*EVENT_COLUMNS, "hash")
_VERIFY_CHUNK = 20000

# How far a walk got: (next expected seq, last hash) or the first break.
RangeOutcome = VerifyResult | tuple[int, str]
# (organization pk, organization uuid, first seq, last seq or None, prev_hash the first names)
RangeArgs = tuple[int, str, int, int | None, str]
RangeRunner = Callable[[list[RangeArgs]], Iterable[RangeOutcome]]
Progress = Callable[[int], object]


def _canonical_hash_matches(org_pk: int, org_uuid: str, seq: int) -> bool:
    """The slow, ORM-typed recomputation of one event's hash (used to confirm a fast-path mismatch)."""
    row = AuditEvent.objects.filter(organization_id=org_pk, seq=seq).values_list(*_VERIFY_FIELDS).first()
    if row is None:
        return False
    record_ = dict(zip(_VERIFY_FIELDS, row, strict=True))
    stored_hash = record_.pop("hash")
    return bool(compute_hash(org_uuid=org_uuid, **record_) == stored_hash)


def _sqlite_payload_sql(table: str, upper: str = "") -> str:
    return sqlite_payload_sql(table, upper, limit=_VERIFY_CHUNK)


def verify_chain(organization: Tenant, *, progress: Progress | None = None, jobs: int = 1) -> VerifyResult:
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
    head = AuditChainHead.objects.filter(organization_id=organization.pk).first()
    last = (
        head.seq
        if head is not None
        else (
            AuditEvent.objects.filter(organization_id=organization.pk)
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
        and not getattr(connection, "is_in_memory_db")()  # noqa: B009 - SQLite only
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
    organization: Tenant, ranges: list[tuple[int, int | None]], run: RangeRunner
) -> VerifyResult | tuple[int, str]:
    """Verify contiguous seq ranges with ``run`` (a ``map``-like callable over argument tuples) and
    join them in order: the first break wins, then each boundary link is checked."""
    org_uuid = str(organization.uuid)
    starts = [lo for lo, _hi in ranges]
    # Each later range starts from the predecessor its first event names; the join checks it.
    named = dict(
        AuditEvent.objects.filter(organization_id=organization.pk, seq__in=starts[1:]).values_list(
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


def _verify_range_job(args: RangeArgs) -> RangeOutcome:
    from django.db import connections

    try:
        return _verify_range(*args, None)
    finally:
        connections.close_all()


def _verify_parallel(
    organization: Tenant, last: int, jobs: int, progress: Progress | None
) -> VerifyResult | tuple[int, str]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    def run(args: list[RangeArgs]) -> Iterable[RangeOutcome]:
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
    org_pk: int, org_uuid: str, first: int, last: int | None, expected_prev: str, progress: Progress | None
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
    decode, encode = payload_encoder()
    sha256 = hashlib.sha256
    utc = dt.UTC
    join = "".join
    for row in rows:
        values = list(row)
        stored_hash = values.pop()
        seq, prev_hash = values[SEQ], values[PREV_HASH]
        checked = expected_seq - 1
        if seq != expected_seq:
            return VerifyResult(org_uuid, checked, expected_seq, f"event #{expected_seq} is missing")
        if prev_hash != expected_prev:
            return VerifyResult(org_uuid, checked, seq, "does not link to its predecessor")
        created_at = values[CREATED_AT]
        if type(created_at) is str:
            values[CREATED_AT] = created_at.replace(" ", "T", 1) + "+00:00"
        else:
            values[CREATED_AT] = created_at.astimezone(utc).isoformat()
        if type(values[CHANGES]) is str:
            values[CHANGES] = decode(values[CHANGES])
        payload = join(encode([org_uuid, *values]))
        if sha256(payload.encode()).hexdigest() != stored_hash and not _canonical_hash_matches(
            org_pk, org_uuid, seq
        ):
            return VerifyResult(org_uuid, checked, seq, "content does not match its hash")
        expected_prev = stored_hash
        expected_seq += 1
    return expected_seq, expected_prev
