"""What the bench generators share: times, create and change diffs, numbering, a record's history."""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import Model

from qualitas.core import audit
from qualitas.core.models import Sequence as NumberCounter

J = audit.to_jsonable
DAY = dt.timedelta(days=1)
MS = dt.timedelta(milliseconds=1)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def working_time(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment of the working day (07:00-17:00 UTC)."""
    return dt.datetime.combine(day, dt.time(7), tzinfo=dt.UTC) + dt.timedelta(seconds=rng.random() * 36000)


def spread(rng: random.Random, start: dt.datetime, end: dt.datetime, n: int) -> list[dt.datetime]:
    span = max((end - start).total_seconds(), 1.0)
    return sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(n))


_PLAIN = (str, int, bool, type(None))
_SNAPSHOT_FIELDS: dict[type, list[tuple[str, Any]]] = {}


def created(obj: Any, **initial: Any) -> dict[str, list[Any]]:
    """The changes of a ``*.create`` event: ``audit.diff({}, audit.snapshot(obj))`` with ``initial``
    overriding the fields that later events changed (the record as the service first saved it).
    Same result as those two calls (a test compares them), without their per-call overhead."""
    fields = _SNAPSHOT_FIELDS.get(type(obj))
    if fields is None:
        exclude: frozenset[str] = getattr(obj, "audit_exclude", frozenset())
        fields = _SNAPSHOT_FIELDS[type(obj)] = [
            (f.attname, f)
            for f in obj._meta.concrete_fields
            if f.name not in exclude and f.attname not in exclude and f.name not in ("created_at", "id")
        ]
    after = {}
    for attname, field in fields:
        value = initial[attname] if attname in initial else field.value_from_object(obj)
        after[attname] = value if type(value) in _PLAIN else J(value)
    return {name: [None, after[name]] for name in sorted(after) if after[name] is not None}


def changes(**fields: tuple[Any, Any]) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` as JSON values, unchanged fields left out (like ``audit.diff``)."""
    out = {}
    for name in sorted(fields):
        before, after = (v if type(v) in _PLAIN else J(v) for v in fields[name])
        if before != after:
            out[name] = [before, after]
    return out


def pick(rng: random.Random, pool: Sequence[Any], k: int, exclude: Sequence[Any] = ()) -> list[Any]:
    """Up to ``k`` different members of ``pool`` not in ``exclude`` (a few draws, not a pass over a
    pool of thousands)."""
    out: list[Any] = []
    for _ in range(8 * k):
        if len(out) == k:
            break
        candidate = rng.choice(pool)
        if candidate not in exclude and candidate not in out:
            out.append(candidate)
    return out


def stamp(ctx: Any, obj: Any, created_at: dt.datetime, updated_at: dt.datetime, actor: Any) -> Any:
    obj.organization_id = ctx.organization.pk
    obj.created_at, obj.updated_at = created_at, updated_at
    obj.created_by_id = getattr(actor, "pk", None)
    return obj


def insert_with_history(
    ctx: Any, model: Any, rows: list[Any], plans: list[tuple[Any, History]], *, action: str, desc: str
) -> None:
    """Insert ``rows`` and queue, for each, its create event by its creator and the events of its later
    history (``plans``: one ``(creator, History)`` per row)."""
    ctx.bulk_insert(model, rows, desc=desc)
    for obj, (creator, history) in zip(rows, plans, strict=True):
        ctx.event(
            obj.created_at, actor=creator, action=action, obj=obj, changes=created(obj, **history.initial)
        )
        history.emit(ctx, obj)


def raise_counters(ctx: Any, values: dict[str, int]) -> None:
    """Leave each numbering counter at least at ``value`` (creating the missing ones)."""
    existing = {c.key: c for c in NumberCounter.objects.filter(organization=ctx.organization, key__in=values)}
    missing = []
    for key, value in sorted(values.items()):
        row = existing.get(key)
        if row is None:
            missing.append(NumberCounter(organization=ctx.organization, key=key, value=value))
        elif row.value < value:
            row.value = value
            row.save(update_fields=["value"])
    NumberCounter.objects.bulk_create(missing)


def yearly_numbers(ctx: Any, prefix: str) -> Callable[[dt.datetime], str]:
    """``PREFIX-YYYY-NNNN`` going on from the counters already stored (``numbering.next_reference``)."""
    start = {
        c.key: c.value
        for c in NumberCounter.objects.filter(organization=ctx.organization, key__startswith=f"{prefix}-")
    }
    used: dict[str, int] = {}

    def next_reference(when: dt.datetime) -> str:
        key = f"{prefix}-{when.year}"
        used[key] = used.get(key, start.get(key, 0)) + 1
        return f"{key}-{used[key]:04d}"

    next_reference.used = used  # type: ignore[attr-defined]
    return next_reference


def people(ctx: Any, *roles: str) -> list[Any]:
    return ctx.with_role(*roles) or [ctx.admin]


class History:
    """The values a record's changing fields go through, and the events that changed them."""

    def __init__(self, **initial: Any) -> None:
        self.initial = dict(initial)
        self.state = dict(initial)
        self.steps: list[tuple[dt.datetime, Any, str, dict[str, tuple[Any, Any]], str]] = []

    def step(self, when: dt.datetime, actor: Any, action: str, reason: str = "", **new: Any) -> None:
        # The diff is built at emit time: a value may be a record that gets its primary key later.
        pairs = {name: (self.state[name], value) for name, value in new.items()}
        self.steps.append((when, actor, action, pairs, reason))
        self.state.update(new)

    @property
    def last(self) -> dt.datetime | None:
        return self.steps[-1][0] if self.steps else None

    def apply(self, obj: Any) -> None:
        for name, value in self.state.items():
            setattr(obj, name, value.pk if isinstance(value, Model) else value)

    def emit(self, ctx: Any, obj: Any) -> None:
        for when, actor, action, pairs, reason in self.steps:
            ctx.event(when, actor=actor, action=action, obj=obj, changes=changes(**pairs), reason=reason)
