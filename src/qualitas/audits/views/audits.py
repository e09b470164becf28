"""Pages of audits and their checklist."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.audits import queries, reports, services
from qualitas.audits.choices import NC_RESULTS, AuditStatus, FindingStatus, Result
from qualitas.audits.filters import AuditFilterSet
from qualitas.audits.forms import (
    AuditForm,
    ChecklistItemForm,
    ResultForm,
    SaveTemplateForm,
    UseTemplateForm,
    VerifyFindingForm,
)
from qualitas.audits.models import (
    Audit,
    ChecklistItem,
    Finding,
)
from qualitas.audits.workflow import AUDIT_WORKFLOW
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    TenantObjectMixin,
    form_errors_text,
    is_fragment_request,
    safe_next,
)

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
