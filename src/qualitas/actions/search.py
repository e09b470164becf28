from typing import Any

from django.db.models import Q

from qualitas.actions.models import Action


def search_actions(organization: Any, user: Any, query: str, limit: int) -> list[tuple[str, str, str]]:
    qs = (
        Action.objects.visible_to(user, organization)
        .filter(Q(title__icontains=query) | Q(reference__iexact=query) | Q(description__icontains=query))
        .select_related("owner")
        .order_by("-pk")[:limit]
    )
    return [
        (str(a), a.get_absolute_url(), f"{a.get_status_display()} · {a.owner} · due {a.due_date or '—'}")
        for a in qs
    ]
