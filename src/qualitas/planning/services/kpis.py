"""Writes of quality objectives, KPIs and their values (with the alert when a value crosses a threshold)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from qualitas.actions import services as actions
from qualitas.actions.choices import ActionKind, Priority
from qualitas.core import audit
from qualitas.core.background import mail
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    create_record,
    delete_record,
    update_record,
)
from qualitas.planning import scoring
from qualitas.planning.choices import (
    Frequency,
    KpiStatus,
    MeasurementSource,
)
from qualitas.planning.models import (
    Kpi,
    Measurement,
    Objective,
)
from qualitas.planning.services.common import update_owned

log = logging.getLogger(__name__)


# --- objectives ----------------------------------------------------------------------------------


def create_objective(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Objective:
    return create_numbered(
        Objective,
        organization=organization,
        actor=actor,
        data=data,
        prefix="OBJ",
        reason=reason,
        members=("owner",),
    )


update_objective = update_owned


# --- KPIs and measurements -----------------------------------------------------------------------


def check_kpi(data: dict[str, Any], kpi: Kpi | None = None) -> None:
    def pick(name: str) -> Any:
        return data[name] if name in data else getattr(kpi, name, None)

    if pick("target") is None:
        return  # full_clean reports the missing target
    errors = scoring.check_thresholds(
        pick("direction") or "higher", float(pick("target")), pick("warning"), pick("alarm")
    )
    if errors:
        raise ValidationError(errors)


def create_kpi(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Kpi:
    check_kpi(data)
    return create_record(
        Kpi, organization=organization, actor=actor, data=data, reason=reason, members=("owner",)
    )


def update_kpi(
    kpi: Kpi, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Kpi:
    def thresholds(fresh: Kpi, data: dict[str, Any]) -> dict[str, Any]:
        check_kpi(data, fresh)
        return data

    return update_owned(
        kpi, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=thresholds
    )


def delete_kpi(kpi: Kpi, *, actor: Any, reason: str = "") -> None:
    """Only a KPI without values can be deleted: recorded values are retained evidence (9.1.1)."""
    if kpi.measurements.exists():
        raise ValidationError("This KPI has recorded values (retained evidence); deactivate it instead.")
    delete_record(kpi, actor=actor, reason=reason)


def period_start(day: dt.date, frequency: str) -> dt.date:
    """The first day of the period that contains ``day``."""
    if frequency == Frequency.WEEKLY:
        return day - dt.timedelta(days=day.weekday())
    if frequency == Frequency.QUARTERLY:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == Frequency.YEARLY:
        return dt.date(day.year, 1, 1)
    return day.replace(day=1)


class MeasurementErrors(ValidationError):
    """Row-level errors of a batch: ``rows`` maps the row number (1-based) to its messages."""

    def __init__(self, rows: dict[int, list[str]]) -> None:
        self.rows = rows
        super().__init__({"rows": [f"Row {n}: {'; '.join(msgs)}" for n, msgs in sorted(rows.items())]})


# From this many rows on, a batch of measurements is written in bulk (imports).
BULK_MEASUREMENTS = 50
BULK_MEASUREMENTS_BATCH = 1000


def _measurement_changes(m: Measurement) -> dict[str, list[Any]]:
    return {
        "kpi": [None, m.kpi_id],
        "period": [None, m.period.isoformat()],
        "value": [None, m.value],
        "source": [None, m.source],
    }


def _finite(value: Any) -> float | None:
    """``value`` as a finite float, or None when it is not a number (NaN and infinities are not)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number or number in (float("inf"), float("-inf")) else number


