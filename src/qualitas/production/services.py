"""All writes of the production area.

Measurement data has its own bulk path (:func:`import_readings`): readings are written with
``bulk_create`` and the batch leaves ONE audit event on its inspection record that names the count,
the characteristic, the lot, the first and last values and a SHA-256 of all values. Every other
write goes through ``create_record``/``update_record``/``audit.tracking``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import ensure_allowed, membership_of
from qualitas.core.services import (
    assert_same_organization,
    create_record,
    delete_record,
    update_record,
    workflow_step,
)
from qualitas.core.spreadsheet import paused_gc
from qualitas.production import spc
from qualitas.production.choices import (
    CharacteristicKind,
    ChartType,
    LotStatus,
    RecordSource,
    SignalAction,
    SignalKind,
    Verdict,
)
from qualitas.production.models import (
    Characteristic,
    ExcludedPoint,
    InspectionPlan,
    InspectionRecord,
    Lot,
    LotDisposition,
    LotRelease,
    PlanItem,
    Product,
    Reading,
    Signal,
)
from qualitas.production.workflow import LOT_WORKFLOW

# --- products, characteristics, plans ------------------------------------------------------------


def create_product(*, organization: Any, actor: Any, data: dict[str, Any]) -> Product:
    return create_record(Product, organization=organization, actor=actor, data=data)


def update_product(
    obj: Product, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Product:
    return update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_product(obj: Product, *, actor: Any, reason: str = "") -> None:
    delete_record(obj, actor=actor, reason=reason)


LIMIT_FIELDS = (
    "center",
    "lcl",
    "ucl",
    "spread_center",
    "spread_lcl",
    "spread_ucl",
    "sigma_within",
    "baseline_first",
    "baseline_last",
    "limits_locked_at",
    "limits_locked_by",
)


def create_characteristic(*, organization: Any, actor: Any, data: dict[str, Any]) -> Characteristic:
    data = {k: v for k, v in data.items() if k not in LIMIT_FIELDS}
    return create_record(Characteristic, organization=organization, actor=actor, data=data)


@transaction.atomic
def update_characteristic(
    obj: Characteristic,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Characteristic:
    data = {k: v for k, v in data.items() if k not in LIMIT_FIELDS}

    def limits(fresh: Characteristic, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.limits_locked and any(
            k in data and data[k] != getattr(fresh, k) for k in ("chart_type", "subgroup_size")
        ):
            # Limits computed for another chart or subgroup size are meaningless: unlock them.
            return {**data, **dict.fromkeys(LIMIT_FIELDS)}
        return data

    return update_record(
        obj, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=limits
    )


def delete_characteristic(obj: Characteristic, *, actor: Any, reason: str = "") -> None:
    delete_record(obj, actor=actor, reason=reason)


@transaction.atomic
def create_plan(*, organization: Any, actor: Any, data: dict[str, Any]) -> InspectionPlan:
    """One event for the plan and its list of characteristics."""
    ensure_allowed(actor, organization, "add", InspectionPlan)
    data = dict(data)
    items = data.pop("items", None) or []
    assert_same_organization(organization, data)
    plan = InspectionPlan(organization=organization, created_by=actor, **data)
    plan.full_clean()
    plan.save()
    new = _set_items(plan, actor, items)
    changes = {k: [None, v] for k, v in audit.snapshot(plan).items()}
    changes["items"] = [None, new]
    audit.record(plan, actor=actor, action="inspectionplan.create", changes=changes)
    return plan


def update_plan(
    obj: InspectionPlan,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> InspectionPlan:
    data = dict(data)
    items = data.pop("items", None)
    plan = update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)
    if items is not None:
        set_plan_items(plan, actor=actor, items=items, reason=reason)
    return plan


def delete_plan(obj: InspectionPlan, *, actor: Any, reason: str = "") -> None:
    delete_record(obj, actor=actor, reason=reason)


def _item_repr(item: PlanItem) -> str:
    return f"{item.characteristic_id}:{item.sample_size}/{item.frequency}/{item.every_n or ''}/{item.aql}"


@transaction.atomic
def set_plan_items(
    plan: InspectionPlan, *, actor: Any, items: Sequence[dict[str, Any]], reason: str = ""
) -> None:
    """Replace the plan's list of characteristics (each: characteristic, sample_size, frequency, ...)."""
    ensure_allowed(actor, plan.organization, "change", plan)
    before = [_item_repr(i) for i in plan.items.all()]
    after = _set_items(plan, actor, items)
    if before != after:
        audit.record(
            plan,
            actor=actor,
            action="inspectionplan.items",
            reason=reason,
            changes={"items": [before, after]},
        )


