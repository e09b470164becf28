"""Context issues, interested parties, the identity statements and the quality policy."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    SingletonEditView,
)
from qualitas.planning import exports, services
from qualitas.planning.choices import PolicyStatus
from qualitas.planning.filters import (
    ContextIssueFilterSet,
    InterestedPartyFilterSet,
)
from qualitas.planning.forms import (
    CommunicationForm,
    ContextIssueForm,
    IdentityForm,
    InterestedPartyForm,
    PolicyForm,
)
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    QualityPolicy,
)
from qualitas.planning.views.common import RegisterListView
from qualitas.planning.workflow import POLICY_WORKFLOW

# --- context, interested parties, identity, policy -----------------------------------------------


class ContextIssueListView(RegisterListView):
    model = ContextIssue
    register = "context"
    export = exports.CONTEXT
    filterset_class = ContextIssueFilterSet
    title = "Context: internal and external issues"
    template_name = "planning/register_list.html"
    columns = [
        ("Issue", "title", "title"),
        ("Internal/external", "issue_type", "issue_type"),
        ("Category", "category", "category"),
        ("Climate", "climate_relevant", "climate_relevant"),
        ("Review", "review_date", "review_date"),
    ]
    default_ordering = "issue_type"
    add_url_name = "planning:contextissue_add"


class ContextIssueView(ObjectView):
    model = ContextIssue
    template_name = "planning/contextissue_detail.html"


class ContextIssueEditView(ObjectEditView):
    model = ContextIssue
    form_class = ContextIssueForm


class ContextIssueDeleteView(ObjectDeleteView):
    model = ContextIssue
    delete_service = staticmethod(services.delete_context_issue)
    success_url_name = "planning:contextissue_list"


class InterestedPartyListView(RegisterListView):
    model = InterestedParty
    register = "parties"
    export = exports.PARTIES
    filterset_class = InterestedPartyFilterSet
    template_name = "planning/register_list.html"
    columns = [
        ("Party", "name", "name"),
        ("Category", "category", "category"),
        ("Internal", "is_internal", "is_internal"),
        ("Climate-related", "climate_related", ""),
        ("Review", "review_date", "review_date"),
    ]
    default_ordering = "category"
    add_url_name = "planning:interestedparty_add"


class InterestedPartyView(ObjectView):
    model = InterestedParty
    template_name = "planning/interestedparty_detail.html"


class InterestedPartyEditView(ObjectEditView):
    model = InterestedParty
    form_class = InterestedPartyForm


class InterestedPartyDeleteView(ObjectDeleteView):
    model = InterestedParty
    delete_service = staticmethod(services.delete_party)
    success_url_name = "planning:interestedparty_list"


class IdentityView(OrganizationRequiredMixin, View):
    """Mission, vision, values, and the quality policy in force with its history."""

    def get(self, request: HttpRequest) -> HttpResponse:
        org = self.organization
        identity = Identity.objects.visible_to(request.user, org).first()
        policies = list(QualityPolicy.objects.visible_to(request.user, org).select_related("approved_by"))
        current = next((p for p in policies if p.status == PolicyStatus.APPROVED), None)
        return render(
            request,
            "planning/identity.html",
            {
                "title": "Identity and quality policy",
                "identity": identity,
                "policies": policies,
                "current": current,
                "can_edit": can(request.user, org, "change", Identity),
                "can_add_policy": can(request.user, org, "add", QualityPolicy),
            },
        )


class IdentityEditView(SingletonEditView):
    model = Identity
    form_class = IdentityForm
    save_service = staticmethod(services.save_identity)
    title = _("Mission, vision and values")
    message = _("Saved mission, vision and values.")
    success_url_name = "planning:identity"

    def get_instance(self) -> Identity:
        return services.get_identity(self.organization)


class PolicyView(ObjectView):
    model = QualityPolicy
    select_related = ("approved_by", "created_by")
    template_name = "planning/policy_detail.html"
    workflow = POLICY_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["communications"] = list(self.object.communications.all())
        context["objectives"] = list(self.object.objectives.select_related("owner"))
        context["can_communicate"] = self.object.status == PolicyStatus.APPROVED and can(
            self.request.user, self.organization, "add", QualityPolicy
        )
        context["can_change"] = context["can_change"] and self.object.status == PolicyStatus.DRAFT
        context["can_delete"] = context["can_delete"] and self.object.status == PolicyStatus.DRAFT
        from django.utils import timezone

        context["communication_form"] = CommunicationForm(
            organization=self.organization, initial={"date": timezone.localdate()}
        )
        return context


class PolicyEditView(ObjectEditView):
    model = QualityPolicy
    form_class = PolicyForm
    create_service = staticmethod(services.create_policy)
    update_service = staticmethod(services.update_policy)


class PolicyDeleteView(ObjectDeleteView):
    model = QualityPolicy
    delete_service = staticmethod(services.delete_policy)
    success_url_name = "planning:identity"


class PolicyTransitionView(ObjectTransitionView):
    model = QualityPolicy
    transition_service = staticmethod(services.transition_policy)


class CommunicationAddView(ObjectActionView):
    model = QualityPolicy
    form_class = CommunicationForm
    service = staticmethod(services.add_communication)
    permission = "add"
    title = _("Record how the policy was communicated")
    message = _("Communication recorded.")

    def service_kwargs(self, obj: QualityPolicy, data: dict[str, Any]) -> dict[str, Any]:
        return {"data": data}
