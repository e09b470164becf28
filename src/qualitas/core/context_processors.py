from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from qualitas.core.registry import registry


def qualitas(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    sections: dict[str, list[dict[str, Any]]] = {}
    path = request.path
    for entry in registry.navigation:
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = path.startswith(url) if url != "/" else path == "/"
        sections.setdefault(entry.section, []).append({"label": entry.label, "url": url, "active": active})
    order = ["Home", "Plan", "Support", "Operate", "Check", "Improve", "System"]
    nav = [(s, sections[s]) for s in order if s in sections] + [
        (s, items) for s, items in sections.items() if s not in order
    ]
    return {
        "nav_sections": nav,
        "current_organization": getattr(request, "organization", None),
        "current_membership": getattr(request, "membership", None),
        "user_memberships": getattr(request, "memberships", []),
    }
