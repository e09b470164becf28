"""The nonconformity register, a nonconformity's page, its edit and delete forms, its loop's steps,
the operator's quick report and the 8D report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    TenantObjectMixin,
    apply_validation_error,
)
from qualitas.improvement import fishbone, queries, services
from qualitas.improvement.choices import NCStatus
from qualitas.improvement.filters import NonconformityFilterSet
from qualitas.improvement.forms import (
    CauseForm,
    DispositionForm,
    NCActionForm,
    NonconformityForm,
    PublishLessonForm,
    QuickReportForm,
    RootCauseForm,
    WhyForm,
)
from qualitas.improvement.models import Lesson, Nonconformity
from qualitas.improvement.workflow import NC_WORKFLOW

# --- nonconformities -----------------------------------------------------------------------------


class PartialListView(ObjectListView):
    """The base list page does not pass its partial to the full page; do it so both render the same rows."""

    def extra_context(self) -> dict[str, Any]:
        return {"partial_template_name": self.partial_template_name}


class NonconformityListView(PartialListView):
    model = Nonconformity
    select_related = ("process", "owner")
    # The columns the register shows (improvement_table.nonconformity_rows): a search sorts every
    # match before the LIMIT, and SQLite carries the selected columns through that sort.
    list_fields = (
        "organization_id",
        "reference",
        "title",
        "product",
        "lot",
        "severity",
        "status",
        "detected_on",
        "due_date",
        "recurrence_of_id",
        "effectiveness_questioned",
        "process__code",
        "owner__username",
        "owner__full_name",
        "owner__first_name",
        "owner__last_name",
    )
    filterset_class = NonconformityFilterSet
    template_name = "improvement/nonconformity_list.html"
    partial_template_name = "improvement/partials/_nonconformity_table.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Severity", "severity", "severity"),
        ("Status", "status", "status"),
        ("Process", "process", "process__code"),
        ("Owner", "owner", "owner__username"),
        ("Detected", "detected_on", "detected_on"),
        ("Due", "due_date", "due_date"),
    ]
    default_ordering = "-detected_on"
    add_url_name = "improvement:nonconformity_add"

    def get_queryset(self) -> Any:
        return super().get_queryset().only(*self.list_fields)

    def extra_context(self) -> dict[str, Any]:
        return {**super().extra_context(), **queries.choice_labels(self.organization, self.request)}


class NonconformityView(ObjectView):
    model = Nonconformity
    select_related = (
        "process",
        "site",
        "owner",
        "detected_by",
        "cause_category",
        "verified_by",
        "disposition_authorised_by",
        "recurrence_of",
        "created_by",
    )
    template_name = "improvement/nonconformity_detail.html"
    workflow = NC_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        nc = self.object
        org = self.organization
        user = self.request.user
        causes = list(queries.causes_of(nc))
        actions = list(queries.nc_actions(nc).order_by("due_date", "pk"))
        settings = queries.settings_for(org)
        steps = [(v, label) for v, label in NCStatus.choices if v != NCStatus.CANCELLED]
        index = next((i for i, (v, _l) in enumerate(steps) if v == nc.status), -1)
        context.update(
            {
                "status_steps": steps,
                "done_steps": [v for v, _l in steps[: max(index, 0)]],
                "whys": list(queries.whys_of(nc)),
                "causes": causes,
                "fishbone_svg": fishbone.render(nc.title, causes),
                "nc_actions": actions,
                "open_action_count": sum(1 for a in actions if a.is_open),
                "links": list(nc.links.select_related("content_type")),
                "recurrences": list(nc.recurrences.only("pk", "reference", "title", "organization_id")),
                "lessons": list(nc.lessons.all()),
                "settings": settings,
                "source_label": settings.labels("source").get(nc.source, nc.source),
                "severity_label": settings.labels("severity").get(nc.severity, nc.severity),
                "can_analyse": context["can_change"] and nc.is_open,
                "can_authorise": can(user, org, "authorise", nc),
                "can_publish": can(user, org, "add", Lesson),
                "can_add_action": can(user, org, "add", queries.Action) and context["can_change"],
                "root_cause_form": RootCauseForm(
                    organization=org,
                    initial={"cause_category": nc.cause_category_id, "root_cause": nc.root_cause},
                ),
                "why_form": WhyForm(),
                "cause_form": CauseForm(),
                "disposition_form": DispositionForm(
                    initial={"disposition": nc.disposition, "concession_reference": nc.concession_reference}
                ),
                "action_form": NCActionForm(organization=org, initial={"owner": nc.owner_id}),
                "lesson_form": PublishLessonForm(
                    initial={
                        "title": f"Lesson from {nc.reference}: {nc.title}"[:200],
                        "summary": nc.root_cause,
                    }
                ),
            }
        )
        return context


class NonconformityEditView(ObjectEditView):
    model = Nonconformity
    form_class = NonconformityForm
    create_service = staticmethod(services.open_nonconformity)
    update_service = staticmethod(services.update_nonconformity)


class NonconformityDeleteView(ObjectDeleteView):
    model = Nonconformity
    delete_service = staticmethod(services.delete_nonconformity)
    success_url_name = "improvement:nonconformity_list"


class NonconformityTransitionView(ObjectTransitionView):
    model = Nonconformity
    transition_service = staticmethod(services.transition_nonconformity)


class ReportView(TenantObjectMixin, View):
    """The operator's one-minute report, built for a phone."""

    model = Nonconformity
    template_name = "improvement/report.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check_allowed("add")
        return render(request, self.template_name, {"form": QuickReportForm(organization=self.organization)})

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check_allowed("add")
        form = QuickReportForm(request.POST, request.FILES, organization=self.organization)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
            try:
                nc = services.report_nonconformity(
                    organization=self.organization,
                    actor=request.user,
                    data=data,
                    photo=form.cleaned_data.get("photo"),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                thanks = _("Thank you: reported as %(reference)s.") % {"reference": nc.reference}
                messages.success(request, thanks)
                return redirect(nc.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class NonconformityPDFView(TenantObjectMixin, View):
    model = Nonconformity
    select_related = NonconformityView.select_related

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from qualitas.improvement import report_pdf

        nc = self.get_object()
        pdf = report_pdf.render_8d(nc)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{nc.reference}-8D.pdf"'
        return response
