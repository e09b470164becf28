"""Readiness snapshots and evidence pack jobs."""

from __future__ import annotations

import logging
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.standards.choices import PackJobStatus
from qualitas.standards.models import (
    PackJob,
    ReadinessSnapshot,
)

logger = logging.getLogger(__name__)

# --- readiness snapshots ---------------------------------------------------------------------------


@transaction.atomic
def record_snapshot(organization: Any, figures: dict[str, Any], *, day: Any = None) -> ReadinessSnapshot:
    """Keep the day's readiness figures for the trend (a system write: no person acts)."""
    today = day or timezone.localdate()
    data = {
        "overall": round(float(figures["overall"]), 4),
        "groups": {g["group"]: round(float(g["score"]), 4) for g in figures["groups"]},
        "applicable": figures["applicable"],
        "done": figures["done"],
        "gaps": figures["gap_count"],
    }
    with audit.context("job"):
        snap = (
            ReadinessSnapshot.objects.select_for_update()
            .filter(organization=organization, date=today)
            .first()
        )
        if snap is None:
            snap = ReadinessSnapshot(organization=organization, date=today, **data)
            with audit.tracking(snap, actor=None, action="readinesssnapshot.create"):
                snap.save()
        elif any(getattr(snap, k) != v for k, v in data.items()):
            with audit.tracking(snap, actor=None, action="readinesssnapshot.update"):
                for k, v in data.items():
                    setattr(snap, k, v)
                snap.save()
    return snap


# --- evidence pack jobs ----------------------------------------------------------------------------

# One progress poll does at most this much work (the PDF step alone may take longer on a large index).
PACK_CHUNK_STEPS = 20
PACK_CHUNK_SECONDS = 0.8


@transaction.atomic
def start_pack_job(organization: Any, *, actor: Any) -> PackJob:
    """Queue an evidence pack for the button; the progress polls build it (``advance_pack_job``)."""
    ensure_allowed(actor, organization, "add", PackJob)
    job = PackJob(organization=organization, created_by=actor)
    with audit.tracking(job, actor=actor, action="packjob.create"):
        job.save()
    job.file.save(f"evidence-pack-{organization.slug}-{job.pk}.zip", ContentFile(b""), save=False)
    job.save(update_fields=["file"])
    if getattr(settings, "QUALITAS_TASKS_IN_BACKGROUND", False):
        from qualitas.standards.tasks import build_pack

        org_id, job_id = organization.pk, job.pk
        transaction.on_commit(lambda: build_pack.enqueue(org_id, job_id))
    return job


def advance_pack_job(job: PackJob, *, actor: Any) -> PackJob:
    """Run the next bounded chunk of the pack and save the progress; never raises for a broken build.

    Progress saves are not audited (they are a counter); the start, the end and a failure are.
    """
    organization = job.organization
    ensure_allowed(actor, organization, "change", job)
    try:
        with transaction.atomic():
            job = PackJob.objects.select_for_update().filter(organization=organization).get(pk=job.pk)
            if job.finished:
                return job
            _run_pack_chunk(job, actor=actor)
        return job
    except Exception as exc:  # a broken pack is a failed job with a message, never a server error
        logger.exception("evidence pack job %s failed", job.pk)
        return _fail_pack_job(job, actor=actor, message=f"The pack could not be built: {exc}")


def _run_pack_chunk(job: PackJob, *, actor: Any) -> None:
    from qualitas.standards import pack

    organization = job.organization
    storage, name = job.file.storage, job.file.name
    with storage.open(name, "r+b") as fh, zipfile.ZipFile(fh, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        if job.status == PackJobStatus.PENDING or not job.plan:
            job.plan = pack.begin(organization, zf)
            job.status = PackJobStatus.RUNNING
            job.started_at = timezone.now()
            job.total_steps = pack.total_steps(job.plan)
            job.done_steps = 1
            job.current_label = "index.html"
        else:
            label = job.current_label

            def progress(step: str, _done: int, _total: int) -> None:
                nonlocal label
                label = step

            job.done_steps = pack.advance(
                organization,
                zf,
                job.plan,
                job.done_steps,
                max_steps=PACK_CHUNK_STEPS,
                seconds=PACK_CHUNK_SECONDS,
                progress=progress,
            )
            job.current_label = label[:300]
    if job.done_steps >= job.total_steps:
        job.status = PackJobStatus.DONE
        job.finished_at = timezone.now()
        counts = pack.counts(job.plan)
        job.message = f"{counts['clauses']} applicable clauses, {counts['files']} files" + (
            f", {counts['missing']} unreadable" if counts["missing"] else ""
        )
        audit.record(
            job,
            actor=actor,
            action="packjob.done",
            changes={"status": [PackJobStatus.RUNNING, PackJobStatus.DONE], "summary": [None, job.message]},
        )
    job.save()


@transaction.atomic
def _fail_pack_job(job: PackJob, *, actor: Any, message: str) -> PackJob:
    job = PackJob.objects.select_for_update().filter(organization=job.organization).get(pk=job.pk)
    if job.finished:
        return job
    with audit.tracking(job, actor=actor, action="packjob.fail"):
        job.status = PackJobStatus.FAILED
        job.message = message[:1000]
        job.finished_at = timezone.now()
        job.save()
    return job
