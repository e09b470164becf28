"""The tasks the workers run (django-tasks; docs/adr/0014-task-queue.md). Each takes ids, not objects,
and may run twice: what it does is idempotent."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from qualitas.core.models import organization_model


@task()
def run_scheduled_job(organization_id: int, key: str, today: str | None = None) -> str:
    """One scheduled run; ``today`` (ISO date) is the day the scheduler claimed it for."""
    import datetime as dt

    from qualitas.core.background.scheduler import run_job

    organization = organization_model().objects.filter(pk=organization_id).first()  # tenancy: by id
    if organization is None:
        return "organization gone"
    state = run_job(organization, key, today=dt.date.fromisoformat(today) if today else None)
    return f"{state.status}: {state.last_result or state.last_failure[:200]}"


def enqueue_job(organization_id: int, key: str, today: str | None = None) -> None:
    """Queue a run once the claim has committed."""
    transaction.on_commit(lambda: run_scheduled_job.enqueue(organization_id, key, today))
