"""Inspection records, the readings import and the analysis page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from qualitas.core.charts import bar_chart
from qualitas.core.errors import error_messages
from qualitas.core.views import ObjectView, OrganizationRequiredMixin
from qualitas.production import charts, imports, queries, services
from qualitas.production.forms import ImportForm
from qualitas.production.models import InspectionRecord, Product, Reading


class RecordView(ObjectView):
    model = InspectionRecord
    select_related = ("lot", "lot__product", "plan", "inspector")
    template_name = "production/record_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rec = self.object
        readings = Reading.objects.filter(organization=rec.organization, record=rec).select_related(
            "characteristic"
        )
        context["readings"] = list(readings.order_by("characteristic__name", "subgroup", "pk")[:500])
        context["reading_total"] = rec.reading_count
        context["signals"] = list(rec.signals.filter(organization=rec.organization))
        return context


class ImportView(OrganizationRequiredMixin, View):
    template_name = "production/import.html"

    def check(self) -> None:
        self.check_allowed("add", InspectionRecord)

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check()
        return render(request, self.template_name, {"form": ImportForm(organization=self.organization)})

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check()
        form = ImportForm(request.POST, request.FILES, organization=self.organization)
        row_errors: list[str] = []
        if form.is_valid():
            try:
                rows = imports.parse_readings(
                    self.organization, form.cleaned_data["product"], form.cleaned_data["file"]
                )
                result = services.import_readings(
                    organization=self.organization, actor=request.user, rows=rows
                )
            except ValidationError as exc:
                row_errors = [e for v in error_messages(exc).values() for e in v]
            else:
                messages.success(
                    request,
                    f"Imported {result.readings:,} readings in {len(result.records)} "
                    f"inspection record(s); {result.out_of_spec} outside specification.",
                )
                return redirect("production:lot_list")
        return render(request, self.template_name, {"form": form, "row_errors": row_errors}, status=400)


class AnalysisView(OrganizationRequiredMixin, TemplateView):
    template_name = "production/analysis.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.organization
        if not Product.objects.visible_to(self.request.user, org).exists():
            context["empty"] = True
            return context
        fpy = queries.first_pass_yield(org)
        pareto = queries.defect_pareto(org)
        summary = queries.capability_summary(org)
        for row in summary:
            row["css"] = charts.cpk_class(row["cpk"])
        context.update(
            {
                "fpy": fpy,
                "summary": summary,
                "pareto_svg": bar_chart(
                    [p[0] for p in pareto],
                    [p[1] for p in pareto],
                    pareto=True,
                    title="Readings outside specification by characteristic",
                )
                if pareto
                else None,
                "lot_counts": queries.lot_counts(org),
            }
        )
        cpks = [
            r["cpk"]
            for r in summary
            if r["characteristic"].criticality == "critical" and r["cpk"] is not None
        ]
        context["critical_capable"] = (sum(1 for c in cpks if c >= 1.33), len(cpks))
        return context
