"""Pages of lots: the register at a glance, the lot, its release, dispositions and genealogy."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
)
from qualitas.production import queries, services
from qualitas.production.filters import LotFilterSet
from qualitas.production.forms import DispositionForm, LotForm, ReleaseForm
from qualitas.production.models import Lot
from qualitas.production.workflow import LOT_WORKFLOW


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


class LotReleaseView(ObjectActionView):
    model = Lot
    form_class = ReleaseForm
    service = staticmethod(services.release_lot)
    permission = "release"
    title = gettext_lazy("Release the lot")
    submit_label = gettext_lazy("Sign and release")

    def get_message(self, obj: Any, result: Any) -> str:
        return _("Lot %(lot)s released and signed by %(signer)s.") % {
            "lot": obj.number,
            "signer": result.signer_name,
        }


class LotDispositionView(ObjectActionView):
    model = Lot
    form_class = DispositionForm
    service = staticmethod(services.record_disposition)
    permission = "dispose"
    title = gettext_lazy("Record a disposition")
    message = gettext_lazy("Disposition recorded.")


class LotGenealogyView(ObjectView):
    model = Lot
    select_related = ("product",)
    template_name = "production/lot_genealogy.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["tree"] = queries.genealogy(self.object)
        return context
