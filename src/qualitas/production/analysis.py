"""Read side of SPC: a characteristic's readings turned into subgroup series, control charts with
locked or provisional limits, rule violations and capability. All arithmetic is in ``spc``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from qualitas.production import spc
from qualitas.production.choices import ChartType
from qualitas.production.models import Characteristic, ExcludedPoint, InspectionRecord, Reading

XBAR = (ChartType.XBAR_R, ChartType.XBAR_S)


@dataclass
class Series:
    subgroups: NDArray[np.int64]  # subgroup number of each point
    sizes: NDArray[np.int64]  # readings per subgroup
    means: NDArray[np.float64]  # numeric: subgroup mean; attribute: defects per subgroup
    ranges: NDArray[np.float64]
    sds: NDArray[np.float64]
    samples: NDArray[np.float64]  # attribute: units inspected per subgroup
    values: NDArray[np.float64]  # numeric: every reading in subgroup order
    value_group: NDArray[np.int64]  # index of each value's point
    record_ids: NDArray[np.int64]  # record of each point (first reading's)
    excluded: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return int(self.subgroups.size)


def load_series(
    ch: Characteristic, *, first: int | None = None, last: int | None = None, drop_excluded: bool = True
) -> Series:
    qs = Reading.objects.filter(organization_id=ch.organization_id, characteristic_id=ch.pk)
    if first is not None:
        qs = qs.filter(subgroup__gte=first)
    if last is not None:
        qs = qs.filter(subgroup__lte=last)
    rows = list(
        qs.order_by("subgroup", "pk").values_list("subgroup", "value", "defects", "sample_size", "record_id")
    )
    excluded = sorted(
        ExcludedPoint.objects.filter(organization_id=ch.organization_id, characteristic_id=ch.pk).values_list(
            "subgroup", flat=True
        )
    )
    if rows:
        sg = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        val = np.fromiter(
            (math.nan if r[1] is None else r[1] for r in rows), dtype=np.float64, count=len(rows)
        )
        dfc = np.fromiter((r[2] or 0 for r in rows), dtype=np.float64, count=len(rows))
        smp = np.fromiter((r[3] or 1 for r in rows), dtype=np.float64, count=len(rows))
        rec = np.fromiter((r[4] for r in rows), dtype=np.int64, count=len(rows))
    else:
        sg, rec = np.zeros(0, np.int64), np.zeros(0, np.int64)
        val = dfc = smp = np.zeros(0)
    if drop_excluded and excluded and sg.size:
        keep = ~np.isin(sg, excluded)
        sg, val, dfc, smp, rec = sg[keep], val[keep], dfc[keep], smp[keep], rec[keep]
    return _group(ch, sg, val, dfc, smp, rec, excluded)


def _group(
    ch: Characteristic,
    sg: NDArray[np.int64],
    val: NDArray[np.float64],
    dfc: NDArray[np.float64],
    smp: NDArray[np.float64],
    rec: NDArray[np.int64],
    excluded: list[int],
) -> Series:
    if sg.size == 0:
        empty_f, empty_i = np.zeros(0), np.zeros(0, np.int64)
        return Series(
            empty_i, empty_i, empty_f, empty_f, empty_f, empty_f, empty_f, empty_i, empty_i, excluded
        )
    subgroups, starts, counts = np.unique(sg, return_index=True, return_counts=True)
    group_of = np.repeat(np.arange(subgroups.size), counts)
    if ch.is_numeric:
        sums = np.add.reduceat(val, starts)
        means = sums / counts
        ranges = np.maximum.reduceat(val, starts) - np.minimum.reduceat(val, starts)
        dev2 = np.add.reduceat((val - means[group_of]) ** 2, starts)
        with np.errstate(divide="ignore", invalid="ignore"):
            sds = np.where(counts > 1, np.sqrt(dev2 / np.maximum(counts - 1, 1)), np.nan)
        samples = counts.astype(np.float64)
    else:
        means = np.add.reduceat(dfc, starts)
        samples = np.add.reduceat(smp, starts)
        ranges = sds = np.full(subgroups.size, np.nan)
    return Series(subgroups, counts, means, ranges, sds, samples, val, group_of, rec[starts], excluded)


def chart_from_series(ch: Characteristic, s: Series) -> spc.ChartResult:
    """Provisional limits computed from the data (what locking stores)."""
    kind = ch.chart_type
    if kind in XBAR:
        n = ch.subgroup_size
        full = s.sizes == n
        if full.sum() < 2:
            raise ValueError("need at least two complete subgroups")
        block = s.values[full[s.value_group]].reshape(-1, n)
        return spc.xbar_r(block) if kind == ChartType.XBAR_R else spc.xbar_s(block)
    if kind == ChartType.IMR:
        return spc.imr(s.means)
    return spc.compute_chart(kind, counts=s.means, sizes=s.samples)


@dataclass
class ChartView:
    series: Series
    points: NDArray[np.float64]
    center: float
    lcl: NDArray[np.float64]
    ucl: NDArray[np.float64]
    sigma: NDArray[np.float64]
    spread: NDArray[np.float64] | None
    spread_center: float | None
    spread_lcl: float | None
    spread_ucl: float | None
    sigma_within: float | None
    locked: bool
    violations: dict[int, list[str]]  # point index -> rule codes


def _points_and_spread(
    ch: Characteristic, s: Series
) -> tuple[NDArray[np.float64], NDArray[np.float64] | None]:
    kind = ch.chart_type
    if kind == ChartType.XBAR_R:
        return s.means, s.ranges
    if kind == ChartType.XBAR_S:
        return s.means, s.sds
    if kind == ChartType.IMR:
        return s.means, np.concatenate(([np.nan], np.abs(np.diff(s.means)))) if s.count else s.means
    if kind in (ChartType.P, ChartType.U):
        return s.means / np.maximum(s.samples, 1), None
    return s.means, None


def chart_view(ch: Characteristic, s: Series | None = None) -> ChartView | None:
    """The chart as shown: locked limits when there are, otherwise provisional ones from all data."""
    s = s if s is not None else load_series(ch)
    if s.count < 2:
        return None
    points, spread = _points_and_spread(ch, s)
    k = s.count
    if ch.limits_locked and ch.center is not None and ch.ucl is not None and ch.lcl is not None:
        center = ch.center
        if ch.chart_type in (ChartType.P, ChartType.U):
            var = center * (1 - center) if ch.chart_type == ChartType.P else center
            sigma = np.sqrt(var / np.maximum(s.samples, 1))
            lcl, ucl = np.clip(center - 3 * sigma, 0, None), center + 3 * sigma
        else:
            sigma = np.full(k, (ch.ucl - center) / 3)
            lcl, ucl = np.full(k, ch.lcl), np.full(k, ch.ucl)
        spread_center, spread_lcl, spread_ucl, within = (
            ch.spread_center,
            ch.spread_lcl,
            ch.spread_ucl,
            ch.sigma_within,
        )
        locked = True
    else:
        try:
            chart = chart_from_series(ch, s)
        except ValueError:
            return None
        center = chart.center
        if ch.chart_type in XBAR:  # limits from complete subgroups, applied to every point
            lcl, ucl = np.full(k, chart.lcl[0]), np.full(k, chart.ucl[0])
        else:
            lcl, ucl = chart.lcl, chart.ucl
        sigma = (ucl - center) / 3
        spread_center, spread_lcl, spread_ucl = chart.spread_center, chart.spread_lcl, chart.spread_ucl
        within, locked = chart.sigma_within, False
    result = spc.evaluate(points, center, sigma, ch.active_rules)
    return ChartView(
        s,
        points,
        center,
        lcl,
        ucl,
        sigma,
        spread,
        spread_center,
        spread_lcl,
        spread_ucl,
        within,
        locked,
        spc.violations_by_point(result),
    )


def new_violations(ch: Characteristic, first_new: int) -> dict[int, list[str]]:
    """Rule violations completed by subgroups numbered ``first_new`` or later: {subgroup: [codes]}."""
    longest = 16  # the widest rule window (N7: 15 points) plus one
    s = load_series(ch, first=max(first_new - 3 * longest, 0))
    view = chart_view(ch, s)
    if view is None:
        return {}
    return {int(s.subgroups[i]): codes for i, codes in view.violations.items() if s.subgroups[i] >= first_new}


def capability_of(ch: Characteristic, view: ChartView | None) -> spc.Capability | None:
    if not ch.is_numeric or view is None:
        return None
    return spc.capability(view.series.values, lsl=ch.lsl, usl=ch.usl, sigma_within=view.sigma_within)


def record_dates(record_ids: NDArray[np.int64], organization_id: int) -> dict[int, Any]:
    ids = sorted(set(record_ids.tolist()))
    return dict(
        InspectionRecord.objects.filter(organization_id=organization_id, pk__in=ids).values_list(
            "pk", "recorded_at"
        )
    )
