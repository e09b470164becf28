"""The Ishikawa (fishbone) diagram as server-rendered SVG: six bones (6M), causes as ribs, the root
cause highlighted. No JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qualitas.improvement.choices import SixM

ROOT = "#b3261e"
BONE = "#1d4e89"
TOP = (SixM.MAN, SixM.MACHINE, SixM.METHOD)
BOTTOM = (SixM.MATERIAL, SixM.MEASUREMENT, SixM.ENVIRONMENT)


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words, out, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _short(out[-1] + " …", width)
    return out


def render(effect: str, causes: Sequence[Any], *, width: int = 900) -> SafeString:
    """``causes`` have ``category``, ``text`` and ``is_root``. Returns an accessible inline SVG."""
    by_cat: dict[str, list[Any]] = {c: [] for c in SixM.values}
    for cause in causes:
        by_cat.setdefault(cause.category, []).append(cause)
    rows = max([len(v) for v in by_cat.values()] + [2])
    half = 50 + rows * 22
    height = 2 * half + 20
    spine_y = half + 10
    head_w = 170
    spine_end = width - head_w - 10
    out = [
        f'<svg class="fishbone" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="fb-title fb-desc" font-family="system-ui, sans-serif" font-size="12">',
        '<title id="fb-title">Ishikawa diagram</title>',
        f'<desc id="fb-desc">Causes of “{escape(effect)}” by category; '
        + escape(
            "; ".join(
                f"{SixM(c).label}: {', '.join(x.text for x in v) or 'none'}"
                for c, v in by_cat.items()
                if c in SixM.values
            )
        )
        + "</desc>",
        f'<line x1="20" y1="{spine_y}" x2="{spine_end}" y2="{spine_y}" stroke="{BONE}" stroke-width="3"/>',
        f'<polygon points="{spine_end},{spine_y - 8} {spine_end + 12},{spine_y} {spine_end},{spine_y + 8}" '
        f'fill="{BONE}"/>',
        f'<rect x="{spine_end + 14}" y="{spine_y - 30}" width="{head_w - 6}" height="60" rx="6" '
        f'fill="#eef3fa" stroke="{BONE}"/>',
    ]
    for k, line in enumerate(_wrap(effect, 24, 3)):
        out.append(
            f'<text x="{spine_end + 20}" y="{spine_y - 12 + k * 15}" font-weight="700">{escape(line)}</text>'
        )
    slot = (spine_end - 40) / 3
    for side, cats in ((-1, TOP), (1, BOTTOM)):
        for i, cat in enumerate(cats):
            x_spine = 40 + slot * (i + 1)
            x_tip = x_spine - half * 0.6
            y_tip = spine_y + side * (half - 8)
            out.append(
                f'<line x1="{x_tip:.1f}" y1="{y_tip:.1f}" x2="{x_spine:.1f}" y2="{spine_y}" '
                f'stroke="{BONE}" stroke-width="2"/>'
            )
            label_y = y_tip - 6 if side < 0 else y_tip + 16
            out.append(
                f'<text x="{x_tip:.1f}" y="{label_y:.1f}" text-anchor="middle" font-weight="700" '
                f'fill="{BONE}">{escape(SixM(cat).label)}</text>'
            )
            for j, cause in enumerate(by_cat.get(cat, [])):
                frac = (j + 1) / (rows + 1)
                bx = x_tip + (x_spine - x_tip) * frac
                by = y_tip + (spine_y - y_tip) * frac
                color = ROOT if cause.is_root else "#333"
                weight = ' font-weight="700"' if cause.is_root else ""
                mark = " ★ root" if cause.is_root else ""
                out.append(
                    f'<line x1="{bx - 150:.1f}" y1="{by:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{color}" '
                    f'stroke-width="{2 if cause.is_root else 1}"/>'
                )
                out.append(
                    f'<text x="{bx - 4:.1f}" y="{by - 3:.1f}" text-anchor="end" fill="{color}"{weight}>'
                    f"{escape(_short(cause.text))}{mark}<title>{escape(cause.text)}</title></text>"
                )
    out.append("</svg>")
    return mark_safe("".join(out))
