"""The process map: one column of boxes per process type, an arrow per declared interaction
("this process's output feeds that one"). Server-rendered SVG; each box links to its process."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qualitas.planning.choices import ProcessType

COLUMNS = [
    (ProcessType.MANAGEMENT, "Management"),
    (ProcessType.CORE, "Core (operational)"),
    (ProcessType.SUPPORT, "Support"),
]
FILL = {ProcessType.MANAGEMENT: "#e8eef7", ProcessType.CORE: "#e6f4ec", ProcessType.SUPPORT: "#f4efe6"}
STROKE = {ProcessType.MANAGEMENT: "#1d4e89", ProcessType.CORE: "#2a9d5b", ProcessType.SUPPORT: "#a8741a"}
STATUS_DOT = {"on_target": "#2a9d5b", "at_risk": "#e0a21f", "off_target": "#b42318"}

BOX_W, BOX_H, GAP, COL_W, TOP, LEFT = 200, 46, 18, 320, 62, 20


def layout(processes: Sequence[Any]) -> dict[int, tuple[float, float, int]]:
    """Box position (x, y, column) per process id: columns by type, rows in code order."""
    pos: dict[int, tuple[float, float, int]] = {}
    for col, (ptype, _label) in enumerate(COLUMNS):
        row = 0
        for p in processes:
            if p.process_type == ptype:
                pos[p.pk] = (LEFT + col * COL_W, TOP + row * (BOX_H + GAP), col)
                row += 1
    return pos


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def process_map(
    processes: Sequence[Any],
    interactions: Sequence[Any],
    *,
    title: str = "Process map",
    status: dict[int, str] | None = None,
) -> SafeString:
    pos = layout(processes)
    rows = max((sum(1 for p in processes if p.process_type == t) for t, _ in COLUMNS), default=0)
    width = LEFT * 2 + COL_W * (len(COLUMNS) - 1) + BOX_W + 70
    height = TOP + max(rows, 1) * (BOX_H + GAP) + 10
    desc = (
        f"{len(processes)} processes in three columns (management, core, support) and "
        f"{len(interactions)} arrows from the process whose output feeds another."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'class="chart process-map" style="max-width:{width}px">',
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        "<style>text{font:12px system-ui,sans-serif;fill:#1b2430}.col{font-weight:700;fill:#4a5565}"
        ".code{font-weight:700}a:hover rect{stroke-width:3}</style>",
        '<defs><marker id="pm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#5f6b7a"/></marker></defs>',
    ]
    for col, (_t, label) in enumerate(COLUMNS):
        out.append(f'<text class="col" x="{LEFT + col * COL_W}" y="{TOP - 32}">{escape(label)}</text>')
    # Decide each arrow's route and the box sides it leaves and enters, then spread the arrows that
    # share one side of a box over its height so they do not meet in one point.
    routes = []
    for i in interactions:
        if i.source_id not in pos or i.target_id not in pos:
            continue
        sc, tc = pos[i.source_id][2], pos[i.target_id][2]
        if sc == tc:
            kind, out_side, in_side = "arc", "right", "right"
        elif abs(sc - tc) > 1:  # the outer sides of the outer columns, never across the middle one
            kind = "over"
            out_side, in_side = ("left", "right") if tc > sc else ("right", "left")
        else:
            kind = "direct"
            out_side, in_side = ("right", "left") if tc > sc else ("left", "right")
        routes.append((i, kind, out_side, in_side))
    ports: dict[tuple[int, str], list[int]] = {}
    for n, (i, _kind, out_side, in_side) in enumerate(routes):
        ports.setdefault((i.source_id, out_side), []).append(n)
        ports.setdefault((i.target_id, in_side), []).append(n)

    def port(pk: int, side: str, n: int) -> tuple[float, float]:
        x, y, _c = pos[pk]
        users = ports[(pk, side)]
        k = users.index(n)
        if side == "top":
            return x + BOX_W * (k + 1) / (len(users) + 1), y
        offset = BOX_H * (k + 1) / (len(users) + 1)
        return (x + BOX_W if side == "right" else x), y + offset

    lane = TOP - 12
    for n, (i, kind, out_side, in_side) in enumerate(routes):
        x1, y1 = port(i.source_id, out_side, n)
        x2, y2 = port(i.target_id, in_side, n)
        if kind == "arc":  # same column: a curve on the right-hand side
            bulge = 26 + min(abs(y2 - y1) / 6, 40)
            c1, c2 = x1 + bulge, x2 + bulge
            d = f"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2 + 2:.1f},{y2:.1f}"
        elif kind == "over":  # out of the far side, along the top lane, into the far side of the target
            o1 = x1 - 12 if out_side == "left" else x1 + 12
            o2 = x2 + 12 if in_side == "right" else x2 - 12
            end = x2 + 2 if in_side == "right" else x2 - 2
            d = (
                f"M{x1:.1f},{y1:.1f} L{o1:.1f},{y1:.1f} L{o1:.1f},{lane} L{o2:.1f},{lane} L{o2:.1f},{y2:.1f} "
                f"L{end:.1f},{y2:.1f}"
            )
        else:
            mid = (x1 + x2) / 2
            end = x2 - 2 if x2 > x1 else x2 + 2
            d = f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {end:.1f},{y2:.1f}"
        what = f": {i.description}" if i.description else ""
        out.append(
            f'<path d="{d}" fill="none" stroke="#5f6b7a" stroke-width="1.4" opacity=".75" '
            f'marker-end="url(#pm-arrow)"><title>{escape(i.source.code)} → {escape(i.target.code)}'
            f"{escape(what)}</title></path>"
        )
    for p in processes:
        if p.pk not in pos:
            continue
        x, y, _c = pos[p.pk]
        fill, stroke = FILL.get(p.process_type, "#fff"), STROKE.get(p.process_type, "#5f6b7a")
        dash = "" if p.is_active else ' stroke-dasharray="4 3"'
        owner = getattr(p, "owner", None)
        tip = f"{p.code} {p.name}" + (f" · owner {owner}" if owner else "")
        out.append(
            f'<a href="{escape(p.get_absolute_url())}"><title>{escape(tip)}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
            f'<text x="{x + 10}" y="{y + 18}" class="code">{escape(p.code)}</text>'
            f'<text x="{x + 10}" y="{y + 35}">{escape(_short(p.name, 27))}</text>'
        )
        if status and status.get(p.pk) in STATUS_DOT:
            out.append(
                f'<circle cx="{x + BOX_W - 12}" cy="{y + 12}" r="5" fill="{STATUS_DOT[status[p.pk]]}">'
                f"<title>KPIs: {escape(status[p.pk].replace('_', ' '))}</title></circle>"
            )
        out.append("</a>")
    if not processes:
        out.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle">No processes yet</text>')
    out.append("</svg>")
    return mark_safe("".join(out))
