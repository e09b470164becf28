"""Pages of the catalog: products, characteristics with their charts and control limits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    TenantObjectMixin,
)
from qualitas.production import analysis, charts, queries, services, spc
from qualitas.production.filters import CharacteristicFilterSet, ProductFilterSet
from qualitas.production.forms import CharacteristicForm, ExcludePointForm, LockLimitsForm, ProductForm
from qualitas.production.models import Characteristic, Product

# --- products --------------------------------------------------------------------------------------


class ProductListView(ObjectListView):
    model = Product
    filterset_class = ProductFilterSet
    select_related = ("owner",)
    columns = [
        ("Part number", "part_number", "part_number"),
        ("Rev.", "revision", "revision"),
        ("Name", "name", "name"),
        ("Customer", "customer", "customer"),
        ("Process owner", "owner", ""),
    ]
    default_ordering = "part_number"
    add_url_name = "production:product_add"


class ProductView(ObjectView):
    model = Product
    select_related = ("owner",)
    template_name = "production/product_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        context["characteristics"] = list(p.characteristics.filter(organization=p.organization))
        context["plans"] = list(p.plans.filter(organization=p.organization))
        context["lots"] = list(queries.lots_with_status(p.lots.filter(organization=p.organization))[:20])
        return context


class ProductEditView(ObjectEditView):
    model = Product
    form_class = ProductForm
    create_service = staticmethod(services.create_product)
    update_service = staticmethod(services.update_product)


class ProductDeleteView(ObjectDeleteView):
    model = Product
    success_url_name = "production:product_list"


# --- characteristics -------------------------------------------------------------------------------


class CharacteristicListView(ObjectListView):
    model = Characteristic
    filterset_class = CharacteristicFilterSet
    select_related = ("product",)
    columns = [
        ("Characteristic", "name", "name"),
        ("Product", "product", "product__part_number"),
        ("Criticality", "criticality", "criticality"),
        ("Chart", "chart_type", "chart_type"),
        ("LSL", "lsl", ""),
        ("USL", "usl", ""),
        ("Unit", "unit", ""),
    ]
    default_ordering = "product__part_number"
    add_url_name = "production:characteristic_add"


class CharacteristicView(ObjectView):
    model = Characteristic
    select_related = ("product", "limits_locked_by")
    template_name = "production/characteristic_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        ch = self.object
        view = analysis.chart_view(ch)
        context["view"] = view
        if view is not None:
            context.update(charts.control_charts(ch, view))
            cap = analysis.capability_of(ch, view)
            context["capability"] = cap
            context["cpk_class"] = charts.cpk_class(cap.cpk if cap else None)
            if ch.is_numeric:
                context["histogram_svg"] = charts.capability_histogram(ch, view.series.values)
        context["rules"] = [(code, spc.RULES[code]) for code in ch.active_rules]
        context["excluded"] = list(
            ch.excluded_points.filter(organization=ch.organization).select_related("created_by")
        )
        context["signals"] = list(ch.signals.filter(organization=ch.organization).select_related("lot")[:15])
        context["can_lock"] = can(self.request.user, self.organization, "lock", ch)
        context["lock_form"] = LockLimitsForm()
        context["exclude_form"] = ExcludePointForm()
        return context


class CharacteristicEditView(ObjectEditView):
    model = Characteristic
    form_class = CharacteristicForm
    create_service = staticmethod(services.create_characteristic)
    update_service = staticmethod(services.update_characteristic)


class CharacteristicDeleteView(ObjectDeleteView):
    model = Characteristic
    success_url_name = "production:characteristic_list"


class LockLimitsView(ObjectActionView):
    model = Characteristic
    form_class = LockLimitsForm
    service = staticmethod(services.lock_limits)
    permission = "lock"
    title = gettext_lazy("Lock control limits")
    message = gettext_lazy("Control limits computed from the baseline and locked.")


class ExcludePointView(ObjectActionView):
    model = Characteristic
    form_class = ExcludePointForm
    service = staticmethod(services.exclude_point)
    permission = "exclude"
    title = gettext_lazy("Leave a point out")

    def get_message(self, obj: Any, result: Any) -> str:
        return _("Subgroup %(n)s is left out of the limits and the rules.") % {"n": result.subgroup}


class CheckValueView(TenantObjectMixin, View):
    """htmx: is this value inside the specification? Answers a small status fragment."""

    model = Characteristic

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ch = self.get_object()
        # hx-vals sends "value"; without JavaScript evaluation htmx sends the input under its own name.
        raw = request.GET.get("value") or next(
            (request.GET.get(k, "") for k in request.GET if k != "value"), ""
        )
        raw = raw.strip().replace(",", ".")
        state, text = "", ""
        if raw:
            try:
                number = float(raw)
            except ValueError:
                state, text = "bad", "Not a number"
            else:
                oos = ch.is_out_of_spec(
                    None if not ch.is_numeric else number, None if ch.is_numeric else int(number)
                )
                state, text = ("bad", "Out of specification") if oos else ("ok", "In specification")
        return render(request, "production/partials/_check.html", {"state": state, "text": text})
