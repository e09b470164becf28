"""NC analysis: Pareto, trends and cost of the filtered nonconformities, and their export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core import cache, charts
from qualitas.core.tabular.export import FORMATS, Column, Export
from qualitas.core.views import TenantObjectMixin
from qualitas.improvement import analysis
from qualitas.improvement.filters import NonconformityFilterSet
from qualitas.improvement.models import Nonconformity

NC_EXPORT = Export(
    "nonconformities",
    [
        Column(_("Reference"), "reference"),
        Column(_("Title"), "title"),
        Column(_("Status"), "status"),
        Column(_("Severity"), "severity"),
        Column(_("Source"), "source"),
        Column(_("Process"), "process__name"),
        Column(_("Product"), "product"),
        Column(_("Lot"), "lot"),
        Column(_("Quantity"), "quantity"),
        Column(_("Detected on"), "detected_on"),
        Column(_("Due"), "due_date"),
        Column(_("Root-cause category"), "cause_category__name"),
        Column(_("Disposition"), "disposition"),
        Column(_("Verdict"), "verdict"),
        Column(_("Closed at"), "closed_at"),
        Column(_("Cost"), "cost"),
        Column(_("Recurrence of"), "recurrence_of__reference"),
    ],
    sheet=_("Nonconformities"),
)


class _Filtered(TenantObjectMixin, View):
    model = Nonconformity

    def filtered(self, request: HttpRequest) -> tuple[Any, NonconformityFilterSet]:
        qs = self.get_queryset()
        fs = NonconformityFilterSet(request.GET or None, queryset=qs, request=request)
        if fs.is_bound and fs.is_valid():
            qs = fs.qs
        return qs, fs


class AnalysisView(_Filtered):
    """For the quality manager: where do nonconformities come from, what do they cost, are they closed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        qs, fs = self.filtered(request)

        def compute() -> tuple[Any, ...]:
            # Only analysed nonconformities have a cause: the ones still without one are counted apart.
            analysed = qs.exclude(cause_category=None)
            return (
                analysis.summary(qs),
                analysis.pareto(analysed, "cause_category__name"),
                analysis.pareto(qs, "source"),
                analysis.pareto(qs, "process__name"),
                analysis.pareto(analysed, "cause_category__name", by_cost=True),
                analysis.monthly(qs),
            )

        # Whole-register aggregates: kept while the organization's data is unchanged (core/cache.py).
        filters = urlencode(sorted((k, v) for k, v in request.GET.items() if k != "format"))
        figures, causes, sources, processes, cost_causes, (labels, opened, closed) = cache.for_organization(
            request.organization,  # type: ignore[attr-defined]
            # Per person too: a filter such as "mine" depends on who asks.
            f"nc-analysis:{request.user.pk}:{filters}",
            compute,
        )
        context = {
            "title": "Nonconformity analysis",
            "filterset": fs,
            "figures": figures,
            "querystring": request.GET.urlencode(),
            "cause_chart": charts.bar_chart(
                [c for c, _ in causes],
                [v for _, v in causes],
                pareto=True,
                title="Nonconformities by root-cause category",
                desc="Pareto of nonconformities by root-cause category",
            ),
            "source_chart": charts.bar_chart(
                [c for c, _ in sources],
                [v for _, v in sources],
                pareto=True,
                title="Nonconformities by source",
            ),
            "process_chart": charts.bar_chart(
                [c for c, _ in processes],
                [v for _, v in processes],
                pareto=True,
                title="Nonconformities by process",
            ),
            "cost_chart": charts.bar_chart(
                [c for c, _ in cost_causes],
                [v for _, v in cost_causes],
                pareto=True,
                title="Cost of poor quality by root-cause category",
            )
            if cost_causes
            else None,
            "trend_chart": charts.line_chart(
                labels,
                [charts.Series("Opened", opened), charts.Series("Closed", closed)],
                title="Opened and closed per month",
            ),
            "causes": causes,
            "unanalysed": figures["total"] - int(sum(v for _c, v in causes)),
        }
        return render(request, "improvement/analysis.html", context)


class ExportView(_Filtered):
    def get(self, request: HttpRequest, fmt: str) -> Any:
        if fmt not in FORMATS:
            raise Http404("Unknown format.")
        qs, _fs = self.filtered(request)
        return NC_EXPORT.response(qs.order_by("detected_on", "pk"), fmt)
