"""Labels of the organization's configurable lists (sources, severities) in templates."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def label_of(labels: dict[str, str] | None, code: Any) -> str:
    """``{{ severity_labels|label_of:nc.severity }}``: the label, or the code when it is unknown."""
    return (labels or {}).get(code, code)
