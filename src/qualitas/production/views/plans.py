"""Pages of inspection plans and the operator's station that records under them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from qualitas.core.errors import error_messages
from qualitas.core.exceptions import NotAllowed
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    TenantObjectMixin,
)
from qualitas.production import queries, services
from qualitas.production.choices import LotStatus
from qualitas.production.filters import PlanFilterSet
from qualitas.production.forms import PlanForm
from qualitas.production.models import InspectionPlan, Lot


class PlanListView(ObjectListView):
    model = InspectionPlan
    filterset_class = PlanFilterSet
    select_related = ("product",)
    columns = [
        ("Plan", "name", "name"),
        ("Product", "product", "product__part_number"),
        ("Stage", "stage", "stage"),
        ("Active", "is_active", ""),
    ]
    default_ordering = "product__part_number"
    add_url_name = "production:plan_add"


class PlanView(ObjectView):
    model = InspectionPlan
    select_related = ("product",)
    template_name = "production/plan_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["items"] = list(
            plan.items.filter(organization=plan.organization).select_related("characteristic")
        )
        context["open_lots"] = list(
            plan.product.lots.filter(
                organization=plan.organization, status__in=[LotStatus.IN_PROCESS, LotStatus.ON_HOLD]
            )[:30]
        )
        return context


class PlanEditView(ObjectEditView):
    model = InspectionPlan
    form_class = PlanForm
    create_service = staticmethod(services.create_plan)
    update_service = staticmethod(services.update_plan)


class PlanDeleteView(ObjectDeleteView):
    model = InspectionPlan
    success_url_name = "production:plan_list"


class EntryView(TenantObjectMixin, View):
    """The operator's station: one input per reading of each characteristic of the plan."""

    model = InspectionPlan

    def setup_entry(self) -> tuple[InspectionPlan, list[Any], list[Lot]]:
        plan = self.get_object()
        if not queries.may_record(self.request.user, self.organization, plan):
            raise NotAllowed("Your role may not record inspections under this plan.")
        items = list(plan.items.filter(organization=plan.organization).select_related("characteristic"))
        lots = list(
            Lot.objects.visible_to(self.request.user, self.organization)
            .filter(product_id=plan.product_id, status__in=[LotStatus.IN_PROCESS, LotStatus.ON_HOLD])
            .order_by("-pk")[:50]
        )
        for item in items:
            n = item.sample_size if item.characteristic.is_numeric else 1
            item.slots = [f"c{item.characteristic_id}_{i}" for i in range(n)]
        return plan, items, lots

    def render_page(
        self,
        plan: InspectionPlan,
        items: list[Any],
        lots: list[Lot],
        status: int = 200,
        errors: list[str] | None = None,
        values: Any = None,
    ) -> HttpResponse:
        return render(
            self.request,
            "production/entry.html",
            {
                "plan": plan,
                "items": items,
                "lots": lots,
                "errors": errors or [],
                "values": values or {},
                "selected_lot": (values or self.request.GET).get("lot", ""),
                "title": f"Record: {plan}",
            },
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(*self.setup_entry())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        plan, items, lots = self.setup_entry()
        lot = next((lt for lt in lots if str(lt.pk) == request.POST.get("lot")), None)
        errors: list[str] = []
        entries: list[dict[str, Any]] = []
        if lot is None:
            errors.append("Choose the lot you are inspecting.")
        for item in items:
            ch = item.characteristic
            for slot in item.slots:
                raw = (request.POST.get(slot) or "").strip().replace(",", ".")
                if not raw:
                    continue
                try:
                    number = float(raw)
                except ValueError:
                    errors.append(f"{ch.name}: “{raw}” is not a number.")
                    continue
                if ch.is_numeric:
                    entries.append({"characteristic": ch, "value": number})
                else:
                    size = request.POST.get(f"{slot}_n") or item.sample_size
                    entries.append({"characteristic": ch, "defects": int(number), "sample_size": int(size)})
        if not entries and not errors:
            errors.append("Enter at least one reading.")
        if errors or lot is None:
            return self.render_page(plan, items, lots, 400, errors, request.POST)
        try:
            result = services.record_inspection(
                organization=self.organization,
                actor=request.user,
                lot=lot,
                plan=plan,
                entries=entries,
                equipment=request.POST.get("equipment", "")[:200],
            )
        except ValidationError as exc:
            errs = [e for v in error_messages(exc).values() for e in v]
            return self.render_page(plan, items, lots, 400, errs, request.POST)
        if result.out_of_spec:
            messages.warning(
                request,
                f"Saved {result.readings} readings: {result.out_of_spec} outside specification."
                f" Lot {lot.number} is on hold.",
            )
        else:
            messages.success(request, f"Saved {result.readings} readings for lot {lot.number}.")
        for signal in result.signals:
            ref = f" → {signal.nonconformity_reference}" if signal.nonconformity_reference else ""
            messages.warning(request, f"{signal.detail}{ref}")
        return redirect(f"{reverse('production:entry', args=[plan.pk])}?lot={lot.pk}")
