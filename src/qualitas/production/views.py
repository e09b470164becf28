from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from qualitas.core.charts import bar_chart
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import can, membership_of
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    error_messages,
)
from qualitas.production import analysis, charts, imports, queries, services, spc
from qualitas.production.choices import LotStatus
from qualitas.production.filters import CharacteristicFilterSet, LotFilterSet, PlanFilterSet, ProductFilterSet
from qualitas.production.forms import (
    CharacteristicForm,
    DispositionForm,
    ExcludePointForm,
    ImportForm,
    LockLimitsForm,
    LotForm,
    PlanForm,
    ProductForm,
    ReleaseForm,
)
from qualitas.production.models import Characteristic, InspectionPlan, InspectionRecord, Lot, Product, Reading
from qualitas.production.workflow import LOT_WORKFLOW

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


class _PostOnObject(TenantObjectMixin, View):
    """POST a small form about one record, call one service, go back to the record."""

    form_class: Any

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        form = self.form_class(request.POST)
        if not form.is_valid():
            for field, errs in form.errors.items():
                messages.error(
                    request, f"{field}: {'; '.join(errs)}" if field != "__all__" else "; ".join(errs)
                )
            return redirect(obj.get_absolute_url())
        try:
            message = self.act(obj, form.cleaned_data)
        except ValidationError as exc:
            for errs in error_messages(exc).values():
                for e in errs:
                    messages.error(request, e)
        else:
            messages.success(request, message)
        return redirect(obj.get_absolute_url())

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        raise NotImplementedError


class LockLimitsView(_PostOnObject):
    model = Characteristic
    form_class = LockLimitsForm

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        services.lock_limits(
            obj,
            actor=self.request.user,
            first=data.get("first"),
            last=data.get("last"),
            reason=data.get("reason") or "",
        )
        return "Control limits computed from the baseline and locked."


class ExcludePointView(_PostOnObject):
    model = Characteristic
    form_class = ExcludePointForm

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        services.exclude_point(obj, actor=self.request.user, subgroup=data["subgroup"], reason=data["reason"])
        return f"Subgroup {data['subgroup']} is left out of the limits and the rules."


class CheckValueView(TenantObjectMixin, View):
    """htmx: is this value inside the specification? Answers a small status fragment."""

    model = Characteristic

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ch = self.get_object()
        # hx-vals sends "value"; without JavaScript evaluation htmx sends the input under its own name.
        raw = request.GET.get("value") or next((v for k, v in request.GET.items() if k != "value"), "")
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


# --- plans -------------------------------------------------------------------------------------------


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
        m = membership_of(self.request.user, self.organization)
        if m is None or not plan.may_record(m.role):
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
        if errors:
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


# --- lots --------------------------------------------------------------------------------------------


class LotListView(ObjectListView):
    model = Lot
    filterset_class = LotFilterSet
    select_related = ("product",)
    template_name = "production/lot_list.html"
    partial_template_name = "production/partials/_lot_table.html"
    columns = [
        ("Lot", "number", "number"),
        ("Product", "product", "product__part_number"),
        ("Quantity", "quantity", "quantity"),
        ("Status", "status", "status"),
        ("Inspections", "record_count", ""),
        ("Created", "created_at", "created_at"),
    ]
    default_ordering = "-created_at"
    add_url_name = "production:lot_add"

    def get_queryset(self) -> Any:
        return queries.lots_with_status(super().get_queryset())

    def extra_context(self) -> dict[str, Any]:
        return {
            "counts": queries.lot_counts(self.organization),
            "partial_template_name": self.partial_template_name,
        }


class LotView(ObjectView):
    model = Lot
    select_related = ("product",)
    template_name = "production/lot_detail.html"
    workflow = LOT_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        lot = self.object
        org = lot.organization
        context["records"] = list(
            lot.records.filter(organization=org).select_related("plan", "inspector")[:50]
        )
        context["signals"] = list(lot.signals.filter(organization=org).select_related("characteristic")[:30])
        context["dispositions"] = list(lot.dispositions.filter(organization=org).select_related("decided_by"))
        context["releases"] = list(lot.releases.filter(organization=org))
        context["parents"] = list(lot.parents.filter(organization=org))
        context["children"] = list(lot.children.filter(organization=org))
        context["problems"] = services.release_problems(lot)
        context["can_release"] = can(self.request.user, self.organization, "release", lot)
        context["can_dispose"] = can(self.request.user, self.organization, "dispose", lot)
        context["release_form"] = ReleaseForm()
        context["disposition_form"] = DispositionForm()
        context["plans"] = list(lot.product.plans.filter(organization=org, is_active=True))
        return context


class LotEditView(ObjectEditView):
    model = Lot
    form_class = LotForm
    create_service = staticmethod(services.create_lot)
    update_service = staticmethod(services.update_lot)


class LotDeleteView(ObjectDeleteView):
    model = Lot
    delete_service = staticmethod(services.delete_lot)
    success_url_name = "production:lot_list"


class LotTransitionView(ObjectTransitionView):
    model = Lot
    transition_service = staticmethod(services.transition_lot)


class LotReleaseView(_PostOnObject):
    model = Lot
    form_class = ReleaseForm

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        release = services.release_lot(
            obj, actor=self.request.user, password=data["password"], note=data.get("note", "")
        )
        return f"Lot {obj.number} released and signed by {release.signer_name}."


class LotDispositionView(_PostOnObject):
    model = Lot
    form_class = DispositionForm

    def act(self, obj: Any, data: dict[str, Any]) -> str:
        services.record_disposition(
            obj, actor=self.request.user, decision=data["decision"], note=data["note"]
        )
        return "Disposition recorded."


class LotGenealogyView(ObjectView):
    model = Lot
    select_related = ("product",)
    template_name = "production/lot_genealogy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tree"] = queries.genealogy(self.object)
        return context


# --- records, import, analysis -------------------------------------------------------------------------


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
        if not can(self.request.user, self.organization, "add", InspectionRecord):
            raise NotAllowed("Your role may not record inspections.")

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
