from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from qualitas.core.tones import tone_for

register = template.Library()


@register.simple_tag
def cell(row: models.Model, attr: str) -> Any:
    """Display value of a column: choices by label, related records by name, dates short."""
    if callable(attr):
        return attr(row)
    value: Any = row
    for part in attr.split("__"):
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part, "")
        if value is None:
            return "—"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value if value != "" else "—"


@register.simple_tag
def badge(value: str, label: str = "") -> str:
    tone = tone_for(value)  # declared by each area next to its choices (core.tones)
    return format_html('<span class="badge badge-{}">{}</span>', tone, label or str(value).replace("_", " "))


@register.simple_tag
def due(date: dt.date | None, is_open: bool = True) -> str:
    if date is None:
        return mark_safe('<span class="muted">no date</span>')
    today = timezone.localdate()
    if is_open and date < today:
        days = (today - date).days
        return format_html(
            '<span class="due overdue" title="{} days overdue">{} · {} d overdue</span>',
            days,
            date.isoformat(),
            days,
        )
    if is_open and (date - today).days <= 7:
        return format_html('<span class="due soon">{}</span>', date.isoformat())
    return format_html('<span class="due">{}</span>', date.isoformat())


@register.simple_tag(takes_context=True)
def sort_link(context: template.Context, label: str, key: str) -> str:
    if not key:
        return label
    current = context.get("ordering", "")
    query = context.get("querystring") or ""
    params = "&".join(p for p in query.split("&") if p and not p.startswith("sort="))
    new = f"-{key}" if current == key else key
    arrow = " ▲" if current == key else (" ▼" if current == f"-{key}" else "")
    aria = "ascending" if current == key else ("descending" if current == f"-{key}" else "none")
    sep = "&" if params else ""
    return format_html('<a href="?{}{}sort={}" aria-sort="{}">{}{}</a>', params, sep, new, aria, label, arrow)


@register.filter
def changes_rows(changes: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    if not isinstance(changes, dict):
        return []
    rows = []
    for k, v in changes.items():
        before, after = [*v, None, None][:2] if isinstance(v, list) else (None, v)
        rows.append((k.removesuffix("_id").replace("_", " "), before, after))
    return rows


@register.filter
def verbose_name(obj: Any) -> str:
    return str(obj._meta.verbose_name) if hasattr(obj, "_meta") else ""
