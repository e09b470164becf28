from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from qualitas.planning.choices import KpiStatus, RiskLevel
from qualitas.planning.models import Kpi

register = template.Library()

LABELS = {**dict(KpiStatus.choices), **dict(RiskLevel.choices)}
LEVEL_TONES = {"low": "ok", "medium": "warn", "high": "bad", "critical": "bad"}


@register.filter
def status_label(value: str) -> str:
    return str(LABELS.get(value, value or "—"))


@register.simple_tag
def level_badge(level: str, score: int | None = None) -> SafeString:
    if not level:
        return mark_safe('<span class="muted">—</span>')
    text = f"{score} · {LABELS.get(level, level)}" if score else str(LABELS.get(level, level))
    tone = LEVEL_TONES.get(level, "info")
    return mark_safe(f'<span class="badge badge-{tone} level-{escape(level)}">{escape(text)}</span>')


@register.filter
def kpi_row_status(kpi: Kpi) -> str:
    """Status of a KPI annotated with ``latest_value`` (see queries.with_latest)."""
    return kpi.status_of(getattr(kpi, "latest_value", None))


@register.simple_tag
def measure(value: float | None, unit: str = "") -> str:
    """A KPI value with at most two decimals and its unit: 95.5 %, 584 ppm, 3.3 days."""
    if value is None:
        return "—"
    text = f"{round(float(value), 2):,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit else text


# --- register rows written out in Python -----------------------------------------------------------
# One tag per page instead of a dozen template variables, filters and tags per row: the same cells
# the templates wrote (values escaped with the standard library's escape, as autoescaping does).


def record_url(url_name: str) -> Callable[[Any], str]:
    """``get_absolute_url`` of many records of one kind: the URL pattern is reversed once, not per row."""
    marker = "2147483647"
    prefix, suffix = reverse(url_name, args=[marker]).split(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def _latest_cell(k: Any) -> str:
    """A KPI's latest value and its month, or "no data" (k annotated by queries.with_latest/kpi_rows)."""
    if k.latest_value is None:
        return '<span class="muted">no data</span>'
    period = k.latest_period.strftime("%Y-%m") if k.latest_period else ""
    return f'{escape(measure(k.latest_value, k.unit))} <span class="muted">{period}</span>'


@register.simple_tag
def risk_rows(rows: Iterable[Any]) -> SafeString:
    from qualitas.core.templatetags.qualitas import badge, due

    risk_url, process_url = record_url("planning:risk"), record_url("planning:process")
    parts = []
    for r in rows:
        process = (
            f'<a href="{escape(process_url(r.process_id))}">{escape(r.process.code)}</a>'
            if r.process_id and r.process
            else "—"
        )
        kind_tone = "muted" if r.kind == "risk" else "info"
        cells = (
            f'<a href="{escape(risk_url(r.pk))}">{escape(r.reference)}</a>',
            f'{escape(r.title)} <span class="badge badge-{kind_tone}">{escape(r.get_kind_display())}</span>',
            process,
            level_badge(r.inherent_level, r.inherent_score),
            level_badge(r.residual_level, r.residual_score),
            escape(r.get_treatment_display()) or "—",
            escape(str(r.owner)),
            due(r.review_date, r.is_open),
            badge(r.status, r.get_status_display()),
        )
        row_class = ' class="row-overdue"' if r.review_overdue else ""
        parts.append(f"<tr{row_class}><td>" + "</td><td>".join(cells) + "</td></tr>")
    if not parts:
        parts.append('<tr><td colspan="9" class="empty">No risks or opportunities match.</td></tr>')
    return mark_safe("\n".join(parts))  # every value above is escaped


@register.simple_tag
def kpi_table_rows(rows: Iterable[Any]) -> SafeString:
    """Rows of the KPI register (KPIs annotated by queries.with_latest)."""
    from qualitas.core.templatetags.qualitas import badge

    kpi_url, process_url = record_url("planning:kpi"), record_url("planning:process")
    parts = []
    for k in rows:
        status = kpi_row_status(k)
        inactive = "" if k.is_active else ' <span class="muted">(inactive)</span>'
        latest = _latest_cell(k)
        side = "or more" if k.direction == "higher" else "or less"
        process = (
            f'<a href="{escape(process_url(k.process_id))}">{escape(k.process.code)}</a>'
            if k.process_id and k.process
            else "—"
        )
        cells = (
            f'<a href="{escape(kpi_url(k.pk))}">{escape(k.code)}</a>',
            f"{escape(k.name)}{inactive}",
            latest,
            f'{escape(measure(k.target, k.unit))} <span class="muted">{side}</span>',
            badge(status, status_label(status)),
            escape(k.get_frequency_display()),
            escape(str(k.owner)),
            process,
        )
        parts.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
    if not parts:
        parts.append('<tr><td colspan="8" class="empty">No KPIs match.</td></tr>')
    return mark_safe("\n".join(parts))  # every value above is escaped


@register.simple_tag
def kpi_trend_rows(kpis: Iterable[Any]) -> SafeString:
    """Rows of the KPI tables with sparklines (record pages, dashboard): queries.kpi_rows with ``spark``."""
    from qualitas.core.templatetags.qualitas import badge

    kpi_url = record_url("planning:kpi")
    parts = []
    for k in kpis:
        latest = _latest_cell(k)
        cells = (
            f'<a href="{escape(kpi_url(k.pk))}">{escape(k.code)} {escape(k.name)}</a>',
            latest,
            escape(measure(k.target, k.unit)),
            badge(k.status, status_label(k.status)),
            str(getattr(k, "spark", "")),
            escape(str(k.owner)),
        )
        parts.append("<tr><td>" + "</td><td>".join(cells) + "</td></tr>")
    if not parts:
        parts.append('<tr><td colspan="6" class="empty">No KPIs measure this yet.</td></tr>')
    return mark_safe("\n".join(parts))  # every value above is escaped (the sparkline is markup)
