"""What actions contribute to other areas: the "My tasks" tile, search, navigation, the demo and the
action workflow (``register()``, from apps.ActionsConfig.ready)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q
from django.utils import timezone

from qualitas.actions.models import Action
from qualitas.actions.queries import my_tasks


def my_tasks_tile(organization: Any, user: Any) -> dict[str, Any]:
    tasks = list(my_tasks(organization, user)[:50])
    today = timezone.localdate()
    return {
        "template": "actions/partials/_my_tasks.html",
        "tasks": tasks,
        "overdue_count": sum(1 for t in tasks if t.due_date and t.due_date < today),
        "today": today,
    }


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


def register() -> None:
    from qualitas.actions import demo, services
    from qualitas.actions.workflow import ACTION_WORKFLOW
    from qualitas.core.registry import DashboardTile, NavEntry, SearchSource, registry

    registry.add_nav(NavEntry("Improve", "Actions", "actions:action_list", order=90))
    registry.dashboard_tiles.append(DashboardTile("my_tasks", "My tasks", my_tasks_tile, order=0))
    registry.demo_loaders.append((10, "actions", demo.load))
    registry.search_sources.append(SearchSource("actions", "Actions", search_actions))
    registry.add_workflow(Action, ACTION_WORKFLOW, services.transition_action)
    register_background()


def due_actions(organization: Any, until: Any) -> list[Any]:
    """Reminders: every open action with an owner due on or before ``until`` (index action_status_idx)."""
    from django.urls import reverse

    from qualitas.actions.choices import OPEN_STATES
    from qualitas.core.registry import DueItem

    stem = reverse("actions:action", args=[0])[: -len("0/")]
    rows = (
        Action.objects.filter(
            organization=organization, status__in=OPEN_STATES, due_date__lte=until, owner__isnull=False
        )
        .order_by()
        .values_list("pk", "reference", "title", "owner_id", "due_date")
    )
    return [
        DueItem("actions.due", f"actions.action:{pk}", owner, due, f"{ref} {title}", f"{stem}{pk}/")
        for pk, ref, title, owner, due in rows.iterator(chunk_size=2000)
    ]


def register_background() -> None:
    """Reminders of open actions (7 days, 1 day before, overdue: the notification centre decides)."""
    from django.utils.translation import gettext_lazy as _

    from qualitas.core.registry import NoticeKind, registry

    registry.notice_kinds.setdefault(
        "actions.due", NoticeKind("actions.due", cast(str, _("Actions due soon or overdue")))
    )
    registry.due_sources.setdefault("actions.due", due_actions)
