"""Pages of findings and checklist templates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from qualitas.audits import services
from qualitas.audits.choices import AuditStatus, FindingStatus
from qualitas.audits.filters import FindingFilterSet
from qualitas.audits.forms import (
    FindingForm,
    TemplateForm,
    VerifyFindingForm,
)
from qualitas.audits.models import (
    Audit,
    ChecklistTemplate,
    Finding,
)
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
)

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


class TemplateDeleteView(ObjectDeleteView):
    model = ChecklistTemplate
    success_url_name = "audits:template_list"
