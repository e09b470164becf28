"""Bulk appends to the audit trail: many events, one transaction, one lock of the chain head.

``audit.append`` locks the chain head, inserts one row and updates the head for every event: right
for a service that writes one record, far too slow for a data generator or a large import that
writes a hundred thousand. ``BulkAuditWriter`` keeps the same chain (gap-free ``seq``, ``prev_hash``
naming the predecessor, ``hash`` from ``audit.compute_hash`` over ``audit.to_jsonable`` values) and
inserts the events in batches::

    with transaction.atomic(), BulkAuditWriter(org) as trail:
        for action in actions:
            trail.add(actor=owner, action="action.create", obj=action, changes=..., created_at=when)

The head stays locked from ``__enter__`` to ``__exit__``, so no other writer can interleave; the
caller's transaction makes the batch all-or-nothing. ``qualitas audit verify`` passes afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from types import TracebackType
from typing import Any

from django.db import connections, models, transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.audit.chain import STORED_COLUMNS, ordered, payload_encoder, payload_values
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.types import Actor, Tenant, display_name


class BulkAuditWriter:
    """Append events to one organization's chain in the caller's transaction, ``batch_size`` rows
    per INSERT. Events are chained in the order ``add`` is called; give historical ``created_at``
    values in ascending order so that the trail reads in time order.

    Rows go in as multi-row ``INSERT … VALUES`` statements with the values adapted by the fields
    themselves (``get_db_prep_save``), so SQLite and PostgreSQL store exactly what ``AuditEvent``
    would; the hash is the payload of ``audit.compute_hash`` built with the same C encoder that
    ``verify_chain`` uses (a test proves both agree)."""

    def __init__(
        self,
        organization: Tenant,
        *,
        batch_size: int = 1000,
        source: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.organization = organization
        self.org_uuid = str(organization.uuid)
        self.batch_size = batch_size
        ctx = audit.current_context()
        self.source = source or ctx.source
        if self.source not in audit.SOURCES:
            raise ValueError(f"unknown audit source {self.source!r}")
        self.request_id = request_id if request_id is not None else ctx.request_id
        self._pending: list[tuple[Any, ...]] = []
        self._names: dict[int | None, str] = {None: "system"}
        self._head: AuditChainHead | None = None
        self._decode, self._encode = payload_encoder()
        self.seq = 0
        self.last_hash = audit.GENESIS
        self.written = 0

    def __enter__(self) -> BulkAuditWriter:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("bulk audit events are written inside the caller's transaction")
        self._head = audit.lock_head(self.organization)
        self.seq = self._head.seq
        self.last_hash = self._head.last_hash
        self._connection = connections[AuditEvent.objects.db]
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            self._pending.clear()
            return
        self.flush()
        assert self._head is not None  # set by __enter__
        self._head.seq = self.seq
        self._head.last_hash = self.last_hash
        self._head.save(update_fields=["seq", "last_hash"])

    def _actor(self, actor: Actor) -> tuple[int | None, str]:
        actor_id = getattr(actor, "pk", None)
        name = self._names.get(actor_id)
        if name is None:
            name = self._names[actor_id] = display_name(actor)[:200]
        return actor_id, name

    def add(
        self,
        *,
        actor: Actor,
        action: str,
        obj: models.Model | None = None,
        object_type: str = "",
        object_id: Any = "",
        object_repr: str = "",
        changes: dict[str, Any] | None = None,
        reason: str = "",
        created_at: dt.datetime | None = None,
        changes_are_json: bool = False,
    ) -> str:
        """Queue one event (chained now, inserted at the next flush) and return its hash. ``obj``
        fills the object fields; ``changes_are_json`` skips ``to_jsonable`` for values that are
        JSON values already (e.g. built from ``audit.snapshot``)."""
        if self._head is None:
            raise RuntimeError("use BulkAuditWriter as a context manager")
        if obj is not None:
            object_type = audit.object_type_of(obj)
            object_id = obj.pk
            object_repr = str(obj)
        when = created_at or timezone.now()
        if timezone.is_naive(when):
            raise ValueError("created_at must be timezone-aware")
        when = when.replace(microsecond=when.microsecond // 1000 * 1000)
        actor_id, actor_name = self._actor(actor)
        changes = (changes or {}) if changes_are_json else audit.to_jsonable(changes or {})
        object_id, object_repr, reason = str(object_id), str(object_repr)[:300], reason or ""
        self.seq += 1
        values = ordered(
            {
                "seq": self.seq,
                "created_at": when,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "object_repr": object_repr,
                "changes": changes,
                "reason": reason,
                "source": self.source,
                "request_id": self.request_id,
                "prev_hash": self.last_hash,
            }
        )
        payload = "".join(self._encode(payload_values(self.org_uuid, values)))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        self._pending.append((self.organization.pk, *values, digest))
        self.last_hash = digest
        if len(self._pending) >= self.batch_size:
            self.flush()
        return digest

    def flush(self) -> None:
        if not self._pending:
            return
        connection = self._connection
        # What DateTimeField/JSONField.get_db_prep_save send, without their per-value checks.
        adapt_time, adapt_json = connection.ops.adapt_datetimefield_value, connection.ops.adapt_json_value
        encoder = AuditEvent._meta.get_field("changes").encoder
        created, changes = STORED_COLUMNS.index("created_at"), STORED_COLUMNS.index("changes")
        rows = [
            (
                *r[:created],
                adapt_time(r[created]),
                *r[created + 1 : changes],
                adapt_json(r[changes], encoder),
                *r[changes + 1 :],
            )
            for r in self._pending
        ]
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        columns = ", ".join(STORED_COLUMNS)
        one = "(" + ", ".join(["%s"] * len(STORED_COLUMNS)) + ")"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # psycopg pipelines executemany; one huge client-side-bound statement is slower there.
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES {one}", rows)
            else:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(rows))}",
                    [value for row in rows for value in row],
                )
        self.written += len(rows)
        self._pending = []
