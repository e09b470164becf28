"""Processes, their map and the interactions between them."""

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
    ObjectView,
    OrganizationRequiredMixin,
)
from qualitas.planning import exports, queries, services
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
from qualitas.planning.views.common import RegisterListView, RemoveView, first_rows

# --- processes -----------------------------------------------------------------------------------


class ProcessListView(RegisterListView):
    model = Process
    register = "processes"
    export = exports.PROCESSES
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


class InteractionAddView(ObjectActionView):
    model = Process
    form_class = InteractionForm
    service = staticmethod(services.add_interaction)
    permission = "add"
    title = _("Add an interaction")
    message = _("Added %(result)s.")

    def permission_target(self, obj: Process) -> Any:
        return ProcessInteraction

    def form_kwargs(self, obj: Process) -> dict[str, Any]:
        return {**super().form_kwargs(obj), "source": obj}


class InteractionDeleteView(RemoveView):
    model = ProcessInteraction
    message = _("Removed %(object)s.")