def _set_items(plan: InspectionPlan, actor: Any, items: Sequence[dict[str, Any]]) -> list[str]:
    new: list[PlanItem] = []
    for position, raw in enumerate(items):
        ch = raw["characteristic"]
        assert_same_organization(plan.organization, {"characteristic": ch})
        if ch.product_id != plan.product_id:
            raise ValidationError({"items": f"{ch} belongs to another product."})
        item = PlanItem(
            organization=plan.organization,
            plan=plan,
            characteristic=ch,
            position=position,
            sample_size=raw.get("sample_size") or ch.subgroup_size,
            frequency=raw.get("frequency") or "per_lot",
            every_n=raw.get("every_n"),
            aql=raw.get("aql") or "",
            created_by=actor,
        )
        item.full_clean(exclude=["plan"], validate_unique=False)
        new.append(item)
    if len({i.characteristic_id for i in new}) != len(new):
        raise ValidationError({"items": "A characteristic appears twice in the plan."})
    plan.items.all().delete()
    PlanItem.objects.bulk_create(new)
    return [_item_repr(i) for i in new]


# --- lots ------------------------------------------------------------------------------------------


def _check_parents(lot: Lot | None, parents: Iterable[Lot]) -> None:
    for p in parents:
        if lot is not None and p.pk == lot.pk:
            raise ValidationError({"parents": "A lot cannot be made from itself."})


def create_lot(*, organization: Any, actor: Any, data: dict[str, Any]) -> Lot:
    _check_parents(None, data.get("parents") or [])
    data = {k: v for k, v in data.items() if k != "status"}
    return create_record(Lot, organization=organization, actor=actor, data=data)


