"""The master document list's rows, written out in Python: one tag per page instead of a template
variable (and a filter) per cell. Same cells as ``core``'s ``{% cell %}``: choices by label, dates
as ISO dates, an empty value as "—"."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return escape(str(value))


@register.simple_tag
def document_rows(rows: Iterable[Any], columns: int = 9) -> SafeString:
    parts = []
    for d in rows:
        cells = (
            _text(d.title),
            _text(d.get_doc_type_display()),
            _text(d.current_label),
            _text(d.get_status_display()),
            _text(d.owner),
            _text(d.process),
            _text(d.effective_date),
            _text(d.next_review_due),
        )
        parts.append(
            f'<tr><td><a href="{escape(d.get_absolute_url())}">{_text(d.code)}</a></td><td>'
            + "</td><td>".join(cells)
            + "</td></tr>"
        )
    if not parts:
        parts.append(f'<tr><td colspan="{columns}" class="empty">Nothing here yet.</td></tr>')
    return mark_safe("\n".join(parts))
