"""What every bench generator writes through: the organization's people and clock, seeded random
sources, bulk inserts that keep the historical timestamps, and the queue of audit events that
``core.bulk`` appends to the hash chain in time order."""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from tqdm import tqdm

from qualitas.accounts.models import Organization, User
from qualitas.bench.registry import Scale
from qualitas.core.bulk import BulkAuditWriter
from qualitas.core.models import Sequence as Counter


@dataclass
class GenerationContext:
    organization: Organization
    scale: Scale
    seed: int
    until: dt.date
    admin: User
    people: list[User]
    roles: dict[int, str]
    show_progress: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    _events: list[tuple[dt.datetime, int, dict[str, Any]]] = field(default_factory=list)

    @property
    def start(self) -> dt.datetime:
        first = self.until - dt.timedelta(days=365 * self.scale.years)
        return dt.datetime.combine(first, dt.time(7, 0), tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until, dt.time(17, 0), tzinfo=dt.UTC)

    def rng(self, key: str) -> random.Random:
        return random.Random(f"{self.seed}:{key}")

    def with_role(self, *roles: str) -> list[User]:
        return [p for p in self.people if self.roles[p.pk] in roles]

    def owner_picker(self, rng: random.Random, people: Sequence[User] | None = None) -> Any:
        """Owners as in a real plant: a few people own many records, most own a handful."""
        pool = list(people or self.people)
        weights = [1.0 / (i + 1) ** 0.8 for i in range(len(pool))]
        rng.shuffle(pool)
        return lambda: rng.choices(pool, weights)[0]

    def event(
        self,
        when: dt.datetime,
        *,
        actor: Any,
        action: str,
        obj: models.Model,
        changes: dict[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        """Queue the audit event that writing ``obj`` through its service would have produced.
        ``changes`` must hold JSON values already (``audit.snapshot``/``audit.to_jsonable`` output)."""
        self._events.append(
            (
                when,
                len(self._events),
                {"actor": actor, "action": action, "obj": obj, "changes": changes, "reason": reason},
            )
        )

    def progress(self, desc: str, total: int) -> tqdm:
        return tqdm(
            total=total,
            desc=desc,
            unit="rec",
            file=sys.stderr,
            disable=not self.show_progress,
            mininterval=0.5,
            leave=False,
        )

    def bulk_insert(
        self, model: type[models.Model], objs: list[Any], *, desc: str = "", batch_size: int = 1000
    ) -> None:
        """Insert ``objs`` as they are (timestamps included) and set their primary keys."""
        with self.progress(desc or str(model._meta.verbose_name_plural), len(objs)) as bar:
            for i in range(0, len(objs), batch_size):
                chunk = objs[i : i + batch_size]
                insert_rows(model, chunk)
                bar.update(len(chunk))

    def set_counters(self, prefix: str, per_year: dict[int, int]) -> None:
        """Leave numbering where the generated references stop (the next service call goes on from there)."""
        Counter.objects.bulk_create(
            [
                Counter(organization=self.organization, key=f"{prefix}-{year}", value=n)
                for year, n in sorted(per_year.items())
            ]
        )

    def write_events(self) -> int:
        self._events.sort(key=lambda e: (e[0], e[1]))
        with (
            self.progress("audit events", len(self._events)) as bar,
            BulkAuditWriter(self.organization) as trail,
        ):
            for i, (when, _n, kwargs) in enumerate(self._events, 1):
                trail.add(created_at=when, changes_are_json=True, **kwargs)
                if i % 5000 == 0:
                    bar.update(5000)
            bar.update(len(self._events) % 5000)
        written = len(self._events)
        self._events = []
        return written


_PLAIN = {
    "CharField",
    "TextField",
    "SlugField",
    "EmailField",
    "URLField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "BooleanField",
    "FloatField",
    "ForeignKey",
    "OneToOneField",
}


def _adapter(field: Any, connection: Any) -> Any:
    """None when the value goes to the driver as it is, else the conversion ``get_db_prep_save`` does."""
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    ops = connection.ops
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: None if value is None else ops.adapt_json_value(value, field.encoder)
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(model: type[models.Model], objs: Sequence[Any]) -> None:
    """One multi-row ``INSERT … RETURNING`` with values adapted by the fields (what ``bulk_create``
    sends, without its per-object machinery); keeps the given ``created_at``/``updated_at``."""
    if not objs:
        return
    connection = connections[model._default_manager.db]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    adapters = [(f.attname, _adapter(f, connection)) for f in fields]
    params = [
        adapt(getattr(obj, attname)) if adapt else getattr(obj, attname)
        for obj in objs
        for attname, adapt in adapters
    ]
    pk = connection.ops.quote_name(meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(objs))} RETURNING {pk}", params
        )
        ids = cursor.fetchall()
    for obj, (pk_value,) in zip(objs, ids, strict=True):
        obj.pk = pk_value
        obj._state.adding = False
        obj._state.db = connection.alias
