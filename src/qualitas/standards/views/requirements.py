"""Requirements and their evidence, the legacy mapping and the catalog."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core import cache
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    OrganizationRequiredMixin,
    say_error,
)
from qualitas.standards import queries, readiness, services
from qualitas.standards.choices import (
    LEGACY_1994,
)
from qualitas.standards.filters import RequirementFilterSet
from qualitas.standards.forms import (
    EvidenceLinkForm,
    LegacyProcedureForm,
    RequirementForm,
)
from qualitas.standards.models import (
    EvidenceLink,
    LegacyProcedure,
    Requirement,
)


def clause_or_404(number: str, code: str = "iso9001-2015") -> Any:
    clause = queries.clauses(code).filter(number=number).select_related("standard").first()
    if clause is None:
        raise Http404("No such clause.")
    return clause


# --- requirements ----------------------------------------------------------------------------------


class RequirementListView(ObjectListView):
    model = Requirement
    select_related = ("clause", "owner")
    filterset_class = RequirementFilterSet
    template_name = "standards/requirement_list.html"
    columns = [
        ("Clause", "clause__number", "clause__sort_key"),
        ("Title", "clause__title", ""),
        ("Applicable", "applicable", "applicable"),
        ("Status", "status", "status"),
        ("Owner", "owner", "owner__username"),
        ("Target", "target_date", "target_date"),
    ]
    default_ordering = "clause__sort_key"
    title = "Requirements"


def _requirement_context(
    request: HttpRequest, organization: Any, clause: Any, requirement: Any
) -> dict[str, Any]:
    # Register-wide counts: kept while the organization's data is unchanged (core/cache.py).
    auto = cache.for_organization(
        organization, "automatic-evidence", lambda: readiness.automatic_evidence(organization)
    )
    automatic = readiness.automatic_for(clause.number, auto)
    links = (
        list(
            EvidenceLink.objects.filter(organization=organization, requirement=requirement)
            .select_related("content_type")
            .prefetch_related("target")  # one query per kind of record, not one per link
        )
        if requirement and requirement.pk
        else []
    )
    children = list(queries.clauses().filter(parent=clause)) if not clause.is_auditable else []
    legacy = (
        [e for e in queries.legacy_elements() if clause.number in (e.maps_to or [])]
        if clause.is_auditable
        else []
    )
    return {
        "clause": clause,
        "requirement": requirement,
        "automatic": automatic,
        "links": links,
        "children": children,
        "legacy_elements": legacy,
        "link_form": EvidenceLinkForm(organization=organization),
        "can_link": can(request.user, organization, "add", EvidenceLink),
        "can_track": can(request.user, organization, "add", Requirement),
        "can_decide": can(request.user, organization, "applicability", Requirement),
    }


class ClauseView(OrganizationRequiredMixin, View):
    """One clause: what it asks (our words), the organization's status, owner and evidence."""

    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        clause = clause_or_404(number)
        requirement = (
            Requirement.objects.visible_to(request.user, self.organization).filter(clause=clause).first()
        )
        if requirement is not None:
            return redirect(requirement.get_absolute_url())
        context = _requirement_context(request, self.organization, clause, None)
        return render(request, "standards/requirement_detail.html", context)

    def post(self, request: HttpRequest, number: str) -> HttpResponse:
        """Start tracking the clause: create the requirement (not started) and open its edit form."""
        clause = clause_or_404(number)
        try:
            requirement = services.requirement_for(self.organization, clause, actor=request.user)
        except ValidationError as exc:
            say_error(request, exc)
            return redirect("standards:clause", number=number)
        return redirect("standards:requirement_edit", pk=requirement.pk)


class RequirementView(ObjectView):
    model = Requirement
    select_related = ("clause", "clause__standard", "owner")
    template_name = "standards/requirement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_requirement_context(self.request, self.organization, self.object.clause, self.object))
        context["flag_no_evidence"] = (
            self.object.status in ("implemented", "verified")
            and not context["links"]
            and not context["attachments"]
            and not any((s.get("count") or 0) > 0 for s in context["automatic"])
        )
        return context


