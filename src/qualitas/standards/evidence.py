"""What this area itself proves: the maintained scope with its justifications (ISO 9001 4.3)."""

from typing import Any

from django.urls import reverse

from qualitas.standards.models import ScopeStatement


def scope_summary(organization: Any) -> dict[str, Any]:
    scope = ScopeStatement.objects.filter(organization=organization).first()
    if scope is None:
        return {"count": 0, "url": reverse("standards:scope"), "items": []}
    return {
        "count": 1,
        "url": reverse("standards:scope"),
        "items": [(f"{scope.get_profile_display()} (version {scope.version})", reverse("standards:soa"))],
    }
