"""The evidence pack, built by a worker off the request (the page's progress bar polls the job)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_pack(organization_id: int, job_id: int) -> str:
    """Build the pack to the end; safe to run again (a finished job is left as it is, a half-built
    one continues from its saved progress)."""
    from django.utils.translation import gettext as _

    from qualitas.core import audit
    from qualitas.core.background.notices import notify
    from qualitas.standards import queries, services

    job = queries.pack_job(organization_id, job_id)
    if job is None:
        return "gone"
    with audit.context("job"):
        while not job.finished:
            job = services.advance_pack_job(job, actor=None)
        if job.created_by is not None:
            notify(
                job.organization,
                job.created_by,
                "standards.pack_done",
                key=f"standards.pack:{job.pk}",
                title=_("Evidence pack %(status)s: %(message)s")
                % {"status": job.get_status_display(), "message": job.message},
                url=job.get_absolute_url(),
            )
    return f"{job.status}: {job.message}"
