"""The master document list's rows, written out in Python: one tag per page instead of a template
variable (and a filter) per cell. Same cells as ``core``'s ``{% cell %}``: choices by label, dates
as ISO dates, an empty value as "—"."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from qualitas.core.templatetags.qualitas import cell

register = template.Library()


COLUMNS = (
    "title",
    "doc_type",
    "current_label",
    "status",
    "owner",
    "process",
    "effective_date",
    "next_review_due",
)


def _text(row: Any, attr: str) -> str:
    return escape(str(cell(row, attr)))


@register.simple_tag
def document_rows(rows: Iterable[Any], columns: int = 9) -> SafeString:
    parts = []
    for d in rows:
        cells = [_text(d, attr) for attr in COLUMNS]
        parts.append(
            f'<tr><td><a href="{escape(d.get_absolute_url())}">{_text(d, "code")}</a></td><td>'
            + "</td><td>".join(cells)
            + "</td></tr>"
        )
    if not parts:
        parts.append(f'<tr><td colspan="{columns}" class="empty">Nothing here yet.</td></tr>')
    return mark_safe("\n".join(parts))
