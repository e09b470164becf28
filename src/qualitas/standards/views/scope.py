"""Scope and statement of applicability pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    OrganizationRequiredMixin,
    SingletonEditView,
    record_context,
    safe_next,
)
from qualitas.standards import pack, queries, services, soa
from qualitas.standards.choices import (
    ScopeProfile,
)
from qualitas.standards.forms import (
    ApplicabilityForm,
    ScopeForm,
)
from qualitas.standards.models import (
    Requirement,
    ScopeStatement,
)
from qualitas.standards.views.requirements import clause_or_404

# --- scope -----------------------------------------------------------------------------------------


class ScopeView(OrganizationRequiredMixin, View):
    """Plan › Scope: what the quality system covers and which profile the organization chose."""

    def get(self, request: HttpRequest) -> HttpResponse:
        scope = ScopeStatement.objects.visible_to(request.user, self.organization).first()
        statement = soa.statement(self.organization)
        context = {
            "scope": scope,
            "excluded": statement["excluded"],
            "warnings": statement["warnings"],
            "can_change": can(request.user, self.organization, "change", ScopeStatement),
            "profiles": ScopeProfile,
            **(record_context(request, scope) if scope else {}),
            "object": scope,
        }
        return render(request, "standards/scope.html", context)


class ScopeEditView(SingletonEditView):
    """The scope statement: created on the first save; a changed profile is applied to the
    requirements (its warnings are shown after the save)."""

    model = ScopeStatement
    form_class = ScopeForm
    title = _("Scope of the quality management system")
    message = _("Scope saved.")
    success_url_name = "standards:scope"
    warnings: list[str]

    def check_allowed(self, action: str, target: Any) -> None:
        first = queries.scope_of(self.organization) is None
        super().check_allowed("add" if first and action == "change" else action, target)

    def save(self, instance: ScopeStatement, form: Any) -> Any:
        scope, self.warnings = services.save_scope(
            self.organization,
            actor=self.request.user,
            data=form.service_data(),
            expected_version=form.cleaned_data.get("version"),
            reason=form.cleaned_data.get("reason", ""),
            design_justification=form.cleaned_data.get("design_justification", ""),
        )
        return scope

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.warnings = []
        response = super().post(request, *args, **kwargs)
        for w in self.warnings:
            messages.warning(request, w)
        return response


# --- statement of applicability --------------------------------------------------------------------


class SoaView(OrganizationRequiredMixin, View):
    """Check › Statement of applicability: every clause, applicable or not, and why."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not can(request.user, self.organization, "view", Requirement):
            raise Http404
        context = {
            **soa.statement(self.organization),
            "can_decide": can(request.user, self.organization, "applicability", Requirement),
            "form": ApplicabilityForm(),
        }
        return render(request, "standards/soa.html", context)


class SoaPdfView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        pdf = pack.soa_pdf(self.organization)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="statement-of-applicability-{self.organization.slug}.pdf"'
        )
        return response


class ApplicabilityView(ObjectActionView):
    """Declare a clause (or a heading's subclauses) applicable or not, with a justification."""

    model = Requirement
    form_class = ApplicabilityForm
    permission = "applicability"
    template_name = "standards/applicability_form.html"

    def get_object(self) -> Any:
        return clause_or_404(self.kwargs["number"])

    def permission_target(self, obj: Any) -> Any:
        return Requirement

    def get_initial(self, obj: Any) -> dict[str, Any]:
        return {"applicable": "0"}

    def perform(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.set_applicability(
            self.organization,
            obj.number,
            actor=self.request.user,
            applicable=data["applicable"],
            justification=data["justification"],
            reason=data.get("reason", ""),
        )

    def get_message(self, obj: Any, result: Any) -> str:
        return _("Applicability of %(number)s saved.") % {"number": obj.number}

    def record_url(self, obj: Any) -> str:
        return reverse("standards:soa") + f"#c-{obj.number}"

    def success_url(self, obj: Any, result: Any) -> str:
        return safe_next(self.request, self.record_url(obj))

    def done(self, obj: Any, result: list[str]) -> HttpResponse:
        for w in result:
            messages.warning(self.request, w)
        return super().done(obj, result)
