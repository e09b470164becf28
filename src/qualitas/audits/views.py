from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.audits import queries, reports, services
from qualitas.audits.calendar import organization_events
from qualitas.audits.calendar import render as render_ical
from qualitas.audits.choices import NC_RESULTS, AuditStatus, FindingStatus, Result
from qualitas.audits.filters import AuditFilterSet, FindingFilterSet
from qualitas.audits.forms import (
    AuditForm,
    AuditorForm,
    ChecklistItemForm,
    FindingForm,
    ProgrammeForm,
    ResultForm,
    SaveTemplateForm,
    TemplateForm,
    UseTemplateForm,
    VerifyFindingForm,
)
from qualitas.audits.models import (
    Audit,
    Auditor,
    AuditProgramme,
    CalendarSubscription,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
)
from qualitas.audits.workflow import AUDIT_WORKFLOW
from qualitas.core import charts
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    form_errors_text,
    is_fragment_request,
    render_htmx,
    safe_next,
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
    create_service = staticmethod(services.create_programme)
    update_service = staticmethod(services.update_programme)


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


# --- audits --------------------------------------------------------------------------------------


class AuditListView(ObjectListView):
    model = Audit
    select_related = ("lead_auditor__user", "programme")
    filterset_class = AuditFilterSet
    template_name = "audits/audit_list.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Audit", "title", "title"),
        ("Planned", "planned_start", "planned_start"),
        ("Lead auditor", "lead_auditor", ""),
        ("Priority", "priority", "priority"),
        ("Open NCs", "open_ncs", "open_ncs"),
        ("Status", "status", "status"),
    ]
    default_ordering = "planned_start"
    add_url_name = "audits:audit_add"

    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .annotate(
                open_ncs=Count(
                    "findings", filter=Q(findings__status=FindingStatus.OPEN, findings__kind__in=NC_RESULTS)
                )
            )
        )


class AuditView(ObjectView):
    model = Audit
    select_related = ("programme", "lead_auditor__user", "follow_up_of", "created_by")
    prefetch_related = ("processes", "criteria", "sites", "team__user", "auditees")
    template_name = "audits/audit_detail.html"
    workflow = AUDIT_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        a = self.object
        items = list(a.items.select_related("clause", "process").prefetch_related("findings"))
        findings = list(a.findings.select_related("clause", "process", "nc_type", "verified_in"))
        editable = a.status in (AuditStatus.PLANNED, AuditStatus.PREPARED, AuditStatus.IN_PROGRESS)
        follow = []
        if a.follow_up_of_id:
            follow = list(
                Finding.objects.filter(
                    organization=a.organization, audit_id=a.follow_up_of_id, kind__in=NC_RESULTS
                ).select_related("nc_type", "verified_in")
            )
        context.update(
            {
                "items": items,
                "answered": sum(1 for i in items if i.result),
                "findings": findings,
                "open_findings": [
                    f for f in findings if f.is_nonconformity and f.status == FindingStatus.OPEN
                ],
                "warnings": queries.audit_impartiality(a),
                "editable": editable and context["can_change"],
                "result_choices": Result.choices,
                "use_template_form": UseTemplateForm(organization=a.organization),
                "save_template_form": SaveTemplateForm(initial={"name": f"Checklist of {a.title}"}),
                "follow_findings": follow,
                "verify_form": VerifyFindingForm(organization=a.organization, initial={"audit": a.pk}),
            }
        )
        return context


class AuditEditView(ObjectEditView):
    model = Audit
    form_class = AuditForm
    create_service = staticmethod(services.create_audit)
    update_service = staticmethod(services.update_audit)


class AuditDeleteView(ObjectDeleteView):
    model = Audit
    delete_service = staticmethod(services.delete_audit)
    success_url_name = "audits:audit_list"


class AuditTransitionView(ObjectTransitionView):
    model = Audit
    transition_service = staticmethod(services.transition_audit)


class AuditChecklistView(ObjectActionView):
    """Add generated questions (or a template's) to the checklist, from the audit page."""

    model = Audit
    form_class = UseTemplateForm
    inline = True
    service = staticmethod(services.generate_checklist)
    message = _("%(result)s questions added to the checklist.")


class AuditSaveTemplateView(ObjectActionView):
    model = Audit
    form_class = SaveTemplateForm
    inline = True
    service = staticmethod(services.save_as_template)
    message = _("Saved the checklist as template “%(result)s”.")


class AuditSendPlanView(ObjectActionView):
    model = Audit
    service = staticmethod(services.send_audit_plan)

    def get_message(self, obj: Audit, result: list[str]) -> str:
        return _("Audit plan sent to %(recipients)s.") % {"recipients": ", ".join(result)}


