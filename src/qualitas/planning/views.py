from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.actions.queries import actions_about
from qualitas.core import cache, charts
from qualitas.core.exceptions import ConflictError
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    apply_validation_error,
    safe_next,
)
from qualitas.planning import queries, services
from qualitas.planning.choices import KpiStatus, PolicyStatus, ProcessType, RiskKind, RiskLevel
from qualitas.planning.filters import (
    ContextIssueFilterSet,
    InterestedPartyFilterSet,
    KpiFilterSet,
    ObjectiveFilterSet,
    ProcessFilterSet,
    RiskFilterSet,
)
from qualitas.planning.forms import (
    CommunicationForm,
    ContextIssueForm,
    IdentityForm,
    ImportForm,
    InteractionForm,
    InterestedPartyForm,
    KpiForm,
    MeasurementForm,
    ObjectiveForm,
    PlanActionForm,
    PolicyForm,
    ProcessForm,
    RiskForm,
    RiskReviewForm,
    SettingsForm,
)
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    PlanningSettings,
    Process,
    ProcessInteraction,
    QualityPolicy,
    Risk,
)
from qualitas.planning.processmap import process_map
from qualitas.planning.tabular import REGISTERS, export_response
from qualitas.planning.workflow import POLICY_WORKFLOW, RISK_WORKFLOW

STATUS_COLOR = {
    "on_target": charts.OK,
    "at_risk": charts.WARN,
    "off_target": charts.BAD,
    "no_data": charts.MUTED,
}


