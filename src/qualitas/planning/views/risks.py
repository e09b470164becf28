"""The register of risks and opportunities, its reviews, treatment actions and the risk matrix."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.actions.queries import actions_about
from qualitas.core import cache
from qualitas.core.exceptions import ConflictError
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    apply_validation_error,
)
from qualitas.planning import queries, services
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
from qualitas.planning.views.common import ChildCreateView, ExportMixin
from qualitas.planning.workflow import RISK_WORKFLOW

# --- risks and opportunities ---------------------------------------------------------------------


class RiskListView(ExportMixin, ObjectListView):
    model = Risk
    register = "risks"
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
    delete_service = staticmethod(services.delete_risk)
    success_url_name = "planning:risk_list"


class RiskTransitionView(ObjectTransitionView):
    model = Risk
    transition_service = staticmethod(services.transition_risk)


class RiskReviewView(ChildCreateView):
    model = Risk
    form_class = RiskReviewForm
    title = "Record a review"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        return RiskReviewForm(data)

    def perform(self, parent: Any, form: Any) -> str:
        services.record_risk_review(
            parent,
            actor=self.request.user,
            next_review=form.cleaned_data["next_review"],
            effectiveness=form.cleaned_data["effectiveness"],
            note=form.cleaned_data["note"],
        )
        return "Review recorded."


class PlanActionAddView(ChildCreateView):
    form_class = PlanActionForm
    title = "Add an action"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        return PlanActionForm(data, organization=self.organization, initial={"owner": parent.owner_id})

    def perform(self, parent: Any, form: Any) -> str:
        action = services.add_plan_action(parent, actor=self.request.user, data=form.cleaned_data)
        return f"Added {action}."


class RiskActionAddView(PlanActionAddView):
    model = Risk
    title = "Add a treatment action"


class ObjectiveActionAddView(PlanActionAddView):
    model = Objective
    title = "Add a step to the plan"


class SettingsView(OrganizationRequiredMixin, View):
    def _check(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        if not can(self.request.user, self.organization, "change", PlanningSettings):
            raise NotAllowed("Only an administrator or the quality manager changes the risk matrix.")

    def _render(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "core/object_edit.html",
            {"form": form, "title": "Risk matrix", "cancel_url": reverse("planning:risk_list")},
            status=status,
        )

    def _form(self, data: Any = None) -> SettingsForm:
        current = services.get_settings(self.organization)
        return SettingsForm(
            data,
            instance=current,
            organization=self.organization,
            initial={"matrix_size": current.matrix_size},
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check()
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, 400)
        try:
            services.update_settings(
                self.organization,
                actor=request.user,
                data=form.service_data(),
                expected_version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
            return self._render(form, 409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(form, 400)
        messages.success(request, "Saved the risk matrix; levels recomputed.")
        return redirect("planning:risk_list")
