"""SVG charts of a characteristic: the control chart with zones and flagged points, the spread
chart (R, S or MR) and the capability histogram, all through core.charts."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from django.utils.safestring import SafeString

from qualitas.core.charts import Band, HLine, Series, histogram, line_chart
from qualitas.production import spc
from qualitas.production.analysis import ChartView, record_dates
from qualitas.production.choices import ChartType
from qualitas.production.models import Characteristic

MAX_POINTS = 400
RED, AMBER, GREEN, GREY = "#b3261e", "#b7791f", "#2e7d32", "#5f6b7a"
SPREAD_NAME: dict[str, str] = {
    ChartType.XBAR_R: "Range (R)",
    ChartType.XBAR_S: "Standard deviation (S)",
    ChartType.IMR: "Moving range (MR)",
}


def _num(v: float) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)


def control_charts(ch: Characteristic, view: ChartView) -> dict[str, Any]:
    s = view.series
    start = max(0, s.count - MAX_POINTS)
    idx = range(start, s.count)
    dates = record_dates(s.record_ids[start:], ch.organization_id)
    labels = [
        f"{d:%m-%d}" if (d := dates.get(int(s.record_ids[i]))) else str(int(s.subgroups[i])) for i in idx
    ]
    sigma = float(np.mean(view.sigma[start:])) if s.count else 0.0
    c = view.center
    bands = [
        Band(c - 2 * sigma, c + 2 * sigma, AMBER, "±2σ zone"),
        Band(c - sigma, c + sigma, GREEN, "±1σ zone"),
    ]
    variable = ch.chart_type in (ChartType.P, ChartType.U)
    lines = [HLine(c, "CL", GREY, dashed=False)]
    series = [Series(ch.get_chart_type_display().split(" ")[0], [_num(v) for v in view.points[start:]])]
    if variable:
        series.append(Series("UCL", [_num(v) for v in view.ucl[start:]], RED, dashed=True))
        series.append(Series("LCL", [_num(v) for v in view.lcl[start:]], RED, dashed=True))
    else:
        lines += [HLine(float(view.ucl[0]), "UCL", RED), HLine(float(view.lcl[0]), "LCL", RED)]
    highlight = []
    for i, codes in sorted(view.violations.items()):
        if i >= start:
            names = "; ".join(f"{code}: {spc.RULES[code].name}" for code in codes)
            highlight.append((i - start, f"Subgroup {int(s.subgroups[i])}: {names}"))
    main = line_chart(
        labels,
        series,
        title=f"Control chart of {ch.name}",
        bands=bands,
        lines=lines,
        highlight=highlight,
        unit="",
        desc=f"{len(highlight)} flagged point(s) in the last {len(labels)} subgroups",
    )
    spread_svg: SafeString | None = None
    if view.spread is not None and view.spread_center is not None:
        sp_lines = [HLine(view.spread_center, "CL", GREY, dashed=False)]
        if view.spread_ucl is not None:
            sp_lines.append(HLine(view.spread_ucl, "UCL", RED))
        if view.spread_lcl:
            sp_lines.append(HLine(view.spread_lcl, "LCL", RED))
        spread_svg = line_chart(
            labels,
            [Series(SPREAD_NAME.get(ch.chart_type, "Spread"), [_num(v) for v in view.spread[start:]])],
            title=SPREAD_NAME.get(ch.chart_type, "Spread"),
            lines=sp_lines,
            height=180,
        )
    return {
        "control_svg": main,
        "spread_svg": spread_svg,
        "flagged": highlight[::-1][:20],
        "shown": len(labels),
    }


def capability_histogram(ch: Characteristic, values: np.ndarray) -> SafeString:
    markers = []
    if ch.lsl is not None:
        markers.append(HLine(ch.lsl, "LSL", RED, dashed=False))
    if ch.usl is not None:
        markers.append(HLine(ch.usl, "USL", RED, dashed=False))
    if ch.nominal is not None:
        markers.append(HLine(ch.nominal, "Nominal", GREY))
    vals = values[~np.isnan(values)]
    if vals.size:
        markers.append(HLine(float(vals.mean()), "Mean", GREEN))
    return histogram(
        vals.tolist(), title=f"Distribution of {ch.name} against the specification", bins=24, lines=markers
    )


def cpk_class(value: float | None) -> str:
    if value is None:
        return "neutral"
    return "ok" if value >= 1.33 else ("warn" if value >= 1.0 else "bad")
