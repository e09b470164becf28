"""Registers in and out: the register imports (core's ImportView), the KPI value import and export."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.core.views import ImportView, ObjectListView, OrganizationRequiredMixin, apply_validation_error
from qualitas.planning import exports
from qualitas.planning.filters import MeasurementFilterSet
from qualitas.planning.forms import ImportForm
from qualitas.planning.imports import REGISTERS, import_measurements
from qualitas.planning.models import Measurement
from qualitas.planning.services import MeasurementErrors


class RegisterImportView(ImportView):
    """A register's import: a correct file is imported at once (all rows in one transaction); a file
    with any bad row imports nothing and lists the problems by row number."""

    preview = False
    template_name = "planning/register_import.html"


IMPORT_VIEWS = {
    key: cast(
        "type[RegisterImportView]",
        type(
            f"{spec.model.__name__}ImportView",
            (RegisterImportView,),
            {"spec": spec, "success_url_name": spec.back_url_name},
        ),
    ).as_view()
    for key, spec in REGISTERS.items()
}


def register_import(request: HttpRequest, register: str) -> HttpResponseBase:
    view = IMPORT_VIEWS.get(register)
    if view is None:
        raise Http404(_("No such register."))
    return view(request, register=register)


class MeasurementImportView(OrganizationRequiredMixin, View):
    template_name = "planning/measurement_import.html"
    title = gettext_lazy("Import KPI values")

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check_allowed("add", Measurement)
        return render(request, self.template_name, {"form": ImportForm(), "title": self.title})

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check_allowed("add", Measurement)
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
                messages.success(request, _("Imported %(n)d values.") % {"n": n})
                return redirect("planning:kpi_list")
        context = {"form": form, "title": self.title, "row_errors": row_errors}
        return render(request, self.template_name, context, status=400)


class MeasurementExportView(ObjectListView):
    """Every KPI value as filtered (CSV unless XLSX is asked for), by KPI and period."""

    model = Measurement
    select_related = ("kpi",)
    filterset_class = MeasurementFilterSet
    export = exports.MEASUREMENTS

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        qs, _fs, _o = self.filtered()
        fmt = "xlsx" if request.GET.get("export") == "xlsx" else "csv"
        # A download streams; the list view this extends declares a page (HttpResponse).
        return self.export.response(qs.order_by("kpi__code", "period"), fmt)  # type: ignore[return-value]
