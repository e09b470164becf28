from typing import Any

from django.utils import timezone

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
