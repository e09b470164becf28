"""Server-rendered SVG charts: no JavaScript library, no external request, printable, accessible
(each chart has a title and a text description; colours are paired with labels).

Every function returns safe SVG markup for a template (``{{ chart }}``) and for WeasyPrint PDFs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d4e89", "#e07a1f", "#2a9d5b", "#b42318", "#7b5ea7", "#5f6b7a", "#c9a227", "#0f7c8c"]
OK, WARN, BAD, MUTED = "#2a9d5b", "#e0a21f", "#b42318", "#9aa5b1"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str = ""
    dashed: bool = False


@dataclass(frozen=True)
class Band:
    """A horizontal band (target zone, control limits): from ``low`` to ``high`` in value units."""

    low: float
    high: float
    color: str
    label: str = ""


@dataclass(frozen=True)
class HLine:
    value: float
    label: str
    color: str = "#5f6b7a"
    dashed: bool = True


def _fmt(v: float) -> str:
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10 or v == int(v):
        return f"{v:.0f}" if v == int(v) else f"{v:.1f}"
    return f"{v:.3g}"


def _tick(v: float, step: float) -> str:
    """A tick label with as many decimals as the step needs (24.995, 25.000, 25.005 — not 25.0 thrice)."""
    if step <= 0:
        return f"{v:,.0f}"
    magnitude = math.floor(math.log10(step))
    extra = 0 if round(step / 10**magnitude, 3) in (1, 2, 5) else 1  # 2.5, 0.25 need one digit more
    return f"{v:,.{max(0, extra - magnitude)}f}"


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" class="chart" style="max-width:{width}px">',
        f"<title>{escape(title)}</title><desc>{escape(desc or title)}</desc>",
        "<style>text{font:11px system-ui,sans-serif;fill:#4a5565}.lbl{font-weight:600;fill:#1b2430}</style>",
    ]


def _nice_range(lo: float, hi: float) -> tuple[float, float, float]:
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / 5))
    for m in (1, 2, 2.5, 5, 10):
        if span / (step * m) <= 6:
            step *= m
            break
    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    bands: Sequence[Band] = (),
    lines: Sequence[HLine] = (),
    highlight: Sequence[tuple[int, str]] = (),
    width: int = 720,
    height: int = 260,
    y_min: float | None = None,
    y_max: float | None = None,
    unit: str = "",
) -> SafeString:
    """A line chart. ``highlight`` marks points (index, tooltip) in red (e.g. SPC rule violations)."""
    left, right, top, bottom = 48, 12, 16, 34
    pw, ph = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    extra = [b.low for b in bands] + [b.high for b in bands] + [h.value for h in lines]
    lo = min(values + extra) if (values or extra) else 0.0
    hi = max(values + extra) if (values or extra) else 1.0
    lo, hi, step = _nice_range(lo if y_min is None else y_min, hi if y_max is None else y_max)
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v: float) -> float:
        return top + ph - (v - lo) / (hi - lo) * ph

    out = _open(width, height, title, desc)
    for b in bands:
        y1, y2 = y(min(max(b.high, lo), hi)), y(max(min(b.low, hi), lo))
        out.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{pw}" height="{max(y2 - y1, 0):.1f}" fill="{b.color}" '
            f'opacity=".14"><title>{escape(b.label)}</title></rect>'
        )
    tick = lo
    while tick <= hi + step / 2:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e6e9ee"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{_tick(tick, step)}{escape(unit)}</text>"
        )
        tick += step
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(labels):
        if i % every == 0:
            out.append(f'<text x="{x(i):.1f}" y="{height - 12}" text-anchor="middle">{escape(label)}</text>')
    for h in lines:
        dash = ' stroke-dasharray="5 4"' if h.dashed else ""
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(h.value):.1f}" y2="{y(h.value):.1f}" '
            f'stroke="{h.color}"{dash}/>'
        )
        out.append(
            f'<text x="{left + pw - 2}" y="{y(h.value) - 3:.1f}" text-anchor="end" fill="{h.color}">'
            f"{escape(h.label)}</text>"
        )
    for k, s in enumerate(series):
        color = s.color or PALETTE[k % len(PALETTE)]
        pts = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
        if not pts:
            continue
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash}>'
            f"<title>{escape(s.name)}</title></polyline>"
        )
        if len(pts) <= 60:
            for (px, py), v in zip(pts, [v for v in s.values if v is not None], strict=True):
                out.append(
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.5" fill="{color}">'
                    f"<title>{_fmt(v)}</title></circle>"
                )
    for i, tip in highlight:
        point = series[0].values[i] if 0 <= i < len(series[0].values) else None
        if point is not None:
            v = point
            out.append(
                f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="5" fill="none" stroke="{BAD}" stroke-width="2">'
                f"<title>{escape(tip)}</title></circle>"
            )
    if len(series) > 1:
        lx = left
        for k, s in enumerate(series):
            color = s.color or PALETTE[k % len(PALETTE)]
            out.append(
                f'<rect x="{lx}" y="2" width="10" height="10" fill="{color}"/>'
                f'<text x="{lx + 14}" y="11">{escape(s.name)}</text>'
            )
            lx += 24 + 7 * len(s.name)
    out.append("</svg>")
    return mark_safe("".join(out))


def sparkline(
    values: Sequence[float | None],
    *,
    width: int = 110,
    height: int = 28,
    color: str = "#1d4e89",
    title: str = "trend",
) -> SafeString:
    pts = [v for v in values if v is not None]
    if len(pts) < 2:
        return mark_safe("")
    lo, hi = min(pts), max(pts)
    span = (hi - lo) or 1.0
    n = len(values)
    coords = [
        f"{2 + (width - 4) * i / (n - 1):.1f},{height - 2 - (v - lo) / span * (height - 4):.1f}"
        for i, v in enumerate(values)
        if v is not None
    ]
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" '
        f'role="img" class="sparkline"><title>{escape(title)}</title><polyline points="{" ".join(coords)}" '
        f'fill="none" stroke="{color}" stroke-width="1.6"/></svg>'
    )


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    desc: str = "",
    pareto: bool = False,
    colors: Sequence[str] | None = None,
    width: int = 720,
    height: int = 260,
    unit: str = "",
) -> SafeString:
    """Vertical bars; ``pareto=True`` sorts descending and adds the cumulative-percentage line."""
    pairs = list(zip(labels, values, strict=True))
    if pareto:
        pairs.sort(key=lambda p: p[1], reverse=True)
    left, right, top, bottom = 48, 44 if pareto else 12, 16, 60
    pw, ph = width - left - right, height - top - bottom
    out = _open(width, height, title, desc)
    if not pairs:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">No data yet</text></svg>')
        return mark_safe("".join(out))
    lo, hi, step = _nice_range(0, max(max(v for _, v in pairs), 1))
    n = len(pairs)
    bw = pw / n

    def y(v: float) -> float:
        return top + ph - (v - lo) / (hi - lo) * ph

    tick = lo
    while tick <= hi + step / 2:
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e6e9ee"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{_tick(tick, step)}{escape(unit)}</text>"
        )
        tick += step
    total = sum(v for _, v in pairs) or 1
    cumulative, cum_pts = 0.0, []
    for i, (label, v) in enumerate(pairs):
        color = colors[i % len(colors)] if colors else PALETTE[0]
        bx = left + i * bw + bw * 0.15
        out.append(
            f'<rect x="{bx:.1f}" y="{y(v):.1f}" width="{bw * 0.7:.1f}" height="{y(lo) - y(v):.1f}" '
            f'fill="{color}"><title>{escape(label)}: {_fmt(v)}</title></rect>'
        )
        short = label if len(label) <= 14 else label[:13] + "…"
        cx = left + i * bw + bw / 2
        out.append(
            f'<text x="{cx:.1f}" y="{top + ph + 14}" text-anchor="end" '
            f'transform="rotate(-30 {cx:.1f} {top + ph + 14})">{escape(short)}</text>'
        )
        cumulative += v
        cum_pts.append((cx, top + ph - cumulative / total * ph))
    if pareto:
        out.append(
            '<polyline points="'
            + " ".join(f"{a:.1f},{b:.1f}" for a, b in cum_pts)
            + f'" fill="none" stroke="{PALETTE[1]}" stroke-width="2"><title>Cumulative %</title></polyline>'
        )
        for pct in (0, 50, 80, 100):
            py = top + ph - pct / 100 * ph
            out.append(f'<text x="{left + pw + 4}" y="{py + 4:.1f}" fill="{PALETTE[1]}">{pct}%</text>')
        y80 = top + ph * 0.2
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y80:.1f}" y2="{y80:.1f}" stroke="{PALETTE[1]}" '
            'stroke-dasharray="3 4" opacity=".6"/>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def histogram(
    values: Sequence[float],
    *,
    title: str,
    bins: int = 20,
    lines: Sequence[HLine] = (),
    width: int = 720,
    height: int = 240,
) -> SafeString:
    """A histogram; ``lines`` become vertical markers (LSL, USL, nominal, mean)."""
    out = _open(width, height, title, title)
    if not values:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">No data yet</text></svg>')
        return mark_safe("".join(out))
    left, right, top, bottom = 40, 12, 18, 30
    pw, ph = width - left - right, height - top - bottom
    lo = min([*values, *(h.value for h in lines)])
    hi = max([*values, *(h.value for h in lines)])
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.05
    lo, hi = lo - pad, hi + pad
    width_bin = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / width_bin), bins - 1)] += 1
    top_count = max(counts) or 1

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * pw

    for i, c in enumerate(counts):
        bar = c / top_count * ph
        out.append(
            f'<rect x="{x(lo + i * width_bin):.1f}" y="{top + ph - bar:.1f}" width="{pw / bins - 1:.1f}" '
            f'height="{bar:.1f}" fill="{PALETTE[0]}" opacity=".8"><title>{c}</title></rect>'
        )
    for marker in lines:
        dash = ' stroke-dasharray="5 4"' if marker.dashed else ""
        mx = x(marker.value)
        out.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{top + ph}" stroke="{marker.color}" '
            f'stroke-width="2"{dash}/>'
        )
        out.append(
            f'<text x="{mx:.1f}" y="{top - 5}" text-anchor="middle" fill="{marker.color}">'
            f"{escape(marker.label)}</text>"
        )
    label_step = (hi - lo) / 20
    for v in (lo + pad, (lo + hi) / 2, hi - pad):
        out.append(
            f'<text x="{x(v):.1f}" y="{height - 10}" text-anchor="middle">{_tick(v, label_step)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])[: width - 1] + "…"]
    return lines


def radar_chart(
    axes: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str = "",
    max_value: float = 5,
    size: int = 420,
    label_margin: int = 110,
) -> SafeString:
    """A radar (spider) chart, e.g. maturity 1–5 per clause, current against target.

    Axis labels wrap onto up to three lines of ~16 characters inside ``label_margin`` on each side."""
    width = size + 2 * label_margin
    cx, cy = width / 2, size / 2
    r = size / 2 - 60
    n = len(axes)
    out = _open(width, size, title, desc)
    if n < 3:
        out.append("</svg>")
        return mark_safe("".join(out))

    def pt(i: int, v: float) -> tuple[float, float]:
        a = -math.pi / 2 + 2 * math.pi * i / n
        return cx + r * v / max_value * math.cos(a), cy + r * v / max_value * math.sin(a)

    for level in range(1, int(max_value) + 1):
        ring = " ".join(f"{a:.1f},{b:.1f}" for a, b in (pt(i, level) for i in range(n)))
        out.append(f'<polygon points="{ring}" fill="none" stroke="#dde2e8"/>')
        lx, ly = pt(0, level)
        out.append(f'<text x="{lx + 3:.1f}" y="{ly + 3:.1f}">{level}</text>')
    for i, axis in enumerate(axes):
        ex, ey = pt(i, max_value)
        out.append(f'<line x1="{cx}" y1="{cy}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#dde2e8"/>')
        tx, ty = pt(i, max_value * 1.15)
        anchor = "middle" if abs(tx - cx) < 10 else ("start" if tx > cx else "end")
        wrapped = _wrap(axis, 16, 3)
        y0 = ty + 4 - (len(wrapped) - 1) * 6.5
        spans = "".join(
            f'<tspan x="{tx:.1f}" y="{y0 + k * 13:.1f}">{escape(part)}</tspan>'
            for k, part in enumerate(wrapped)
        )
        out.append(f'<text text-anchor="{anchor}" class="lbl"><title>{escape(axis)}</title>{spans}</text>')
    for k, s in enumerate(series):
        color = s.color or PALETTE[k % len(PALETTE)]
        poly = " ".join(f"{a:.1f},{b:.1f}" for a, b in (pt(i, v or 0) for i, v in enumerate(s.values)))
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        out.append(
            f'<polygon points="{poly}" fill="{color}" fill-opacity="{0.08 if s.dashed else 0.18}" '
            f'stroke="{color}" stroke-width="2"{dash}><title>{escape(s.name)}</title></polygon>'
        )
    lx = 8
    for k, s in enumerate(series):
        color = s.color or PALETTE[k % len(PALETTE)]
        out.append(
            f'<rect x="{lx}" y="{size - 16}" width="10" height="10" fill="{color}"/>'
            f'<text x="{lx + 14}" y="{size - 7}">{escape(s.name)}</text>'
        )
        lx += 30 + 7 * len(s.name)
    out.append("</svg>")
    return mark_safe("".join(out))


def heatmap(
    rows: Sequence[str],
    cols: Sequence[str],
    cells: Sequence[Sequence[float | None]],
    *,
    title: str,
    desc: str = "",
    labels: Sequence[Sequence[str]] | None = None,
    scale: Sequence[tuple[float, str]] = ((0.0, BAD), (0.5, WARN), (0.8, OK)),
    cell: int = 46,
    links: Sequence[Sequence[str]] | None = None,
) -> SafeString:
    """A grid of coloured cells: ``scale`` maps thresholds to colours (value >= threshold)."""
    left, top = 150, 60
    width, height = left + cell * len(cols) + 10, top + cell * len(rows) + 10
    out = _open(width, height, title, desc)
    for j, c in enumerate(cols):
        x = left + j * cell + cell / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="start" transform="rotate(-40 {x:.1f} {top - 8})" '
            f'class="lbl">{escape(c)}</text>'
        )
    for i, r in enumerate(rows):
        y = top + i * cell
        out.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" class="lbl">'
            f"{escape(r)}</text>"
        )
        for j, v in enumerate(cells[i]):
            color = MUTED
            if v is not None:
                for threshold, c in scale:
                    if v >= threshold:
                        color = c
            text = labels[i][j] if labels else ("" if v is None else _fmt(v))
            rect = (
                f'<rect x="{left + j * cell + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="4" '
                f'fill="{color}" fill-opacity="{0.25 if v is None else 0.85}"><title>{escape(r)} · '
                f"{escape(cols[j])}: {escape(text)}</title></rect>"
                f'<text x="{left + j * cell + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                f'style="fill:#fff;font-weight:600">{escape(text)}</text>'
            )
            href = links[i][j] if links else ""
            out.append(f'<a href="{escape(href)}">{rect}</a>' if href else rect)
    out.append("</svg>")
    return mark_safe("".join(out))
