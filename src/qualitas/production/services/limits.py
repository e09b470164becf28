"""Control limits: computed from a baseline and locked; points left out with a reason."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import delete_record
from qualitas.production import analysis
from qualitas.production.models import Characteristic, ExcludedPoint, Reading


@transaction.atomic
def lock_limits(
    ch: Characteristic, *, actor: Any, first: int | None = None, last: int | None = None, reason: str = ""
) -> Characteristic:
    """Compute control limits from the baseline subgroups [first, last] (excluded points left out)
    and lock them. Recomputing locked limits needs a reason."""
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


def include_point(point: ExcludedPoint, *, actor: Any, reason: str) -> None:
    def needs_reason(_point: ExcludedPoint) -> None:
        if not (reason or "").strip():
            raise ValidationError({"reason": "Say why this point counts again."})

    delete_record(point, actor=actor, reason=reason, check=needs_reason)
