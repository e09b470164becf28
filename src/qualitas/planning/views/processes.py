"""Processes, their map and the interactions between them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    safe_next,
)
from qualitas.planning import queries, services
from qualitas.planning.charts import add_sparklines
from qualitas.planning.choices import ProcessType
from qualitas.planning.filters import (
    ProcessFilterSet,
)
from qualitas.planning.forms import (
    InteractionForm,
    ProcessForm,
)
from qualitas.planning.models import (
    Kpi,
    Objective,
    Process,
    ProcessInteraction,
    Risk,
)
from qualitas.planning.processmap import process_map
from qualitas.planning.views.common import ChildCreateView, ExportMixin, first_rows

# --- processes -----------------------------------------------------------------------------------


class ProcessListView(ExportMixin, ObjectListView):
    model = Process
    register = "processes"
    select_related = ("owner",)
    filterset_class = ProcessFilterSet
    template_name = "planning/process_list.html"
    columns = [
        ("Code", "code", "code"),
        ("Name", "name", "name"),
        ("Type", "process_type", "process_type"),
        ("Owner", "owner", "owner__username"),
        ("Clauses", "clauses", ""),
        ("Active", "is_active", ""),
    ]
    default_ordering = "code"
    add_url_name = "planning:process_add"


class ProcessView(ObjectView):
    model = Process
    select_related = ("owner", "created_by")
    template_name = "planning/process_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        org = self.organization
        context["feeds"] = list(
            ProcessInteraction.objects.filter(organization=org, source=p).select_related("target")
        )
        context["fed_by"] = list(
            ProcessInteraction.objects.filter(organization=org, target=p).select_related("source")
        )
        context["kpis"] = add_sparklines(
            queries.kpi_rows(Kpi.objects.filter(organization=org, process=p), history=12)
        )
        # A process may carry thousands of risks: the page lists the first ones and links to the
        # register filtered on the process for the rest (the count is asked only when there are more).
        context["risks"], context["risk_count"] = first_rows(
            Risk.objects.filter(organization=org, process=p).select_related("owner").order_by("reference")
        )
        context["objectives"], context["objective_count"] = first_rows(
            Objective.objects.filter(organization=org, process=p)
            .select_related("owner")
            .order_by("reference")
        )
        context["can_link"] = can(self.request.user, org, "add", ProcessInteraction)
        context["interaction_form"] = InteractionForm(organization=org, source=p)
        return context


class ProcessEditView(ObjectEditView):
    model = Process
    form_class = ProcessForm
    create_service = staticmethod(services.create_process)
    update_service = staticmethod(services.update_process)


class ProcessDeleteView(ObjectDeleteView):
    model = Process
    delete_service = staticmethod(services.delete_process)
    success_url_name = "planning:process_list"


class ProcessMapView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        org = self.organization
        processes = list(
            Process.objects.visible_to(request.user, org).select_related("owner").order_by("code")
        )
        interactions = list(
            ProcessInteraction.objects.visible_to(request.user, org).select_related("source", "target")
        )
        kpis = queries.kpi_rows(Kpi.objects.visible_to(request.user, org).filter(is_active=True), history=0)
        queries.process_kpi_status(processes, kpis)
        status = {p.pk: p.kpi_status for p in processes}  # type: ignore[attr-defined]
        return render(
            request,
            "planning/process_map.html",
            {
                "title": "Process map",
                "map": process_map(processes, interactions, status=status),
                "processes": processes,
                "interactions": interactions,
                "types": ProcessType,
                "can_add": can(request.user, org, "add", Process),
            },
        )


class InteractionAddView(ChildCreateView):
    model = Process
    form_class = InteractionForm
    permission_action = "add"
    permission_model = ProcessInteraction
    title = "Add an interaction"

    def form_kwargs(self, parent: Any) -> dict[str, Any]:
        return {"source": parent, "organization": self.organization}

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        return InteractionForm(data, **self.form_kwargs(parent))

    def perform(self, parent: Any, form: Any) -> str:
        i = services.add_interaction(
            parent,
            actor=self.request.user,
            target=form.cleaned_data["target"],
            description=form.cleaned_data["description"],
        )
        return f"Added {i}."


class InteractionDeleteView(TenantObjectMixin, View):
    model = ProcessInteraction

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.check_allowed("delete", obj)
        url = obj.get_absolute_url()
        services.delete_interaction(obj, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, f"Removed {obj}.")
        return redirect(safe_next(request, url))
