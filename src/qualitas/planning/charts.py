"""The charts of the planning pages, built on core's SVG charts: KPI sparklines and value charts, the
risk heat map and the risks-by-level bars of the dashboard."""

from __future__ import annotations

from typing import Any

from qualitas.core import charts
from qualitas.planning import queries
from qualitas.planning.choices import Direction, KpiStatus, RiskKind, RiskLevel
from qualitas.planning.models import Kpi, Measurement
from qualitas.planning.scoring import risk_level

STATUS_COLOR = {
    "on_target": charts.OK,
    "at_risk": charts.WARN,
    "off_target": charts.BAD,
    "no_data": charts.MUTED,
}


def add_sparklines(kpis: list[Any], *, with_count: bool = False) -> list[Any]:
    """Give each KPI row (``queries.kpi_rows``) a ``spark`` of its recent values, coloured by status."""
    for k in kpis:
        title = f"{k.name}: last {len(k.recent)} values" if with_count else k.name
        k.spark = charts.sparkline([v for _p, v in k.recent], color=STATUS_COLOR[k.status], title=title)
    return kpis


def kpi_chart(kpi: Kpi, series: list[Measurement]) -> Any:
    """A KPI's values over time on its green, amber and red bands, off-target values marked."""
    values = [m.value for m in series]
    labels = [m.period.strftime("%Y-%m") for m in series]
    green_edge = kpi.warning if kpi.warning is not None else kpi.target
    lo = min([*values, kpi.target, green_edge, *([kpi.alarm] if kpi.alarm is not None else [])], default=0)
    hi = max([*values, kpi.target, green_edge, *([kpi.alarm] if kpi.alarm is not None else [])], default=1)
    pad = (hi - lo) * 0.15 or 1
    lo, hi = lo - pad, hi + pad
    higher = kpi.direction == Direction.HIGHER
    bands = []
    if higher:
        bands.append(charts.Band(green_edge, hi, charts.OK, "On target"))
        if kpi.alarm is not None:
            bands.append(charts.Band(kpi.alarm, green_edge, charts.WARN, "At risk"))
            bands.append(charts.Band(lo, kpi.alarm, charts.BAD, "Off target"))
        else:
            bands.append(charts.Band(lo, green_edge, charts.WARN, "At risk"))
    else:
        bands.append(charts.Band(lo, green_edge, charts.OK, "On target"))
        if kpi.alarm is not None:
            bands.append(charts.Band(green_edge, kpi.alarm, charts.WARN, "At risk"))
            bands.append(charts.Band(kpi.alarm, hi, charts.BAD, "Off target"))
        else:
            bands.append(charts.Band(green_edge, hi, charts.WARN, "At risk"))
    lines = [charts.HLine(kpi.target, f"target {kpi.target:g}{kpi.unit}", color=charts.OK)]
    if kpi.alarm is not None:
        lines.append(charts.HLine(kpi.alarm, f"alarm {kpi.alarm:g}", color=charts.BAD))
    highlight = [
        (i, f"{m.period:%Y-%m}: {m.value:g} off target")
        for i, m in enumerate(series)
        if kpi.status_of(m.value) == KpiStatus.OFF_TARGET
    ]
    return charts.line_chart(
        labels,
        [charts.Series(kpi.name, values)],
        title=f"{kpi.code} {kpi.name}",
        desc=f"{len(values)} values; {kpi.get_direction_display().lower()}; the green band is "
        "on target, amber at risk, red off target.",
        bands=bands,
        lines=lines,
        highlight=highlight,
        unit=kpi.unit if len(kpi.unit) <= 2 else "",
        y_min=lo,
        y_max=hi,
    )


def heatmap_for(qs: Any, size: int, *, residual: bool = False, base_url: str = "", counts: Any = None) -> Any:
    """The likelihood × impact matrix of ``qs`` (open risks), each cell linking to its records."""
    if counts is None:
        counts = queries.heat_counts(qs, residual=residual)
    tone: dict[str, float] = {
        RiskLevel.LOW: 0.9,
        RiskLevel.MEDIUM: 0.6,
        RiskLevel.HIGH: 0.3,
        RiskLevel.CRITICAL: 0.0,
    }
    rows = list(range(size, 0, -1))
    cols = list(range(1, size + 1))
    cells = [[tone[risk_level(lk * im, size)] for im in cols] for lk in rows]
    labels = [[str(counts.get((lk, im), "")) for im in cols] for lk in rows]
    links = [
        [
            f"{base_url}?likelihood={lk}&impact={im}" if counts.get((lk, im)) and not residual else ""
            for im in cols
        ]
        for lk in rows
    ]
    which = "residual" if residual else "inherent"
    return charts.heatmap(
        [f"Likelihood {lk}" for lk in rows],
        [f"Impact {im}" for im in cols],
        cells,
        title=f"Open risks and opportunities by {which} likelihood and impact",
        desc=f"{sum(counts.values())} records on a {size}×{size} matrix; each cell shows how "
        "many, coloured by level from low (green) to critical (red).",
        labels=labels,
        links=links,
        scale=((0.0, charts.BAD), (0.3, "#e07a1f"), (0.6, charts.WARN), (0.9, charts.OK)),
    )


def risk_level_chart(by_level: dict[str, dict[str, int]]) -> Any:
    """Open risks and opportunities by current level (``queries.risks_by_level``)."""
    levels = list(RiskLevel)
    level_colors = [charts.OK, charts.WARN, "#e07a1f", charts.BAD]
    return charts.bar_chart(
        [f"{lvl.label} risks" for lvl in levels] + [f"{lvl.label} opport." for lvl in levels],
        [by_level.get(RiskKind.RISK, {}).get(lvl, 0) for lvl in levels]
        + [by_level.get(RiskKind.OPPORTUNITY, {}).get(lvl, 0) for lvl in levels],
        title="Open risks and opportunities by current level",
        colors=level_colors + [charts.PALETTE[0]] * 4,
        height=220,
    )
