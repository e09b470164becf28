"""The schedule in one place: every ``registry.schedules`` job for every organization at its interval.

``tick`` claims the jobs whose time has come (one row per organization and job, locked while it is
claimed, so any number of schedulers on any number of machines claim each run once) and queues a task
per run; ``run_job`` runs one and records its result or failure. A claim older than ``STALE_AFTER``
whose run never finished (a worker that died) is claimed again: the jobs are idempotent, so the retry
completes what the crashed run left undone and repeats nothing."""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.background.models import JobState, JobStatus
from qualitas.core.models import organization_model
from qualitas.core.registry import ScheduledJob, registry

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(hours=1)


def next_run(every: str, after: dt.datetime) -> dt.datetime:
    """The next time a job of interval ``every`` is due after ``after`` (local time, at the jobs hour
    for daily and weekly jobs; weekly on Mondays)."""
    local = timezone.localtime(after)
    if every == "hourly":
        return (local + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    at = local.replace(hour=settings.QUALITAS_JOBS_HOUR, minute=0, second=0, microsecond=0)
    day = dt.timedelta(days=1)
    candidate = at if at > local else at + day
    if every == "weekly":
        while candidate.weekday() != 0:
            candidate += day
    return candidate


def states(organization: Any) -> list[tuple[ScheduledJob, JobState]]:
    """Every registered job with its state for ``organization`` (states created as needed)."""
    have = {s.key: s for s in JobState.objects.filter(organization=organization)}
    rows = []
    for key in sorted(registry.schedules):
        state = have.get(key)
        if state is None:
            state, _created = JobState.objects.get_or_create(organization=organization, key=key)
        rows.append((registry.schedules[key], state))
    return rows


def _claimable(now: dt.datetime) -> Q:
    waiting = ~Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]) & (
        Q(next_run_at__isnull=True) | Q(next_run_at__lte=now)
    )
    crashed = Q(status__in=[JobStatus.QUEUED, JobStatus.RUNNING], claimed_at__lt=now - STALE_AFTER)
    return waiting | crashed


def claim(organization: Any, key: str, *, now: dt.datetime | None = None, force: bool = False) -> bool:
    """Take the next run of one job (False when it is not due or another scheduler took it)."""
    now = now or timezone.now()
    job = registry.schedules[key]
    org_id = getattr(organization, "pk", organization)
    JobState.objects.get_or_create(organization_id=org_id, key=key)
    with transaction.atomic():
        rows = JobState.objects.select_for_update().filter(organization_id=org_id, key=key)
        if not force:
            rows = rows.filter(_claimable(now))
        state = rows.first()
        if state is None:
            return False
        state.status = JobStatus.QUEUED
        state.claimed_at = now
        state.next_run_at = next_run(job.every, now)
        state.save(update_fields=["status", "claimed_at", "next_run_at"])
    return True


def tick(*, now: dt.datetime | None = None) -> int:
    """Queue every run whose time has come, in every organization; the number queued (a few
    queries however many organizations there are, plus one claim per run)."""
    from qualitas.core.background.tasks import enqueue_job

    now = now or timezone.now()
    keys = sorted(registry.schedules)
    org_ids = list(organization_model().objects.values_list("pk", flat=True))  # tenancy: every organization
    have = set(JobState.objects.filter(key__in=keys).values_list("organization_id", "key"))
    JobState.objects.bulk_create(
        [JobState(organization_id=o, key=k) for o in org_ids for k in keys if (o, k) not in have],
        ignore_conflicts=True,
    )
    due = JobState.objects.filter(key__in=keys).filter(_claimable(now)).order_by("organization_id", "key")
    queued = 0
    for org_id, key in list(due.values_list("organization_id", "key")):
        if claim(org_id, key, now=now):
            enqueue_job(org_id, key, timezone.localdate(now).isoformat())
            queued += 1
    return queued


def run_job(organization: Any, key: str, *, today: dt.date | None = None) -> JobState:
    """Run one job now for ``organization`` (writes with source "job") and record how it went."""
    job = registry.schedules[key]
    state, _created = JobState.objects.get_or_create(organization=organization, key=key)
    started = timezone.now()
    JobState.objects.filter(pk=state.pk).update(
        status=JobStatus.RUNNING, last_started_at=started, claimed_at=started
    )
    try:
        with audit.context("job"):
            result = job.run(organization, today or timezone.localdate())
    except Exception as exc:
        logger.exception("scheduled job %s failed for organization %s", key, organization.pk)
        JobState.objects.filter(pk=state.pk).update(
            status=JobStatus.FAILED,
            last_finished_at=timezone.now(),
            last_failure=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"[:5000],
            runs=state.runs + 1,
            failures=state.failures + 1,
            next_run_at=state.next_run_at or next_run(job.every, started),
        )
    else:
        JobState.objects.filter(pk=state.pk).update(
            status=JobStatus.OK,
            last_finished_at=timezone.now(),
            last_result=str(result)[:2000],
            last_failure="",
            runs=state.runs + 1,
            next_run_at=state.next_run_at or next_run(job.every, started),
        )
    state.refresh_from_db()
    return state
