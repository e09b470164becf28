from django import template

from qualitas.planning.choices import KpiStatus, RiskLevel

register = template.Library()

LABELS = {**dict(KpiStatus.choices), **dict(RiskLevel.choices)}
LEVEL_TONES = {"low": "ok", "medium": "warn", "high": "bad", "critical": "bad"}


@register.filter
def status_label(value: str) -> str:
    return str(LABELS.get(value, value or "—"))


@register.simple_tag
def level_badge(level: str, score: int | None = None) -> str:
    from django.utils.html import format_html

    if not level:
        return format_html('<span class="muted">{}</span>', "—")
    text = f"{score} · {LABELS.get(level, level)}" if score else str(LABELS.get(level, level))
    return format_html(
        '<span class="badge badge-{} level-{}">{}</span>', LEVEL_TONES.get(level, "info"), level, text
    )


@register.filter
def kpi_row_status(kpi: object) -> str:
    """Status of a KPI annotated with ``latest_value`` (see queries.with_latest)."""
    return kpi.status_of(getattr(kpi, "latest_value", None))  # type: ignore[attr-defined]


@register.simple_tag
def measure(value: float | None, unit: str = "") -> str:
    """A KPI value with at most two decimals and its unit: 95.5 %, 584 ppm, 3.3 days."""
    if value is None:
        return "—"
    text = f"{round(float(value), 2):,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit else text