class ChildCreateView(TenantObjectMixin, View):
    """A form on a parent record's page that creates something about it (an interaction, an action,
    a measurement...). GET shows the form alone; POST calls one service and returns to the parent."""

    form_class: ClassVar[Any]
    permission_action: ClassVar[str] = "change"
    permission_model: ClassVar[Any] = None
    title: ClassVar[str] = ""
    template_name: ClassVar[str] = "planning/child_form.html"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        raise NotImplementedError

    def check(self, parent: Any) -> None:
        self.check_allowed(self.permission_action, self.permission_model or parent)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = self.get_object()
        self.check(parent)
        return self.render_form(parent, self.make_form(parent))

    def render_form(self, parent: Any, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "parent": parent, "title": self.title, "cancel_url": parent.get_absolute_url()},
            status=status,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        parent = self.get_object()
        self.check(parent)
        form = self.make_form(parent, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(parent, form, status=400)
        try:
            message = self.perform(parent, form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(parent, form, status=400)
        messages.success(request, message)
        return redirect(self.success_url(parent))

    def perform(self, parent: Any, form: Any) -> str:
        raise NotImplementedError

    def success_url(self, parent: Any) -> str:
        return str(parent.get_absolute_url())


class ExportMixin:
    """?export=csv|xlsx on a list page returns the filtered register as a file."""

    register: ClassVar[str] = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx"):
            _model, headers, row, related = REGISTERS[self.register]
            qs = self.get_queryset()  # type: ignore[attr-defined]
            if self.filterset_class is not None:  # type: ignore[attr-defined]
                fs = self.filterset_class(request.GET, queryset=qs, request=request)  # type: ignore[attr-defined]
                qs = fs.qs if fs.is_valid() else qs
            if related:
                qs = qs.select_related(*related)
            return export_response(self.register, headers, (row(o) for o in qs.iterator()), fmt)
        return super().get(request, *args, **kwargs)  # type: ignore[misc]

    def extra_context(self) -> dict[str, Any]:
        from qualitas.planning.tabular import IMPORT_COLUMNS

        context = super().extra_context()  # type: ignore[misc]
        if self.register in IMPORT_COLUMNS and can(
            self.request.user,  # type: ignore[attr-defined]
            self.organization,  # type: ignore[attr-defined]
            "add",
            self.model,  # type: ignore[attr-defined]
        ):
            context["import_url"] = reverse("planning:register_import", args=[self.register])
        return context


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


RELATED_ROWS = 20


def first_rows(qs: Any, limit: int | None = None) -> tuple[list[Any], int]:
    """The first ``limit`` rows of ``qs`` and how many there are in all (one query, two when more)."""
    limit = limit or RELATED_ROWS
    rows = list(qs[: limit + 1])
    if len(rows) <= limit:
        return rows, len(rows)
    return rows[:limit], qs.count()


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
        context["kpis"] = queries.kpi_rows(Kpi.objects.filter(organization=org, process=p), history=12)
        for k in context["kpis"]:
            k.spark = charts.sparkline([v for _p, v in k.recent], color=STATUS_COLOR[k.status], title=k.name)
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


# --- context, interested parties, identity, policy -----------------------------------------------


class ContextIssueListView(ExportMixin, ObjectListView):
    model = ContextIssue
    register = "context"
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
    create_service = staticmethod(services.create_context_issue)
    update_service = staticmethod(services.update_context_issue)


class ContextIssueDeleteView(ObjectDeleteView):
    model = ContextIssue
    delete_service = staticmethod(services.delete_context_issue)
    success_url_name = "planning:contextissue_list"


class InterestedPartyListView(ExportMixin, ObjectListView):
    model = InterestedParty
    register = "parties"
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
    create_service = staticmethod(services.create_party)
    update_service = staticmethod(services.update_party)


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


class IdentityEditView(OrganizationRequiredMixin, View):
    def _form(self, data: Any = None) -> IdentityForm:
        return IdentityForm(
            data, instance=services.get_identity(self.organization), organization=self.organization
        )

    def _render(self, form: IdentityForm, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "core/object_edit.html",
            {"form": form, "title": "Mission, vision and values", "cancel_url": reverse("planning:identity")},
            status=status,
        )

    def _check(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        if not can(self.request.user, self.organization, "change", Identity):
            raise NotAllowed("Your role does not allow you to change the identity statements.")

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        self._check()
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, 400)
        try:
            services.save_identity(
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
        messages.success(request, "Saved mission, vision and values.")
        return redirect("planning:identity")


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


class CommunicationAddView(ChildCreateView):
    model = QualityPolicy
    form_class = CommunicationForm
    permission_action = "add"
    title = "Record how the policy was communicated"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        return CommunicationForm(data, organization=self.organization)

    def perform(self, parent: Any, form: Any) -> str:
        services.add_communication(parent, actor=self.request.user, data=form.cleaned_data)
        return "Communication recorded."


# --- risks and opportunities ---------------------------------------------------------------------


def heatmap_for(qs: Any, size: int, *, residual: bool = False, base_url: str = "", counts: Any = None) -> Any:
    if counts is None:
        counts = queries.heat_counts(qs, residual=residual)
    from qualitas.planning.scoring import risk_level

    tone = {RiskLevel.LOW: 0.9, RiskLevel.MEDIUM: 0.6, RiskLevel.HIGH: 0.3, RiskLevel.CRITICAL: 0.0}
    rows = list(range(size, 0, -1))
    cols = list(range(1, size + 1))
    cells = [[tone[risk_level(lk * im, size)] for im in cols] for lk in rows]
    labels = [[str(counts.get((lk, im), "")) for im in cols] for lk in rows]
    links = [
        [
            f"{base_url}?likelihood={lk}&impact={im}" if counts.get((lk, im)) and not residual else ""
            for im in cols
        ]
        for lk in rows
    ]
    which = "residual" if residual else "inherent"
    return charts.heatmap(
        [f"Likelihood {lk}" for lk in rows],
        [f"Impact {im}" for im in cols],
        cells,
        title=f"Open risks and opportunities by {which} likelihood and impact",
        desc=f"{sum(counts.values())} records on a {size}×{size} matrix; each cell shows how "
        "many, coloured by level from low (green) to critical (red).",
        labels=labels,
        links=links,
        scale=((0.0, charts.BAD), (0.3, "#e07a1f"), (0.6, charts.WARN), (0.9, charts.OK)),
    )


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


# --- objectives ----------------------------------------------------------------------------------


class ObjectiveListView(ExportMixin, ObjectListView):
    model = Objective
    register = "objectives"
    select_related = ("owner", "process")
    filterset_class = ObjectiveFilterSet
    template_name = "planning/register_list.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Objective", "title", "title"),
        ("Target", "target", ""),
        ("Owner", "owner", "owner__username"),
        ("Due", "due_date", "due_date"),
        ("Status", "status", "status"),
    ]
    default_ordering = "reference"
    add_url_name = "planning:objective_add"


class ObjectiveView(ObjectView):
    model = Objective
    select_related = ("owner", "process", "policy", "created_by")
    template_name = "planning/objective_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kpis = queries.kpi_rows(Kpi.objects.filter(organization=self.organization, objective=self.object))
        for k in kpis:
            k.spark = charts.sparkline([v for _p, v in k.recent], color=STATUS_COLOR[k.status], title=k.name)
        context["kpis"] = kpis
        context["plan_actions"] = list(actions_about(self.object))
        context["action_form"] = PlanActionForm(
            organization=self.organization, initial={"owner": self.object.owner_id}
        )
        context["can_add_action"] = can(self.request.user, self.organization, "change", self.object)
        return context


class ObjectiveEditView(ObjectEditView):
    model = Objective
    form_class = ObjectiveForm
    create_service = staticmethod(services.create_objective)
    update_service = staticmethod(services.update_objective)


class ObjectiveDeleteView(ObjectDeleteView):
    model = Objective
    delete_service = staticmethod(services.delete_objective)
    success_url_name = "planning:objective_list"


# --- KPIs ----------------------------------------------------------------------------------------


class KpiListView(ExportMixin, ObjectListView):
    model = Kpi
    register = "kpis"
    select_related = ("owner", "process")
    filterset_class = KpiFilterSet
    template_name = "planning/kpi_list.html"
    partial_template_name = "planning/partials/_kpi_table.html"
    columns = [
        ("Code", "code", "code"),
        ("KPI", "name", "name"),
        ("Latest", "", ""),
        ("Target", "target", ""),
        ("Status", "", ""),
        ("Frequency", "frequency", "frequency"),
        ("Owner", "owner", "owner__username"),
        ("Process", "process", "process"),
    ]
    default_ordering = "code"
    add_url_name = "planning:kpi_add"

    def get_queryset(self) -> Any:
        return queries.with_latest(super().get_queryset())

    def extra_context(self) -> dict[str, Any]:
        return {**super().extra_context(), "measurement_import_url": reverse("planning:measurement_import")}


class KpiView(ObjectView):
    model = Kpi
    select_related = ("owner", "process", "objective", "created_by")
    template_name = "planning/kpi_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from django.utils import timezone

        context = super().get_context_data(**kwargs)
        kpi = self.object
        series = list(
            Measurement.objects.filter(organization=self.organization, kpi=kpi).order_by("-period")[:60]
        )[::-1]
        context["measurements"] = series[::-1]
        latest = series[-1] if series else None
        context["latest"] = latest
        context["status"] = kpi.status_of(latest.value if latest else None)
        context["chart"] = kpi_chart(kpi, series)
        context["measurement_form"] = MeasurementForm(
            organization=self.organization, initial={"period": timezone.localdate().replace(day=1)}
        )
        context["can_measure"] = can(self.request.user, self.organization, "add", Measurement)
        context["can_delete_measurement"] = can(self.request.user, self.organization, "delete", Measurement)
        context["alerts"] = list(actions_about(kpi)[:10])
        return context


def kpi_chart(kpi: Kpi, series: list[Measurement]) -> Any:
    from qualitas.planning.choices import Direction

    values = [m.value for m in series]
    labels = [m.period.strftime("%Y-%m") for m in series]
    green_edge = kpi.warning if kpi.warning is not None else kpi.target
    lo = min([*values, kpi.target, green_edge, *([kpi.alarm] if kpi.alarm is not None else [])], default=0)
    hi = max([*values, kpi.target, green_edge, *([kpi.alarm] if kpi.alarm is not None else [])], default=1)
    pad = (hi - lo) * 0.15 or 1
    lo, hi = lo - pad, hi + pad
    higher = kpi.direction == Direction.HIGHER
    bands = []
    if higher:
        bands.append(charts.Band(green_edge, hi, charts.OK, "On target"))
        if kpi.alarm is not None:
            bands.append(charts.Band(kpi.alarm, green_edge, charts.WARN, "At risk"))
            bands.append(charts.Band(lo, kpi.alarm, charts.BAD, "Off target"))
        else:
            bands.append(charts.Band(lo, green_edge, charts.WARN, "At risk"))
    else:
        bands.append(charts.Band(lo, green_edge, charts.OK, "On target"))
        if kpi.alarm is not None:
            bands.append(charts.Band(green_edge, kpi.alarm, charts.WARN, "At risk"))
            bands.append(charts.Band(kpi.alarm, hi, charts.BAD, "Off target"))
        else:
            bands.append(charts.Band(green_edge, hi, charts.WARN, "At risk"))
    lines = [charts.HLine(kpi.target, f"target {kpi.target:g}{kpi.unit}", color=charts.OK)]
    if kpi.alarm is not None:
        lines.append(charts.HLine(kpi.alarm, f"alarm {kpi.alarm:g}", color=charts.BAD))
    highlight = [
        (i, f"{m.period:%Y-%m}: {m.value:g} off target")
        for i, m in enumerate(series)
        if kpi.status_of(m.value) == KpiStatus.OFF_TARGET
    ]
    return charts.line_chart(
        labels,
        [charts.Series(kpi.name, values)],
        title=f"{kpi.code} {kpi.name}",
        desc=f"{len(values)} values; {kpi.get_direction_display().lower()}; the green band is "
        "on target, amber at risk, red off target.",
        bands=bands,
        lines=lines,
        highlight=highlight,
        unit=kpi.unit if len(kpi.unit) <= 2 else "",
        y_min=lo,
        y_max=hi,
    )


class KpiEditView(ObjectEditView):
    model = Kpi
    form_class = KpiForm
    create_service = staticmethod(services.create_kpi)
    update_service = staticmethod(services.update_kpi)


class KpiDeleteView(ObjectDeleteView):
    model = Kpi
    delete_service = staticmethod(services.delete_kpi)
    success_url_name = "planning:kpi_list"


class MeasurementAddView(ChildCreateView):
    model = Kpi
    form_class = MeasurementForm
    permission_action = "add"
    permission_model = Measurement
    title = "Record a value"

    def make_form(self, parent: Any, data: Any = None, files: Any = None) -> Any:
        return MeasurementForm(data, organization=self.organization)

    def perform(self, parent: Any, form: Any) -> str:
        m = services.record_measurement(parent, actor=self.request.user, **form.cleaned_data)
        return f"Recorded {m.value:g}{parent.unit} for {m.period:%Y-%m}: {m.get_status_display().lower()}."


class MeasurementDeleteView(TenantObjectMixin, View):
    model = Measurement

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        self.check_allowed("delete", obj)
        url = obj.get_absolute_url()
        reason = request.POST.get("reason", "").strip()
        if not reason:
            messages.error(request, "Say why the value is deleted: recorded values are evidence.")
            return redirect(url)
        services.delete_measurement(obj, actor=request.user, reason=reason)
        messages.success(request, f"Deleted {obj}.")
        return redirect(url)


class MeasurementImportView(OrganizationRequiredMixin, View):
    template_name = "planning/measurement_import.html"

    def _check(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        if not can(self.request.user, self.organization, "add", Measurement):
            raise NotAllowed("Your role does not allow you to record KPI values.")

    def get(self, request: HttpRequest) -> HttpResponse:
        self._check()
        return render(request, self.template_name, {"form": ImportForm(), "title": "Import KPI values"})

    def post(self, request: HttpRequest) -> HttpResponse:
        from qualitas.planning.services import MeasurementErrors
        from qualitas.planning.tabular import import_measurements

        self._check()
        form = ImportForm(request.POST, request.FILES)
        row_errors: list[str] = []
        if form.is_valid():
            try:
                n = import_measurements(self.organization, form.cleaned_data["file"], actor=request.user)
            except MeasurementErrors as exc:
                row_errors = exc.message_dict["rows"]
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Imported {n} values.")
                return redirect("planning:kpi_list")
        return render(
            request,
            self.template_name,
            {"form": form, "title": "Import KPI values", "row_errors": row_errors},
            status=400,
        )


class RegisterImportView(OrganizationRequiredMixin, View):
    """CSV/XLSX import of a register: one record per row, all or nothing, errors by row number."""

    template_name = "planning/register_import.html"
    models: ClassVar[dict[str, Any]] = {
        "processes": Process,
        "risks": Risk,
        "context": ContextIssue,
        "parties": InterestedParty,
        "objectives": Objective,
        "kpis": Kpi,
    }
    back: ClassVar[dict[str, str]] = {
        "processes": "planning:process_list",
        "risks": "planning:risk_list",
        "context": "planning:contextissue_list",
        "parties": "planning:interestedparty_list",
        "objectives": "planning:objective_list",
        "kpis": "planning:kpi_list",
    }
    notes: ClassVar[dict[str, str]] = {
        "objectives": "Each objective gets the next reference number; a reference column in the file is "
        "ignored, so a file exported from this register adds copies rather than updating.",
        "kpis": "A KPI code must be new. Warning and alarm thresholds lie on the worse side of the "
        "target. Import the objectives first, then the KPIs that name them; values go in "
        "through the separate KPI value import.",
    }

    def _setup(self, register: str) -> Any:
        from django.http import Http404

        from qualitas.core.exceptions import NotAllowed
        from qualitas.planning.tabular import IMPORT_COLUMNS

        if register not in self.models:
            raise Http404("No such register.")
        if not can(self.request.user, self.organization, "add", self.models[register]):
            raise NotAllowed("Your role does not allow you to add these records.")
        title, required, optional = IMPORT_COLUMNS[register]
        return {
            "title": f"Import {title}",
            "required": required,
            "optional": optional,
            "back_url": reverse(self.back[register]),
            "note": self.notes.get(register, ""),
        }

    def get(self, request: HttpRequest, register: str) -> HttpResponse:
        return render(request, self.template_name, {**self._setup(register), "form": ImportForm()})

    def post(self, request: HttpRequest, register: str) -> HttpResponse:
        from qualitas.planning.tabular import RowErrors, import_register

        context = self._setup(register)
        form = ImportForm(request.POST, request.FILES)
        row_errors: list[str] = []
        if form.is_valid():
            try:
                n = import_register(
                    self.organization, register, form.cleaned_data["file"], actor=request.user
                )
            except RowErrors as exc:
                row_errors = exc.message_dict["rows"]
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"Imported {n} records.")
                return redirect(context["back_url"])
        return render(
            request, self.template_name, {**context, "form": form, "row_errors": row_errors}, status=400
        )


class MeasurementExportView(ExportMixin, ObjectListView):
    model = Measurement
    register = "measurements"
    select_related = ("kpi",)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        from qualitas.planning.filters import MeasurementFilterSet

        fmt = request.GET.get("export", "csv")
        qs = self.get_queryset()
        fs = MeasurementFilterSet(request.GET, queryset=qs, request=request)
        qs = (fs.qs if fs.is_valid() else qs).order_by("kpi__code", "period")
        _m, headers, row, _r = REGISTERS["measurements"]
        return export_response(
            "measurements", headers, (row(m) for m in qs.iterator()), "xlsx" if fmt == "xlsx" else "csv"
        )


# --- performance dashboard -----------------------------------------------------------------------


class DashboardView(OrganizationRequiredMixin, View):
    """Objectives and KPIs at a glance, risks by level, processes with their KPI status."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.template.loader import render_to_string

        org = self.organization
        # Every figure and table here covers the whole organization and reads the same for every
        # member (the records any member may see): hundreds of KPI rows with sparklines take a few
        # hundred milliseconds to read and render, so the body is rendered once per state of the
        # organization's data and per day (core/cache.py: any write makes a new key).
        body = cache.for_organization(
            org,
            "planning.dashboard",
            lambda: render_to_string(
                "planning/partials/_dashboard_body.html", dashboard_context(request.user, org)
            ),
        )
        return render(request, "planning/dashboard.html", {"title": "Performance", "body": body})


def dashboard_context(user: Any, org: Any) -> dict[str, Any]:
    kpis = queries.kpi_rows(Kpi.objects.visible_to(user, org).filter(is_active=True).order_by("code"))
    for k in kpis:
        k.spark = charts.sparkline(
            [v for _p, v in k.recent],
            color=STATUS_COLOR[k.status],
            title=f"{k.name}: last {len(k.recent)} values",
        )
    by_objective: dict[int, list[Kpi]] = {}
    for k in kpis:
        if k.objective_id:
            by_objective.setdefault(k.objective_id, []).append(k)
    objectives = list(
        queries.open_objectives(Objective.objects.visible_to(user, org))
        .select_related("owner")
        .order_by("due_date", "reference")
    )
    for o in objectives:
        o.kpi_list = by_objective.get(o.pk, [])  # type: ignore[attr-defined]
        o.kpi_status = queries.worst_status([k.status for k in o.kpi_list])  # type: ignore[attr-defined]
    processes = list(
        Process.objects.visible_to(user, org).filter(is_active=True).select_related("owner").order_by("code")
    )
    queries.process_kpi_status(processes, kpis)
    risks = Risk.objects.visible_to(user, org)
    by_level = queries.risks_by_level(risks)
    levels = list(RiskLevel)
    level_colors = [charts.OK, charts.WARN, "#e07a1f", charts.BAD]
    risk_chart = charts.bar_chart(
        [f"{lvl.label} risks" for lvl in levels] + [f"{lvl.label} opport." for lvl in levels],
        [by_level.get(RiskKind.RISK, {}).get(lvl, 0) for lvl in levels]
        + [by_level.get(RiskKind.OPPORTUNITY, {}).get(lvl, 0) for lvl in levels],
        title="Open risks and opportunities by current level",
        colors=level_colors + [charts.PALETTE[0]] * 4,
        height=220,
    )
    counts = {s: sum(1 for k in kpis if k.status == s) for s in KpiStatus.values}
    measured = len(kpis) - counts[KpiStatus.NO_DATA]
    return {
        "title": "Performance",
        "kpis": kpis,
        "objectives": objectives,
        "processes": processes,
        "by_level": by_level,
        "risk_chart": risk_chart,
        "counts": counts,
        "share_on_target": round(100 * counts[KpiStatus.ON_TARGET] / measured) if measured else None,
        "reviews_overdue": queries.reviews_overdue(risks).count(),
    }
