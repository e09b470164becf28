from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from qualitas.core import cache, charts
from qualitas.core.views import TenantObjectMixin
from qualitas.improvement import analysis
from qualitas.improvement.filters import NonconformityFilterSet
from qualitas.improvement.models import Nonconformity

EXPORT_COLUMNS = [
    ("Reference", "reference"),
    ("Title", "title"),
    ("Status", "status"),
    ("Severity", "severity"),
    ("Source", "source"),
    ("Process", "process__name"),
    ("Product", "product"),
    ("Lot", "lot"),
    ("Quantity", "quantity"),
    ("Detected on", "detected_on"),
    ("Due", "due_date"),
    ("Root-cause category", "cause_category__name"),
    ("Disposition", "disposition"),
    ("Verdict", "verdict"),
    ("Closed at", "closed_at"),
    ("Cost", "cost"),
    ("Recurrence of", "recurrence_of__reference"),
]


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
    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt not in ("csv", "xlsx"):
            raise Http404("Unknown format.")
        qs, _fs = self.filtered(request)
        rows = qs.order_by("detected_on", "pk").values_list(*[f for _h, f in EXPORT_COLUMNS])
        stamp = timezone.localdate().isoformat()
        headers = [h for h, _f in EXPORT_COLUMNS]
        if fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf)
            writer.writerow(headers)
            for row in rows.iterator(2000):
                writer.writerow(["" if v is None else _plain(v) for v in row])
            response = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="nonconformities-{stamp}.csv"'
            return response
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Nonconformities")
        ws.append(headers)
        for row in rows.iterator(2000):
            ws.append([_cell(v) for v in row])
        out = io.BytesIO()
        wb.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="nonconformities-{stamp}.xlsx"'
        return response


def _plain(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    text = str(v)
    # Keep spreadsheet formulas out of exported text (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text


def _cell(v: Any) -> Any:
    import datetime as dt
    from decimal import Decimal

    if isinstance(v, dt.datetime):
        return timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, str):
        return _plain(v)
    return v
