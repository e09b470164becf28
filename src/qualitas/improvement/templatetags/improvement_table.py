"""The nonconformity register's rows, written out in Python: one tag per page instead of a dozen
template variables, filters and tags per row. The same cells the template wrote."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from qualitas.core.templatetags.qualitas import badge, due

register = template.Library()


def _title_cell(nc: Any) -> str:
    out = escape(nc.title)
    if nc.product:
        lot = f" / {escape(nc.lot)}" if nc.lot else ""
        out += f' <span class="muted">· {escape(nc.product)}{lot}</span>'
    if nc.recurrence_of_id:
        out += " " + badge("bad", "recurrence")
    if nc.effectiveness_questioned:
        out += " " + badge("warn", "effectiveness questioned")
    return out


@register.simple_tag
def nonconformity_rows(rows: Iterable[Any], severity_labels: dict[str, str] | None) -> SafeString:
    labels = severity_labels or {}
    parts = []
    for nc in rows:
        process_code = nc.process.code if nc.process_id and nc.process else ""
        cells = (
            f'<a href="{escape(nc.get_absolute_url())}">{escape(nc.reference)}</a>',
            _title_cell(nc),
            badge(nc.severity, labels.get(nc.severity, nc.severity)),
            badge(nc.status, nc.get_status_display()),
            escape(process_code) if process_code else "—",
            escape(str(nc.owner)) if nc.owner_id and nc.owner else "—",
            nc.detected_on.isoformat() if nc.detected_on else "",
            due(nc.due_date, nc.is_open),
        )
        row_class = ' class="row-overdue"' if nc.is_overdue else ""
        parts.append(f"<tr{row_class}><td>" + "</td><td>".join(cells) + "</td></tr>")
    if not parts:
        parts.append('<tr><td colspan="8" class="empty">No nonconformities match.</td></tr>')
    return mark_safe("\n".join(parts))