class RequirementEditView(ObjectEditView):
    model = Requirement
    form_class = RequirementForm
    update_service = staticmethod(services.update_requirement)

    def get_instance(self) -> Any:
        if "pk" not in self.kwargs:
            raise Http404
        return super().get_instance()


class EvidenceLinkAddView(ObjectActionView):
    """Link a record of the organization (kind and number) as evidence of the requirement."""

    model = Requirement
    form_class = EvidenceLinkForm
    inline = True
    permission = "add"
    service = staticmethod(services.link_evidence)

    def permission_target(self, obj: Requirement) -> Any:
        return EvidenceLink

    def service_kwargs(self, obj: Requirement, data: dict[str, Any]) -> dict[str, Any]:
        try:
            model = apps.get_model(data["record_type"])
        except (LookupError, ValueError):
            raise Http404 from None
        target = model.objects.visible_to(self.request.user, self.organization).filter(pk=data["record_id"])
        if not target.exists():
            raise ValidationError(
                _("There is no %(kind)s number %(number)s in this organization.")
                % {"kind": model._meta.verbose_name, "number": data["record_id"]}
            )
        return {"target": target.get(), "note": data.get("note", "")}

    def get_message(self, obj: Requirement, result: EvidenceLink) -> str:
        return _("Linked %(record)s as evidence.") % {"record": result.target or result.target_label}


class EvidenceLinkDeleteView(ObjectActionView):
    model = EvidenceLink
    select_related = ("requirement",)
    permission = "delete"
    service = staticmethod(services.unlink_evidence)
    message = _("Evidence link removed.")

    def service_kwargs(self, obj: EvidenceLink, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": self.request.POST.get("reason", "")}


# --- legacy mapping --------------------------------------------------------------------------------


class CrosswalkView(OrganizationRequiredMixin, View):
    """Where each 1994 element lands in ISO 9001:2015, with the organization's old procedures."""

    def get(self, request: HttpRequest) -> HttpResponse:
        elements = list(queries.legacy_elements())
        target = {c.number: c for c in queries.clauses()}
        procedures: dict[int, list[Any]] = {}
        for p in LegacyProcedure.objects.visible_to(request.user, self.organization).order_by("reference"):
            procedures.setdefault(p.element_id, []).append(p)
        rows = [
            {
                "element": e,
                "targets": [target[n] for n in e.maps_to if n in target],
                "procedures": procedures.get(e.pk, []),
            }
            for e in elements
        ]
        return render(
            request,
            "standards/crosswalk.html",
            {
                "rows": rows,
                "legacy": queries.standard(LEGACY_1994),
                "can_add": can(request.user, self.organization, "add", LegacyProcedure),
            },
        )


class LegacyProcedureListView(ObjectListView):
    model = LegacyProcedure
    select_related = ("element",)
    columns = [
        ("Reference", "reference", "reference"),
        ("Title", "title", "title"),
        ("1994 element", "element", "element__sort_key"),
    ]
    default_ordering = "reference"
    add_url_name = "standards:legacyprocedure_add"
    title = "Legacy procedures (1994 structure)"


class LegacyProcedureView(ObjectView):
    model = LegacyProcedure
    select_related = ("element", "element__standard")
    template_name = "standards/legacyprocedure_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["targets"] = queries.crosswalk(self.object.element)
        return context


class LegacyProcedureEditView(ObjectEditView):
    model = LegacyProcedure
    form_class = LegacyProcedureForm
    create_service = staticmethod(services.create_legacy_procedure)
    update_service = staticmethod(services.update_legacy_procedure)


class LegacyProcedureDeleteView(ObjectDeleteView):
    model = LegacyProcedure
    success_url_name = "standards:legacyprocedure_list"


# --- catalog ---------------------------------------------------------------------------------------


class CatalogView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, code: str = "iso9001-2015") -> HttpResponse:
        standard = queries.standard(code)
        if standard is None:
            raise Http404("No such standard.")
        from qualitas.standards.models import Standard

        return render(
            request,
            "standards/catalog.html",
            {
                "standard": standard,
                "clauses": list(queries.clauses(code)),
                "standards": list(Standard.objects.order_by("code")),
            },
        )


def redirect_home(request: HttpRequest) -> HttpResponseRedirect:
    return redirect("standards:readiness")
