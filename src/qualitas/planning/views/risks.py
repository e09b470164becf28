"""The register of risks and opportunities, its reviews, treatment actions and the risk matrix."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualitas.actions.queries import actions_about
from qualitas.core import cache
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectTransitionView,
    ObjectView,
    SingletonEditView,
)
from qualitas.planning import exports, queries, services
from qualitas.planning.charts import heatmap_for
from qualitas.planning.filters import (
    RiskFilterSet,
)
from qualitas.planning.forms import (
    PlanActionForm,
    RiskForm,
    RiskReviewForm,
    SettingsForm,
)
from qualitas.planning.models import (
    Objective,
    PlanningSettings,
    Risk,
)
from qualitas.planning.views.common import RegisterListView
from qualitas.planning.workflow import RISK_WORKFLOW

# --- risks and opportunities ---------------------------------------------------------------------


class RiskListView(RegisterListView):
    model = Risk
    register = "risks"
    export = exports.RISKS
    select_related = ("owner", "process")
    filterset_class = RiskFilterSet
    template_name = "planning/risk_list.html"
    partial_template_name = "planning/partials/_risk_table.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Process", "process", "process"),
        ("Inherent", "inherent_score", "inherent_score"),
        ("Residual", "residual_score", "residual_score"),
        ("Treatment", "treatment", "treatment"),
        ("Owner", "owner", "owner__username"),
        ("Review", "review_date", "review_date"),
        ("Status", "status", "status"),
    ]
    default_ordering = "reference"
    add_url_name = "planning:risk_add"

    def extra_context(self) -> dict[str, Any]:
        org = self.organization
        size = services.get_settings(org).matrix_size
        open_qs = queries.open_risks(self.get_queryset())
        # The heat map counts every open record of the organization (not the filtered page): a
        # whole-register aggregate, kept while the organization's data is unchanged (core/cache.py).
        counts = cache.for_organization(org, "planning.risk-heat", lambda: queries.heat_counts(open_qs))
        return {
            **super().extra_context(),
            "heatmap": heatmap_for(open_qs, size, base_url=reverse("planning:risk_list"), counts=counts),
            "matrix_size": size,
            "can_settings": can(self.request.user, self.organization, "change", PlanningSettings),
        }


class RiskView(ObjectView):
    model = Risk
    select_related = ("owner", "process", "context_issue", "interested_party", "accepted_by", "created_by")
    template_name = "planning/risk_detail.html"
    workflow = RISK_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["plan_actions"] = list(actions_about(self.object))
        context["matrix_size"] = services.get_settings(self.organization).matrix_size
        context["review_form"] = RiskReviewForm()
        context["action_form"] = PlanActionForm(
            organization=self.organization, initial={"owner": self.object.owner_id}
        )
        context["can_add_action"] = can(self.request.user, self.organization, "change", self.object)
        return context


class RiskEditView(ObjectEditView):
    model = Risk
    form_class = RiskForm
    create_service = staticmethod(services.create_risk)
    update_service = staticmethod(services.update_risk)


class RiskDeleteView(ObjectDeleteView):
    model = Risk
    success_url_name = "planning:risk_list"


class RiskTransitionView(ObjectTransitionView):
    model = Risk
    transition_service = staticmethod(services.transition_risk)


class RiskReviewView(ObjectActionView):
    model = Risk
    form_class = RiskReviewForm
    service = staticmethod(services.record_risk_review)
    title = _("Record a review")
    message = _("Review recorded.")


class PlanActionAddView(ObjectActionView):
    """A treatment action of a risk, or a step of an objective's plan."""

    form_class = PlanActionForm
    service = staticmethod(services.add_plan_action)
    message = _("Added %(result)s.")

    def get_initial(self, obj: Any) -> dict[str, Any]:
        return {"owner": obj.owner_id}

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"data": data}


class RiskActionAddView(PlanActionAddView):
    model = Risk
    title = _("Add a treatment action")


class ObjectiveActionAddView(PlanActionAddView):
    model = Objective
    title = _("Add a step to the plan")


class SettingsView(SingletonEditView):
    model = PlanningSettings
    form_class = SettingsForm
    save_service = staticmethod(services.update_settings)
    title = _("Risk matrix")
    message = _("Saved the risk matrix; levels recomputed.")
    success_url_name = "planning:risk_list"

    def get_instance(self) -> PlanningSettings:
        return services.get_settings(self.organization)
