"""Readiness, evidence packs and the status file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from qualitas.core import cache, charts
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can
from qualitas.core.views import (
    ImportView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
)
from qualitas.standards import queries, readiness, services, statusfile
from qualitas.standards.choices import (
    GAP_LABELS_ORDER,
    GROUP_TITLES,
    PackJobStatus,
)
from qualitas.standards.imports import STATUS_IMPORT
from qualitas.standards.models import (
    PackJob,
    ReadinessSnapshot,
    Requirement,
)
from qualitas.standards.readiness import GAP_LABELS

# --- readiness -------------------------------------------------------------------------------------


def readiness_context(organization: Any) -> dict[str, Any]:
    # Cached while the organization's data is unchanged (core/cache.py): readiness reads every clause.
    figures = cache.for_organization(organization, "readiness", lambda: readiness.compute(organization))
    services.record_snapshot(organization, figures)
    snaps = list(ReadinessSnapshot.objects.filter(organization=organization).order_by("-date")[:90])[::-1]
    hm = figures["heatmap"]
    heatmap = charts.heatmap(
        hm["rows"],
        hm["cols"],
        hm["cells"],
        labels=hm["labels"],
        links=hm["links"],
        title="Readiness per section",
        desc="Share of applicable requirements implemented, per ISO 9001 section; grey: not applicable.",
    )
    trend = None
    if len(snaps) >= 2:
        trend = charts.line_chart(
            [s.date.strftime("%m-%d") for s in snaps],
            [charts.Series("Overall readiness", [s.overall * 100 for s in snaps])],
            title="Readiness over time",
            desc="Overall readiness in percent, one point a day.",
            y_min=0,
            y_max=100,
            unit="%",
        )
    gaps_by_kind: dict[str, list[Any]] = {k: [] for k in GAP_LABELS}
    for g in figures["gaps"]:
        gaps_by_kind[g.kind].append(g)
    return {
        **figures,
        "heatmap_svg": heatmap,
        "trend_svg": trend,
        "snapshots": snaps,
        "gap_groups": [(k, GAP_LABELS[k], gaps_by_kind[k]) for k in GAP_LABELS_ORDER if gaps_by_kind[k]],
        "group_titles": GROUP_TITLES,
    }


class ReadinessView(OrganizationRequiredMixin, View):
    """Check › Readiness: for the quality manager preparing certification."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, self.organization, "view", Requirement):
            raise Http404
        context = readiness_context(self.organization)
        context["scope"] = queries.scope_of(self.organization)
        return render(request, "standards/readiness.html", context)


# --- evidence pack ---------------------------------------------------------------------------------


class EvidencePackView(OrganizationRequiredMixin, View):
    """GET: what the pack will hold and the recent packs. POST: queue a pack and show its progress."""

    def get(self, request: HttpRequest) -> HttpResponse:
        figures = readiness.compute(self.organization)
        return render(
            request,
            "standards/evidence_pack.html",
            {
                "applicable": figures["applicable"],
                "gap_count": figures["gap_count"],
                "overall": figures["overall"],
                "can_build": can(request.user, self.organization, "add", PackJob),
                "jobs": PackJob.objects.visible_to(request.user, self.organization).select_related(
                    "created_by"
                )[:5],
            },
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            job = services.start_pack_job(self.organization, actor=request.user)
        except NotAllowed:
            raise Http404 from None
        return redirect(job.get_absolute_url())


class PackJobView(TenantObjectMixin, View):
    """The progress page of one pack: a bar that polls until the ZIP is ready to download."""

    model = PackJob
    select_related = ("created_by",)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, "standards/packjob.html", {"job": self.get_object()})


PACK_WORKER_IDLE = dt.timedelta(seconds=30)


class PackJobProgressView(TenantObjectMixin, View):
    """One poll: the progress bar fragment. A worker builds the pack (``standards.tasks``); without
    background tasks, or when no worker has touched the job for a while, the poll runs the next
    bounded chunk itself."""

    model = PackJob

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        idle = timezone.now() - job.updated_at > PACK_WORKER_IDLE
        in_background = getattr(settings, "QUALITAS_TASKS_IN_BACKGROUND", False)
        if (
            not job.finished
            and (idle or not in_background)
            and can(request.user, self.organization, "change", job)
        ):
            job = services.advance_pack_job(job, actor=request.user)
        return render(request, "standards/partials/_pack_progress.html", {"job": job})


class PackJobDownloadView(TenantObjectMixin, View):
    """The finished ZIP; another organization's pack (or one not finished) answers 404."""

    model = PackJob

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job = self.get_object()
        if job.status != PackJobStatus.DONE or not job.file:
            raise Http404("The pack is not ready.")
        try:
            fh = job.file.open("rb")
        except OSError:
            raise Http404("The pack file is gone; build it again.") from None
        name = f"evidence-pack-{self.organization.slug}-{timezone.localtime(job.created_at):%Y%m%d-%H%M}.zip"
        return FileResponse(fh, as_attachment=True, filename=name, content_type="application/zip")


# --- status import and export ----------------------------------------------------------------------


class StatusExportView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        return statusfile.export_response(self.organization, fmt)


class StatusImportView(ImportView):
    """The status file in: every row checked, then all rows or none."""

    spec = STATUS_IMPORT
    success_url_name = "standards:requirement_list"
    preview = False
