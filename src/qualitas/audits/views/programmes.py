"""Pages of programmes (with their coverage), the auditor register, the calendar and the area's home."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.audits import queries, services
from qualitas.audits.calendar import organization_events
from qualitas.audits.calendar import render as render_ical
from qualitas.audits.choices import NC_RESULTS, AuditStatus, FindingStatus
from qualitas.audits.forms import (
    AuditorForm,
    ProgrammeForm,
)
from qualitas.audits.models import (
    Audit,
    Auditor,
    AuditProgramme,
    CalendarSubscription,
    Finding,
)
from qualitas.core import charts
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    OrganizationRequiredMixin,
    render_htmx,
)

# --- programmes ----------------------------------------------------------------------------------


class ProgrammeListView(ObjectListView):
    model = AuditProgramme
    title = "Audit programmes"
    columns = [
        ("Programme", "title", "title"),
        ("From", "period_start", "period_start"),
        ("To", "period_end", "period_end"),
    ]
    default_ordering = "-period_start"
    add_url_name = "audits:programme_add"


class ProgrammeView(ObjectView):
    model = AuditProgramme
    template_name = "audits/programme_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        audits = list(
            Audit.objects.filter(organization=p.organization, programme=p)
            .select_related("lead_auditor__user")
            .annotate(
                open_ncs=Count(
                    "findings", filter=Q(findings__status=FindingStatus.OPEN, findings__kind__in=NC_RESULTS)
                )
            )
            .order_by("planned_start", "pk")
        )
        cov, processes, columns = queries.programme_coverage(p)
        hours = queries.hours_per_auditor(p.organization, programme=p)
        auditors = {
            a.pk: a
            for a in Auditor.objects.filter(organization=p.organization, pk__in=hours).select_related("user")
        }
        context.update(
            {
                "audits": audits,
                "coverage": cov,
                "processes": processes,
                "columns": columns,
                "hours": sorted(
                    ((auditors[k], v) for k, v in hours.items() if k in auditors), key=lambda kv: -kv[1]
                ),
                "done_count": sum(
                    1 for a in audits if a.status in (AuditStatus.REPORTED, AuditStatus.CLOSED)
                ),
            }
        )
        return context


class CoverageView(ObjectView):
    """Processes × clauses covered by the audits of one cycle, with the gaps."""

    model = AuditProgramme
    template_name = "audits/coverage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        cov, processes, columns = queries.programme_coverage(self.object)
        names = {p.pk: p for p in processes}
        cells = [
            [(2 if d else 1 if pl else 0) for pl, d in zip(prow, drow, strict=True)]
            for prow, drow in zip(cov.planned, cov.done, strict=True)
        ]
        labels = [
            [(f"{d}✓" if d else f"{pl}" if pl else "–") for pl, d in zip(prow, drow, strict=True)]
            for prow, drow in zip(cov.planned, cov.done, strict=True)
        ]
        chart = None
        if processes and columns:
            chart = charts.heatmap(
                [p.code for p in processes],
                [c for c, _t in columns],
                cells,
                labels=labels,
                title="Audit coverage of the cycle",
                desc="Processes by clause: red cells are not covered by any audit of the programme; "
                "amber cells are planned; green cells have been audited.",
                scale=((0, charts.BAD), (1, charts.WARN), (2, charts.OK)),
                cell=34,
            )
        context.update(
            {
                "coverage": cov,
                "processes": processes,
                "columns": columns,
                "chart": chart,
                "process_gaps": [names[pk] for pk in cov.process_gaps],
                "clause_gaps": [(c, t) for c, t in columns if c in set(cov.clause_gaps)],
            }
        )
        return context


class ProgrammeEditView(ObjectEditView):
    model = AuditProgramme
    form_class = ProgrammeForm


class ProgrammeDeleteView(ObjectDeleteView):
    model = AuditProgramme
    delete_service = staticmethod(services.delete_programme)
    success_url_name = "audits:programme_list"


# --- auditors ------------------------------------------------------------------------------------


class AuditorListView(ObjectListView):
    model = Auditor
    title = "Auditor register"
    select_related = ("user",)
    template_name = "audits/auditor_list.html"
    partial_template_name = "audits/partials/_auditor_table.html"
    columns = [
        ("Auditor", "user", "user__full_name"),
        ("Last training", "trained_on", "trained_on"),
        ("Refresher due", "training_due", "training_due"),
        ("Active", "is_active", "is_active"),
    ]
    default_ordering = "user__full_name"
    add_url_name = "audits:auditor_add"

    def extra_context(self) -> dict[str, Any]:
        return {
            "hours": queries.hours_per_auditor(self.organization),
            "partial_template_name": self.partial_template_name,
        }


class AuditorView(ObjectView):
    model = Auditor
    select_related = ("user",)
    prefetch_related = ("own_processes",)
    template_name = "audits/auditor_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        a = self.object
        context["audits"] = (
            Audit.objects.filter(organization=a.organization)
            .filter(Q(lead_auditor=a) | Q(team=a))
            .distinct()
            .order_by("-planned_start")
        )
        context["hours"] = queries.hours_per_auditor(a.organization).get(a.pk, 0)
        return context


class AuditorEditView(ObjectEditView):
    model = Auditor
    form_class = AuditorForm
    create_service = staticmethod(services.create_auditor)
    update_service = staticmethod(services.update_auditor)


class AuditorDeleteView(ObjectDeleteView):
    model = Auditor
    delete_service = staticmethod(services.delete_auditor)
    success_url_name = "audits:auditor_list"


# --- calendar ------------------------------------------------------------------------------------


class CalendarView(OrganizationRequiredMixin, View):
    """The member's subscription address for their calendar app."""

    def get(self, request: HttpRequest) -> HttpResponse:
        member = request.user.pk or 0  # a signed-in member (OrganizationRequiredMixin)
        sub = CalendarSubscription.objects.filter(organization=self.organization, user_id=member).first()
        return render(
            request,
            "audits/calendar.html",
            {"subscription": sub, "feed_url": self.feed_url(sub), "title": "Calendar of audits and reviews"},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        services.calendar_subscription(
            self.organization, actor=request.user, reset=request.POST.get("reset") == "1"
        )
        messages.success(
            request,
            "Your calendar address is ready."
            if request.POST.get("reset") != "1"
            else "A new address was made; the old one no longer works.",
        )
        return redirect("audits:calendar")

    def feed_url(self, sub: CalendarSubscription | None) -> str:
        if sub is None:
            return ""
        return self.request.build_absolute_uri(reverse("audits:calendar_feed", args=[sub.token]))


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """text/calendar for a calendar app: the token names one member of one organization."""
    # The secret token names one membership, and so one organization.
    subscriptions = CalendarSubscription.objects.select_related("organization", "user")  # tenancy: by token
    sub = subscriptions.filter(token=token).first() if token else None
    if (
        sub is None
        or not sub.user.is_active
        or not sub.user.memberships.filter(organization=sub.organization, is_active=True).exists()
    ):
        raise Http404("No such calendar.")
    base = request.build_absolute_uri("/").rstrip("/")
    body = render_ical(
        organization_events(sub.organization, base), name=f"{sub.organization} – audits and reviews"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="qualitas.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


class AuditsHomeView(OrganizationRequiredMixin, View):
    """Check › Internal audits: the current programme, upcoming audits, open findings."""

    def get(self, request: HttpRequest) -> HttpResponse:
        org = self.organization
        audits = Audit.objects.visible_to(request.user, org)
        context = {
            "title": "Internal audits",
            "programmes": AuditProgramme.objects.visible_to(request.user, org).order_by("-period_start")[:5],
            "upcoming": audits.filter(
                status__in=(AuditStatus.PLANNED, AuditStatus.PREPARED, AuditStatus.IN_PROGRESS)
            )
            .select_related("lead_auditor__user")
            .order_by("planned_start")[:10],
            "open_findings": queries.open_findings(
                Finding.objects.visible_to(request.user, org)
            ).select_related("audit", "process")[:20],
            "can_add": can(request.user, org, "add", Audit),
        }
        return render_htmx(request, "audits/home.html", None, context)