class AuditReportView(TenantObjectMixin, View):
    model = Audit

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        audit = self.get_object()
        if request.GET.get("format") == "html":
            return HttpResponse(reports.report_html(audit))
        response = HttpResponse(reports.report_pdf(audit), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{audit.reference}-report.pdf"'
        return response


# --- checklist items -----------------------------------------------------------------------------


class ChecklistItemView(ObjectView):
    model = ChecklistItem
    select_related = ("audit", "clause", "process")
    template_name = "audits/checklistitem_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["item_findings"] = list(self.object.findings.all())
        return context


class ChecklistItemEditView(ObjectEditView):
    model = ChecklistItem
    form_class = ChecklistItemForm
    create_service = staticmethod(services.create_checklist_item)
    update_service = staticmethod(services.update_checklist_item)

    def success_url(self, obj: Any) -> str:
        return obj.audit.get_absolute_url() + f"#item-{obj.pk}"


class ChecklistItemDeleteView(ObjectDeleteView):
    model = ChecklistItem
    delete_service = staticmethod(services.delete_checklist_item)
    success_url_name = "audits:audit_list"


class ChecklistResultView(ObjectActionView):
    """Record one question's result from the audit page (htmx swaps the row)."""

    model = ChecklistItem
    select_related = ("audit", "clause", "process")
    form_class = ResultForm
    service = staticmethod(services.update_checklist_item)
    message = ""

    def service_kwargs(self, obj: ChecklistItem, data: dict[str, Any]) -> dict[str, Any]:
        return {"data": data}

    def record_url(self, obj: ChecklistItem) -> str:
        return f"{obj.audit.get_absolute_url()}#item-{obj.pk}"

    def success_url(self, obj: ChecklistItem, result: Any) -> str:
        return safe_next(self.request, self.record_url(obj))

    def row(self, obj: ChecklistItem, status: int = 200) -> HttpResponse:
        item = self.get_queryset().prefetch_related("findings").get(pk=obj.pk)
        context = {"item": item, "editable": True, "result_choices": Result.choices}
        return render(self.request, "audits/partials/_item_row.html", context, status=status)

    def render_form(self, obj: ChecklistItem, form: Any, status: int = 200) -> HttpResponse:
        if not is_fragment_request(self.request):
            return super().render_form(obj, form, status)
        if form.errors:
            messages.error(self.request, form_errors_text(form))
        return self.row(obj, status)

    def done(self, obj: ChecklistItem, result: Any) -> HttpResponse:
        return self.row(obj) if is_fragment_request(self.request) else super().done(obj, result)


# --- findings ------------------------------------------------------------------------------------


class FindingListView(ObjectListView):
    model = Finding
    select_related = ("audit", "process", "clause")
    filterset_class = FindingFilterSet
    title = "Audit findings"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Kind", "kind", "kind"),
        ("Audit", "audit", "audit__reference"),
        ("Process", "process", ""),
        ("Clause", "clause__number", ""),
        ("Status", "status", "status"),
    ]
    add_url_name = "audits:finding_add"


class FindingView(ObjectView):
    model = Finding
    select_related = ("audit", "item", "clause", "process", "nc_type", "verified_in")
    template_name = "audits/finding_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        f = self.object
        context["verify_form"] = VerifyFindingForm(organization=f.organization)
        context["verify_form"].fields["audit"].queryset = Audit.objects.filter(
            organization=f.organization,
            status__in=(AuditStatus.PREPARED, AuditStatus.IN_PROGRESS, AuditStatus.REPORTED),
        ).exclude(pk=f.audit_id)
        context["can_verify"] = (
            f.is_nonconformity
            and f.status == FindingStatus.OPEN
            and can(self.request.user, f.organization, "change", f)
        )
        return context


class FindingEditView(ObjectEditView):
    model = Finding
    form_class = FindingForm
    create_service = staticmethod(services.create_finding)
    update_service = staticmethod(services.update_finding)


class FindingDeleteView(ObjectDeleteView):
    model = Finding
    delete_service = staticmethod(services.delete_finding)
    success_url_name = "audits:finding_list"


class FindingVerifyView(ObjectActionView):
    """A follow-up audit verifies the closure, from the finding's or the follow-up audit's page."""

    model = Finding
    form_class = VerifyFindingForm
    inline = True
    service = staticmethod(services.verify_finding)

    def get_message(self, obj: Finding, result: Any) -> str:
        return _("Closure of %(reference)s verified.") % {"reference": obj.reference}


# --- templates -----------------------------------------------------------------------------------


class TemplateListView(ObjectListView):
    model = ChecklistTemplate
    title = "Checklist templates"
    columns = [("Template", "name", "name"), ("Description", "description", "")]
    default_ordering = "name"
    add_url_name = "audits:template_add"


class TemplateView(ObjectView):
    model = ChecklistTemplate
    template_name = "audits/template_detail.html"


class TemplateEditView(ObjectEditView):
    model = ChecklistTemplate
    form_class = TemplateForm
    create_service = staticmethod(services.create_template)
    update_service = staticmethod(services.update_template)


class TemplateDeleteView(ObjectDeleteView):
    model = ChecklistTemplate
    delete_service = staticmethod(services.delete_template)
    success_url_name = "audits:template_list"


# --- calendar ------------------------------------------------------------------------------------


class CalendarView(OrganizationRequiredMixin, View):
    """The member's subscription address for their calendar app."""

    def get(self, request: HttpRequest) -> HttpResponse:
        sub = CalendarSubscription.objects.filter(organization=self.organization, user=request.user).first()
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
