"""Registers in and out: imports of the registers and of KPI values, the export of values."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectListView,
    OrganizationRequiredMixin,
    apply_validation_error,
)
from qualitas.planning.forms import (
    ImportForm,
)
from qualitas.planning.models import (
    ContextIssue,
    InterestedParty,
    Kpi,
    Measurement,
    Objective,
    Process,
    Risk,
)
from qualitas.planning.tabular import REGISTERS, export_response
from qualitas.planning.views.common import ExportMixin


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