def update_lot(
    obj: Lot, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Lot:
    _check_parents(obj, data.get("parents") or [])
    data = {k: v for k, v in data.items() if k != "status"}
    return update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_lot(obj: Lot, *, actor: Any, reason: str = "") -> None:
    if obj.records.exists():
        raise ValidationError(
            {"__all__": "A lot with inspection records is retained evidence: reject it instead."}
        )
    delete_record(obj, actor=actor, reason=reason)


@transaction.atomic
def transition_lot(
    lot: Lot,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Lot:
    with workflow_step(
        lot, LOT_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        pass
    return lot


@transaction.atomic
def record_disposition(lot: Lot, *, actor: Any, decision: str, note: str) -> LotDisposition:
    ensure_allowed(actor, lot.organization, "dispose", lot)
    if not (note or "").strip():
        raise ValidationError({"note": "Say what is done with the nonconforming product and why."})
    disp = LotDisposition(
        organization=lot.organization,
        lot=lot,
        decision=decision,
        note=note,
        decided_by=actor,
        created_by=actor,
    )
    disp.full_clean()
    with audit.tracking(disp, actor=actor, action="lotdisposition.create"):
        disp.save()
    return disp


# --- release (8.6) -------------------------------------------------------------------------------


def readings_digest(lot: Lot) -> tuple[int, str]:
    """How many readings the lot has and a SHA-256 over all of them (binds a signature to the data)."""
    rows = (
        Reading.objects.filter(organization_id=lot.organization_id, record__lot=lot)
        .order_by("characteristic_id", "subgroup", "pk")
        .values_list("pk", "characteristic_id", "subgroup", "value", "defects", "sample_size")
    )
    h = hashlib.sha256()
    count = 0
    for row in rows.iterator(5000):
        h.update(repr(row).encode())
        count += 1
    return count, h.hexdigest()


def uncovered_out_of_spec(lot: Lot) -> list[int]:
    """Inspection records of the lot with readings outside specification that no disposition covers.

    Covered means: a disposition recorded on the lot after the record, or a disposition on the
    nonconformity that the record raised.
    """
    oos = dict(
        Reading.objects.filter(organization_id=lot.organization_id, record__lot=lot, out_of_spec=True)
        .values_list("record_id", "record__created_at")
        .distinct()
    )
    if not oos:
        return []
    last = lot.dispositions.order_by("-created_at").values_list("created_at", flat=True).first()
    open_ids = [r for r, at in oos.items() if last is None or at > last]
    if not open_ids:
        return []
    nc_by_record = dict(
        Signal.objects.filter(
            organization_id=lot.organization_id,
            record_id__in=open_ids,
            kind=SignalKind.OUT_OF_SPEC,
            nonconformity_id__isnull=False,
        ).values_list("record_id", "nonconformity_id")
    )
    decided: set[int] = set()
    if nc_by_record:
        try:
            from qualitas.improvement.models import Nonconformity
        except ImportError:  # the improvement area is not installed
            Nonconformity = None  # type: ignore[assignment,misc]
        if Nonconformity is not None:
            decided = set(
                Nonconformity.objects.filter(
                    organization_id=lot.organization_id, pk__in=nc_by_record.values()
                )
                .exclude(disposition="")
                .values_list("pk", flat=True)
            )
    return sorted(r for r in open_ids if nc_by_record.get(r) not in decided)


def release_problems(lot: Lot) -> list[str]:
    problems = []
    if lot.status not in (LotStatus.IN_PROCESS, LotStatus.ON_HOLD):
        problems.append(f"The lot is {lot.get_status_display().lower()}.")
    if not lot.records.exists():
        problems.append("The lot has no inspection record: there is no evidence of conformity yet.")
    uncovered = uncovered_out_of_spec(lot)
    if uncovered:
        problems.append(
            f"{len(uncovered)} inspection record(s) have readings outside specification without a "
            "disposition. Record a disposition on the lot or on its nonconformity first."
        )
    return problems


def _check_signature(actor: Any, password: str) -> None:
    if actor is None or not password or not actor.check_password(password):
        raise ValidationError({"password": "The password is not correct: the signature was not applied."})


@transaction.atomic
def release_lot(
    lot: Lot, *, actor: Any, password: str, meaning: str = "released", note: str = ""
) -> LotRelease:
    """Release a lot with an electronic signature: re-entered password, meaning, name and time
    snapshot, bound to the hash of the lot's readings."""
    ensure_allowed(actor, lot.organization, "release", lot)
    _check_signature(actor, password)
    return _release_one(lot, actor=actor, meaning=meaning, note=note)


@transaction.atomic
def release_lots(lots: Sequence[Lot], *, actor: Any, password: str, note: str = "") -> list[LotRelease]:
    """Release several lots under one password entry; each lot gets its own signature record.
    All or nothing: one lot that may not be released refuses the whole batch."""
    for lot in lots:
        ensure_allowed(actor, lot.organization, "release", lot)
    _check_signature(actor, password)
    return [_release_one(lot, actor=actor, meaning="released", note=note) for lot in lots]


def _release_one(lot: Lot, *, actor: Any, meaning: str, note: str) -> LotRelease:
    lot = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
    problems = release_problems(lot)
    if problems:
        raise ValidationError({"__all__": [f"Lot {lot.number}: {p}" for p in problems]})
    count, digest = readings_digest(lot)
    membership = membership_of(actor, lot.organization)
    release = LotRelease(
        organization=lot.organization,
        lot=lot,
        signer=actor,
        signer_name=actor.display_name,
        signer_role=getattr(membership, "role", ""),
        meaning=meaning,
        signed_at=timezone.now(),
        readings_count=count,
        readings_hash=digest,
        note=note,
        created_by=actor,
    )
    with audit.tracking(release, actor=actor, action="lotrelease.create"):
        release.save()
    with audit.tracking(lot, actor=actor, action="lot.release", reason=note):
        lot.status = LotStatus.RELEASED
        lot.save()
    return release


# --- readings: the bulk path ---------------------------------------------------------------------


@dataclass
class ImportResult:
    records: list[InspectionRecord] = field(default_factory=list)
    readings: int = 0
    out_of_spec: int = 0
    signals: list[Signal] = field(default_factory=list)


def _values_hash(values: Sequence[Any]) -> str:
    return hashlib.sha256(",".join(map(repr, values)).encode()).hexdigest()


def _check_recorder(actor: Any, organization: Any, plan: InspectionPlan | None) -> None:
    ensure_allowed(actor, organization, "add", InspectionRecord)
    if plan is not None and actor is not None:
        m = membership_of(actor, organization)
        if m is None or not plan.may_record(m.role):
            raise NotAllowed("Your role may not record inspections under this plan.")


def _pair_problems(organization: Any, ch: Any, lot: Any) -> list[str]:
    """What is wrong with a (characteristic, lot) pair, whatever the row (checked once per pair)."""
    if not isinstance(ch, Characteristic) or ch.organization_id != organization.pk:
        return ["unknown characteristic."]
    if not isinstance(lot, Lot) or lot.organization_id != organization.pk:
        return ["unknown lot."]
    problems = []
    if lot.product_id != ch.product_id:
        problems.append(f"lot {lot.number} is not a lot of {ch.product.part_number}.")
    if lot.status in (LotStatus.RELEASED, LotStatus.REJECTED):
        problems.append(f"lot {lot.number} is {lot.get_status_display().lower()}; no more readings.")
    return problems


def check_rows(organization: Any, rows: Sequence[dict[str, Any]]) -> None:
    """Row-level checks; every problem is reported as "Row n: ..." (``_line`` names the file line)."""
    errors: list[str] = []
    pairs: dict[tuple[int, int], tuple[list[str], str | None, str]] = {}
    for n, row in enumerate(rows, start=1):
        ch, lot = row.get("characteristic"), row.get("lot")
        key = (id(ch), id(lot))
        known = pairs.get(key)
        if known is None:
            problems = _pair_problems(organization, ch, lot)
            needed = None
            if not problems:
                needed = "value" if ch.kind == CharacteristicKind.NUMERIC else "defects"
            known = pairs[key] = (problems, needed, getattr(ch, "name", ""))
        problems, needed, name = known
        if (
            not problems
            and needed is not None
            and row.get(needed) is not None
            and (row.get("sample_size") is None or int(row["sample_size"]) >= 1)
        ):
            continue
        i = row.get("_line", n)
        errors.extend(f"Row {i}: {p}" for p in problems)
        if needed == "value" and row.get("value") is None:
            errors.append(f"Row {i}: {name} needs a measured value.")
        if needed == "defects" and row.get("defects") is None:
            errors.append(f"Row {i}: {name} needs a defect count (0 for a pass).")
        if row.get("sample_size") is not None and int(row["sample_size"]) < 1:
            errors.append(f"Row {i}: the sample size must be at least 1.")
        if len(errors) >= 200:
            break
    if errors:
        raise ValidationError({"rows": errors})


READING_COLUMNS = (
    "organization_id",
    "created_at",
    "updated_at",
    "created_by_id",
    "version",
    "record_id",
    "characteristic_id",
    "subgroup",
    "value",
    "defects",
    "sample_size",
    "out_of_spec",
)


def _insert_readings(
    organization: Any,
    record: InspectionRecord,
    ch: Characteristic,
    actor: Any,
    subgroups: list[int],
    shown: list[Any],
    sizes: list[int],
    oos: list[bool],
) -> None:
    """The bulk insert of readings without a model instance per reading (which costs ten times the
    insert itself): multi-row ``INSERT … VALUES`` statements on SQLite (half the time of one
    prepared statement executed per row), ``COPY`` on PostgreSQL, ``executemany`` elsewhere.
    Only called by :func:`import_readings`, which writes the batch's audit event."""
    from django.db import connection

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    const = (organization.pk, now, now, getattr(actor, "pk", None), 1, record.pk, ch.pk)
    nones = [None] * len(shown)
    values, defects = (shown, nones) if ch.is_numeric else (nones, shown)
    table = Reading._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in READING_COLUMNS)
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({columns}) VALUES ({', '.join(['%s'] * 12)})"
    params = [
        (*const, sg, v, d, n, o)
        for sg, v, d, n, o in zip(subgroups, values, defects, sizes, oos, strict=True)
    ]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        # The DB-API cursor directly (no per-call wrapper work), up to 500 rows per statement.
        width = len(READING_COLUMNS)
        raw = connection.connection.cursor()
        per = max(1, min(500, raw.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
        one = "(" + ", ".join(["?"] * width) + ")"
        head = sql[: sql.index(" VALUES ")].replace("%s", "?") + " VALUES "
        full = head + ", ".join([one] * per)
        for i in range(0, len(params), per):
            chunk = params[i : i + per]
            flat = [v for row in chunk for v in row]
            raw.execute(full if len(chunk) == per else head + ", ".join([one] * len(chunk)), flat)
        raw.close()
    elif connection.vendor == "postgresql":
        # COPY: one stream for the whole batch instead of a statement per row (about 3x faster).
        copy_sql = f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN"
        with connection.connection.cursor() as raw, raw.copy(copy_sql) as copy:
            for row in params:
                copy.write_row(row)
    else:
        with connection.cursor() as cursor:
            for i in range(0, len(params), 50_000):
                cursor.executemany(sql, params[i : i + 50_000])


def _next_subgroup(ch: Characteristic) -> int:
    last = Reading.objects.filter(organization_id=ch.organization_id, characteristic=ch).aggregate(
        m=Max("subgroup")
    )
    return (last["m"] or 0) + 1


def _subgroup_numbers(ch: Characteristic, rows: Sequence[dict[str, Any]], start: int) -> np.ndarray:
    given = [r.get("subgroup") for r in rows]
    if all(g is not None for g in given):
        # The machine numbered its subgroups; keep their order, append after existing ones.
        arr = np.asarray(given, dtype=np.int64)
        _, inverse = np.unique(arr, return_inverse=True)
        return start + inverse
    size = ch.subgroup_size if ch.chart_type in (ChartType.XBAR_R, ChartType.XBAR_S) else 1
    return start + np.arange(len(rows), dtype=np.int64) // max(size, 1)


@transaction.atomic
@paused_gc()  # tens of thousands of rows, tuples and lists: no cyclic GC walks over them meanwhile
def import_readings(
    *,
    organization: Any,
    actor: Any,
    rows: Sequence[dict[str, Any]],
    source: str = RecordSource.IMPORT,
    plan: InspectionPlan | None = None,
    equipment: str = "",
    recorded_at: Any = None,
    note: str = "",
    evaluate_signals: bool = True,
) -> ImportResult:
    """Write readings in bulk. All or nothing: any bad row refuses the whole batch with row errors.

    Rows are dicts with ``characteristic`` and ``lot`` (instances), ``value`` or ``defects``, and
    optionally ``sample_size``, ``subgroup``. Rows are grouped by (characteristic, lot); each group
    becomes one inspection record with one audit event summarising it.
    """
    _check_recorder(actor, organization, plan)
    if not rows:
        raise ValidationError({"rows": ["There are no readings to record."]})
    if plan is not None:
        assert_same_organization(organization, {"plan": plan})
    check_rows(organization, rows)
    groups: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["characteristic"].pk, row["lot"].pk), []).append(row)
    when = recorded_at or timezone.now()
    result = ImportResult()
    for group in groups.values():
        ch, lot = group[0]["characteristic"], group[0]["lot"]
        start = _next_subgroup(ch)
        subgroups = _subgroup_numbers(ch, group, start)
        if ch.is_numeric:
            values = np.fromiter((float(r["value"]) for r in group), dtype=np.float64, count=len(group))
            oos = np.zeros(len(group), dtype=bool)
            if ch.lsl is not None:
                oos |= values < ch.lsl
            if ch.usl is not None:
                oos |= values > ch.usl
            shown: list[Any] = values.tolist()
        else:
            counts = np.fromiter((int(r["defects"]) for r in group), dtype=np.int64, count=len(group))
            oos = counts > ch.acceptance_number
            shown = counts.tolist()
        sizes = [int(r.get("sample_size") or 1) for r in group]
        n_oos = int(oos.sum())
        record = InspectionRecord(
            organization=organization,
            lot=lot,
            plan=plan,
            inspector=actor,
            equipment=equipment or ch.equipment,
            recorded_at=when,
            verdict=Verdict.FAIL if n_oos else Verdict.PASS,
            source=source,
            reading_count=len(group),
            note=note,
            created_by=actor,
        )
        record.save()
        _insert_readings(organization, record, ch, actor, subgroups.tolist(), shown, sizes, oos.tolist())
        audit.record(
            record,
            actor=actor,
            action="inspectionrecord.create",
            changes={
                "lot": [None, lot.number],
                "characteristic": [None, str(ch)],
                "source": [None, source],
                "verdict": [None, record.verdict],
                "readings": [
                    None,
                    {
                        "count": len(group),
                        "out_of_spec": n_oos,
                        "first": shown[0],
                        "last": shown[-1],
                        "subgroups": [int(subgroups[0]), int(subgroups[-1])],
                        "values_sha256": _values_hash(shown),
                    },
                ],
            },
        )
        result.records.append(record)
        result.readings += len(group)
        result.out_of_spec += n_oos
        if evaluate_signals:
            result.signals.extend(_raise_signals(record, ch, lot, actor, int(subgroups[0]), oos, shown))
    return result


def record_inspection(
    *,
    organization: Any,
    actor: Any,
    lot: Lot,
    plan: InspectionPlan | None,
    entries: Sequence[dict[str, Any]],
    equipment: str = "",
    note: str = "",
) -> ImportResult:
    """The station entry page: one subgroup per characteristic of the plan, through the bulk path."""
    rows = [{**e, "lot": lot} for e in entries if e.get("value") is not None or e.get("defects") is not None]
    return import_readings(
        organization=organization,
        actor=actor,
        rows=rows,
        source=RecordSource.ENTRY,
        plan=plan,
        equipment=equipment,
        note=note,
    )


# --- signals become work -------------------------------------------------------------------------


def _raise_signals(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    first_new: int,
    oos: np.ndarray,
    shown: list[Any],
) -> list[Signal]:
    from qualitas.production import analysis

    signals: list[Signal] = []
    n_oos = int(oos.sum())
    if n_oos:
        bad = [shown[i] for i in np.flatnonzero(oos)[:5].tolist()]
        spec = (
            f"{ch.lsl if ch.lsl is not None else '−∞'} … {ch.usl if ch.usl is not None else '+∞'} {ch.unit}"
        )
        detail = (
            f"{n_oos} reading(s) of {ch.name} outside {spec.strip()} on lot {lot.number}: "
            f"{', '.join(str(b) for b in bad)}"
            if ch.is_numeric
            else f"{n_oos} sample(s) of {ch.name} with more than {ch.acceptance_number} defect(s) "
            f"on lot {lot.number}"
        )
        signals.append(_signal(record, ch, lot, actor, SignalKind.OUT_OF_SPEC, detail[:300], [], [], n_oos))
    if ch.limits_locked:
        broken = analysis.new_violations(ch, first_new)
        if broken:
            rules = sorted({code for codes in broken.values() for code in codes})
            names = "; ".join(f"{c} ({spc.RULES[c].name})" for c in rules)
            detail = f"{ch.name} on lot {lot.number}: {names}"
            signals.append(
                _signal(record, ch, lot, actor, SignalKind.RULE, detail[:300], rules, sorted(broken), None)
            )
    return signals


def _signal(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    kind: str,
    detail: str,
    rules: list[str],
    subgroups: list[int],
    quantity: int | None,
) -> Signal:
    signal = Signal(
        organization=record.organization,
        kind=kind,
        characteristic=ch,
        lot=lot,
        record=record,
        rules=rules,
        subgroups=subgroups,
        detail=detail,
        created_by=actor,
    )
    mode = ch.signal_action
    earlier = _recent_rule_nc(record, ch) if kind == SignalKind.RULE else None
    if earlier is not None:
        # The same process problem is already under investigation: add the signal to its nonconformity.
        signal.nonconformity_id, signal.nonconformity_reference = earlier
        mode = SignalAction.NONE
    elif mode == SignalAction.CREATE:
        nc = _open_nc(record, ch, lot, actor, kind, detail, quantity)
        if nc is not None:
            signal.nonconformity_id, signal.nonconformity_reference = nc.pk, nc.reference
    if mode != SignalAction.NONE:
        signal.action_id = _notify_owner(ch, lot, actor, signal, proposal=mode == SignalAction.PROPOSE)
    with audit.tracking(signal, actor=actor, action="signal.create"):
        signal.save()
    hold = kind == SignalKind.OUT_OF_SPEC or mode == SignalAction.CREATE
    if hold and audit.lock(lot).status == LotStatus.IN_PROCESS:
        # The system holds the lot (whatever the recorder's role): the signal is the reason.
        with workflow_step(
            lot, LOT_WORKFLOW, "hold", actor=actor, reason=f"Signal: {detail}"[:500], system=True
        ):
            pass
    return signal


RULE_NC_WINDOW_DAYS = 30


def _recent_rule_nc(record: InspectionRecord, ch: Characteristic) -> tuple[int, str] | None:
    """A rule nonconformity raised for this characteristic in the last 30 days (by inspection time)."""
    since = record.recorded_at - timezone.timedelta(days=RULE_NC_WINDOW_DAYS)
    row = (
        Signal.objects.filter(
            organization_id=ch.organization_id,
            characteristic=ch,
            kind=SignalKind.RULE,
            nonconformity_id__isnull=False,
            record__recorded_at__gte=since,
        )
        .order_by("-pk")
        .values_list("nonconformity_id", "nonconformity_reference")
        .first()
    )
    return (int(row[0]), str(row[1])) if row else None


def _open_nc(
    record: InspectionRecord,
    ch: Characteristic,
    lot: Lot,
    actor: Any,
    kind: str,
    detail: str,
    quantity: int | None,
) -> Any:
    try:
        from qualitas.improvement.services import open_nonconformity
    except ImportError:  # the improvement area is not installed: the signal stays on the chart and lot
        return None
    title = (
        f"Out of specification: {ch.name} on lot {lot.number}"
        if kind == SignalKind.OUT_OF_SPEC
        else f"Process signal: {ch.name} on lot {lot.number}"
    )
    data = {
        "title": title[:200],
        "description": detail,
        "source": "inspection",
        "severity": ch.criticality,
        "product": str(ch.product)[:200],
        "lot": lot.number,
        "quantity": quantity,
    }
    return open_nonconformity(organization=record.organization, actor=actor, data=data, related=[record])


def _notify_owner(ch: Characteristic, lot: Lot, actor: Any, signal: Signal, *, proposal: bool) -> int | None:
    from qualitas.actions.services import create_action

    owner = ch.product.owner or actor
    if owner is None:
        return None
    if signal.nonconformity_reference:
        kind = signal.get_kind_display().lower()
        title = f"Review {signal.nonconformity_reference}: {kind} on lot {lot.number}"
    elif proposal:
        title = f"Decide: open a nonconformity for {ch.name} on lot {lot.number}?"
    else:
        title = f"Signal on lot {lot.number}: {ch.name}"
    action = create_action(
        organization=lot.organization,
        actor=actor,
        subject=lot,
        data={
            "title": title[:200],
            "owner": owner,
            "priority": "high" if ch.criticality == "critical" else "normal",
            "due_date": timezone.localdate() + timezone.timedelta(days=2),
            "description": signal.detail,
        },
    )
    return int(action.pk)


# --- control limits ------------------------------------------------------------------------------


@transaction.atomic
def lock_limits(
    ch: Characteristic, *, actor: Any, first: int | None = None, last: int | None = None, reason: str = ""
) -> Characteristic:
    """Compute control limits from the baseline subgroups [first, last] (excluded points left out)
    and lock them. Recomputing locked limits needs a reason."""
    from qualitas.production import analysis

    audit.lock(ch)
    ensure_allowed(actor, ch.organization, "lock", ch)
    if ch.limits_locked and not reason.strip():
        raise ValidationError({"reason": "Say why the locked limits are recomputed."})
    series = analysis.load_series(ch, first=first, last=last, drop_excluded=True)
    if series.count < 2:
        raise ValidationError({"__all__": "The baseline needs at least two subgroups."})
    chart = analysis.chart_from_series(ch, series)
    with audit.tracking(ch, actor=actor, action="characteristic.lock_limits", reason=reason):
        ch.center = float(chart.center)
        ch.lcl, ch.ucl = float(np.min(chart.lcl)), float(np.max(chart.ucl))
        ch.spread_center, ch.spread_lcl, ch.spread_ucl = (
            chart.spread_center,
            chart.spread_lcl,
            chart.spread_ucl,
        )
        ch.sigma_within = chart.sigma_within
        ch.baseline_first, ch.baseline_last = int(series.subgroups[0]), int(series.subgroups[-1])
        ch.limits_locked_at, ch.limits_locked_by = timezone.now(), actor
        ch.save()
    return ch


@transaction.atomic
def exclude_point(ch: Characteristic, *, actor: Any, subgroup: int, reason: str) -> ExcludedPoint:
    ensure_allowed(actor, ch.organization, "exclude", ch)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this point is left out (e.g. gauge fault, set-up piece)."})
    if not Reading.objects.filter(
        organization_id=ch.organization_id, characteristic=ch, subgroup=subgroup
    ).exists():
        raise ValidationError({"subgroup": f"There is no subgroup {subgroup}."})
    if ExcludedPoint.objects.filter(characteristic=ch, subgroup=subgroup).exists():
        raise ValidationError({"subgroup": f"Subgroup {subgroup} is already excluded."})
    point = ExcludedPoint(
        organization=ch.organization, characteristic=ch, subgroup=subgroup, reason=reason, created_by=actor
    )
    with audit.tracking(point, actor=actor, action="excludedpoint.create", reason=reason):
        point.save()
    return point


@transaction.atomic
def include_point(point: ExcludedPoint, *, actor: Any, reason: str) -> None:
    ensure_allowed(actor, point.organization, "delete", point)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why this point counts again."})
    delete_record(point, actor=actor, reason=reason)
