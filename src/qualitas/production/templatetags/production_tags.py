from django import template
from django.utils.html import format_html

register = template.Library()

TONES = {
    "in_process": "info",
    "on_hold": "warn",
    "released": "ok",
    "rejected": "bad",
    "pass": "ok",
    "fail": "bad",
    "ok": "ok",
    "warn": "warn",
    "bad": "bad",
    "neutral": "muted",
}


@register.simple_tag
def pbadge(value: str, label: str = "") -> str:
    return format_html(
        '<span class="badge badge-{}">{}</span>',
        TONES.get(str(value), "info"),
        label or str(value).replace("_", " "),
    )
