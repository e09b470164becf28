"""Quality objectives, KPIs and their recorded values."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qualitas.actions.queries import actions_about
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectView,
)
from qualitas.planning import exports, queries, services
from qualitas.planning.charts import add_sparklines, kpi_chart
from qualitas.planning.filters import (
    KpiFilterSet,
    ObjectiveFilterSet,
)
from qualitas.planning.forms import (
    KpiForm,
    MeasurementForm,
    ObjectiveForm,
    PlanActionForm,
)
from qualitas.planning.models import (
    Kpi,
    Measurement,
    Objective,
)
from qualitas.planning.views.common import RegisterListView, RemoveView

# --- objectives ----------------------------------------------------------------------------------


class ObjectiveListView(RegisterListView):
    model = Objective
    register = "objectives"
    export = exports.OBJECTIVES
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
        context["kpis"] = add_sparklines(
            queries.kpi_rows(Kpi.objects.filter(organization=self.organization, objective=self.object))
        )
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
    success_url_name = "planning:objective_list"


# --- KPIs ----------------------------------------------------------------------------------------


class KpiListView(RegisterListView):
    model = Kpi
    register = "kpis"
    export = exports.KPIS
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


class KpiEditView(ObjectEditView):
    model = Kpi
    form_class = KpiForm
    create_service = staticmethod(services.create_kpi)
    update_service = staticmethod(services.update_kpi)


class KpiDeleteView(ObjectDeleteView):
    model = Kpi
    delete_service = staticmethod(services.delete_kpi)
    success_url_name = "planning:kpi_list"


class MeasurementAddView(ObjectActionView):
    model = Kpi
    form_class = MeasurementForm
    service = staticmethod(services.record_measurement)
    permission = "add"
    title = _("Record a value")

    def permission_target(self, obj: Kpi) -> Any:
        return Measurement

    def get_message(self, obj: Kpi, result: Measurement) -> str:
        return _("Recorded %(value)s for %(period)s: %(status)s.") % {
            "value": f"{result.value:g}{obj.unit}",
            "period": f"{result.period:%Y-%m}",
            "status": result.get_status_display().lower(),
        }


class MeasurementDeleteView(RemoveView):
    """Recorded values are evidence: deleting one says why."""

    model = Measurement

    def perform(self, obj: Measurement, data: dict[str, Any]) -> Any:
        if not self.request.POST.get("reason", "").strip():
            raise ValidationError(_("Say why the value is deleted: recorded values are evidence."))
        return super().perform(obj, data)