@transaction.atomic
def record_measurements(
    organization: Any, *, actor: Any, rows: Iterable[dict[str, Any]], source: str = MeasurementSource.MANUAL
) -> list[Measurement]:
    """Record a batch of measurements, all or nothing.

    Each row is ``{"kpi": Kpi, "period": date, "value": float, "note": str}``. Any bad row (another
    organization's KPI, a period already recorded, the same period twice) fails the whole batch with
    the row numbers. Then the owner of each KPI whose newest value crossed a threshold is alerted.
    """
    ensure_allowed(actor, organization, "add", Measurement)
    rows = list(rows)
    errors: dict[int, list[str]] = {}
    seen: set[tuple[int, dt.date]] = set()
    prepared: list[Measurement] = []
    for n, row in enumerate(rows, start=1):
        kpi, day, value = row.get("kpi"), row.get("period"), _finite(row.get("value"))
        problems = []
        if not isinstance(kpi, Kpi) or kpi.organization_id != organization.pk:
            problems.append("unknown KPI")
        if not isinstance(day, dt.date):
            problems.append("the period must be a date")
        if value is None:
            problems.append("the value must be a number")
        if problems or not isinstance(kpi, Kpi) or not isinstance(day, dt.date) or value is None:
            errors[n] = problems
            continue
        period = period_start(day, kpi.frequency)
        if (kpi.pk, period) in seen:
            errors[n] = [f"{kpi.code} {period.isoformat()} appears twice in this batch"]
            continue
        seen.add((kpi.pk, period))
        prepared.append(
            Measurement(
                organization=organization,
                created_by=actor,
                kpi=kpi,
                period=period,
                value=value,
                note=str(row.get("note") or "")[:300],
                source=source,
                status=kpi.status_of(value),
            )
        )
    if prepared and not errors:
        existing = set(
            Measurement.objects.filter(
                organization=organization,
                kpi_id__in={m.kpi_id for m in prepared},
                period__in={m.period for m in prepared},
            ).values_list("kpi_id", "period")
        )
        for n, m in enumerate(prepared, start=1):
            if (m.kpi_id, m.period) in existing:
                errors.setdefault(n, []).append(
                    f"{m.kpi.code} already has a value for {m.period.isoformat()}"
                )
    if errors:
        raise MeasurementErrors(errors)
    if not prepared:
        raise ValidationError({"rows": "There is nothing to record."})
    if len(prepared) < BULK_MEASUREMENTS:
        for m in prepared:
            m.save()
            audit.record(m, actor=actor, action="measurement.create", changes=_measurement_changes(m))
    else:
        # An import: one multi-row INSERT per batch and the same event per row, chained in bulk
        # (one lock of the chain head instead of one per row).
        from qualitas.core.bulk import BulkAuditWriter

        Measurement.objects.bulk_create(prepared, batch_size=BULK_MEASUREMENTS_BATCH)
        with BulkAuditWriter(organization) as trail:
            for m in prepared:
                trail.add(
                    actor=actor,
                    action="measurement.create",
                    obj=m,
                    changes=audit.to_jsonable(_measurement_changes(m)),
                    changes_are_json=True,
                )
    new_by_kpi: dict[int, set[int]] = {}
    for m in prepared:
        new_by_kpi.setdefault(m.kpi_id, set()).add(m.pk)
    for kpi in {m.kpi_id: m.kpi for m in prepared}.values():
        _alert_if_crossed(kpi, actor=actor, new=new_by_kpi[kpi.pk])
    return prepared


def record_measurement(
    kpi: Kpi,
    *,
    actor: Any,
    period: dt.date,
    value: float,
    note: str = "",
    source: str = MeasurementSource.MANUAL,
) -> Measurement:
    try:
        return record_measurements(
            kpi.organization,
            actor=actor,
            source=source,
            rows=[{"kpi": kpi, "period": period, "value": value, "note": note}],
        )[0]
    except MeasurementErrors as exc:
        raise ValidationError({"period": [m.split(": ", 1)[-1] for m in exc.message_dict["rows"]]}) from None


def _alert_if_crossed(kpi: Kpi, *, actor: Any, new: set[int]) -> None:
    """Alert the owner when the KPI's newest value is new and worse than the value before it.

    Back-filled history (older periods) never alerts: only the current picture matters."""
    latest = list(Measurement.objects.filter(organization=kpi.organization, kpi=kpi).order_by("-period")[:2])
    if not latest or latest[0].pk not in new:
        return
    current = kpi.status_of(latest[0].value)
    previous = kpi.status_of(latest[1].value) if len(latest) > 1 else None
    if not scoring.crossed(previous, current):
        return
    m = latest[0]
    off = current == KpiStatus.OFF_TARGET
    threshold = kpi.alarm if off else (kpi.warning if kpi.warning is not None else kpi.target)
    title = (
        f"{kpi.code} {'off target' if off else 'at risk'}: {m.value:g}{kpi.unit} for {m.period.isoformat()}"
    )[:200]
    description = (
        f"The {kpi.get_frequency_display().lower()} value of “{kpi.name}” crossed the "
        f"{'alarm' if off else 'warning'} threshold ({threshold:g}{kpi.unit}; target {kpi.target:g}"
        f"{kpi.unit}). Look into the cause and decide whether action is needed."
    )
    action = actions.create_action(
        organization=kpi.organization,
        actor=actor,
        subject=kpi,
        data={
            "title": title,
            "description": description,
            "owner": kpi.owner,
            "kind": ActionKind.TASK,
            "priority": Priority.URGENT if off else Priority.HIGH,
            "due_date": timezone.localdate() + dt.timedelta(days=7 if off else 14),
        },
    )
    email = kpi.owner.email
    if email:
        url = kpi.get_absolute_url()
        transaction.on_commit(lambda: _send_alert(email, title, description, url, action.reference))


def _send_alert(email: str, title: str, description: str, url: str, reference: str) -> None:
    try:
        mail.send(
            [email],
            f"[Qualitas] {title}",
            intro=description,
            items=[
                (gettext("KPI"), "", url),
                (gettext("Task %(reference)s") % {"reference": reference}, "", ""),
            ],
        )
    except Exception:
        log.exception("KPI alert e-mail to %s failed", email)


def create_measurement(*, organization: Any, actor: Any, data: dict[str, Any]) -> Measurement:
    kpi = data["kpi"]
    assert_same_organization(organization, {"kpi": kpi})
    return record_measurement(
        kpi,
        actor=actor,
        period=data["period"],
        value=data["value"],
        note=data.get("note", ""),
        source=data.get("source", MeasurementSource.API),
    )


def update_measurement(
    m: Measurement, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Measurement:
    """Correct a value or its note (not its KPI or period); the status is recomputed."""
    data = {k: v for k, v in data.items() if k in ("value", "note")}
    if "value" in data:
        data["status"] = m.kpi.status_of(float(data["value"]))
    return update_record(m, actor=actor, data=data, expected_version=expected_version, reason=reason)
