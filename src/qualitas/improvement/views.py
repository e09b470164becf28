from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views import View

from qualitas.core.exceptions import ConflictError, TransitionError
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    TenantObjectMixin,
    apply_validation_error,
    error_messages,
)
from qualitas.improvement import fishbone, queries, services
from qualitas.improvement.choices import NCStatus
from qualitas.improvement.filters import LessonFilterSet, NonconformityFilterSet, OpportunityFilterSet
from qualitas.improvement.forms import (
    CauseCategoryForm,
    CauseForm,
    DispositionForm,
    EmptyForm,
    LessonForm,
    NCActionForm,
    NonconformityForm,
    OpportunityForm,
    PreferenceForm,
    PublishLessonForm,
    QuickReportForm,
    RootCauseForm,
    SettingsForm,
    WhyForm,
)
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    ImprovementSettings,
    IshikawaCause,
    Lesson,
    Nonconformity,
    NotificationPreference,
    WhyStep,
)
from qualitas.improvement.workflow import NC_WORKFLOW, OPPORTUNITY_WORKFLOW

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
                messages.success(request, f"Thank you: reported as {nc.reference}.")
                return redirect(nc.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class NCStepView(TenantObjectMixin, View):
    """POST a small form on the nonconformity page; one service call; back to the page."""

    model: ClassVar[Any] = Nonconformity
    form_class: ClassVar[Any]
    needs_org: ClassVar[bool] = False
    anchor: ClassVar[str] = ""

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def target_url(self, obj: Any) -> str:
        return str(obj.get_absolute_url())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object()
        kwargs = {"organization": self.organization} if self.needs_org else {}
        form = self.form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                self.call(obj, form.cleaned_data)
            except (ValidationError, TransitionError, ConflictError) as exc:
                msgs = error_messages(exc) if isinstance(exc, ValidationError) else {"": [str(exc)]}
                messages.error(request, "; ".join(m for v in msgs.values() for m in v))
            else:
                messages.success(request, "Saved.")
        else:
            messages.error(request, "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
        return HttpResponseRedirect(self.target_url(obj) + self.anchor)


class RootCauseView(NCStepView):
    form_class = RootCauseForm
    needs_org = True
    anchor = "#analysis"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.set_root_cause(
            obj,
            actor=self.request.user,
            cause_category=data["cause_category"],
            root_cause=data.get("root_cause", ""),
        )


class WhyAddView(NCStepView):
    form_class = WhyForm
    anchor = "#why"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.add_why(obj, actor=self.request.user, why=data["why"], because=data["because"])


class CauseAddView(NCStepView):
    form_class = CauseForm
    anchor = "#ishikawa"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.add_cause(
            obj,
            actor=self.request.user,
            category=data["category"],
            text=data["text"],
            is_root=data.get("is_root", False),
        )


class WhyDeleteView(NCStepView):
    model = WhyStep
    form_class = EmptyForm
    anchor = "#why"

    def target_url(self, obj: Any) -> str:
        return str(obj.nonconformity.get_absolute_url())

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        services.delete_why(obj, actor=self.request.user)


class CauseRootView(NCStepView):
    model = IshikawaCause
    form_class = EmptyForm
    anchor = "#ishikawa"

    def target_url(self, obj: Any) -> str:
        return str(obj.nonconformity.get_absolute_url())

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.mark_root_cause(obj, actor=self.request.user)


class CauseDeleteView(CauseRootView):
    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        services.delete_cause(obj, actor=self.request.user)


class DispositionView(NCStepView):
    form_class = DispositionForm
    anchor = "#disposition"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.set_disposition(
            obj,
            actor=self.request.user,
            disposition=data["disposition"],
            concession_reference=data.get("concession_reference", ""),
        )


class AuthoriseDispositionView(NCStepView):
    form_class = EmptyForm
    anchor = "#disposition"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.authorise_disposition(obj, actor=self.request.user)


class NCActionAddView(NCStepView):
    form_class = NCActionForm
    needs_org = True
    anchor = "#actions"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        self.check_allowed("change", obj)
        return services.add_nc_action(obj, actor=self.request.user, data=data)


class PublishLessonView(NCStepView):
    form_class = PublishLessonForm
    anchor = "#lessons"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        return services.publish_lesson(
            organization=self.organization, actor=self.request.user, data=data, nonconformity=obj
        )


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


# --- lessons -------------------------------------------------------------------------------------


class LessonListView(PartialListView):
    model = Lesson
    select_related = ("nonconformity",)
    filterset_class = LessonFilterSet
    template_name = "improvement/lesson_list.html"
    partial_template_name = "improvement/partials/_lesson_table.html"
    columns = [
        ("Lesson", "title", "title"),
        ("Source", "nonconformity", ""),
        ("Tags", "tags", ""),
        ("Published", "published_at", "published_at"),
    ]
    default_ordering = "-published_at"
    add_url_name = "improvement:lesson_add"
    title = "Lessons learned"


class LessonView(ObjectView):
    model = Lesson
    select_related = ("nonconformity", "created_by")
    template_name = "improvement/lesson_detail.html"


class LessonEditView(ObjectEditView):
    model = Lesson
    form_class = LessonForm
    create_service = staticmethod(services.publish_lesson)
    update_service = staticmethod(services.update_lesson)


class LessonDeleteView(ObjectDeleteView):
    model = Lesson
    delete_service = staticmethod(services.delete_lesson)
    success_url_name = "improvement:lesson_list"


# --- opportunities -------------------------------------------------------------------------------


class OpportunityListView(ObjectListView):
    model = ImprovementOpportunity
    select_related = ("process", "owner", "raised_by")
    filterset_class = OpportunityFilterSet
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Status", "status", "status"),
        ("Process", "process", "process__code"),
        ("Owner", "owner", "owner__username"),
        ("Raised by", "raised_by", ""),
    ]
    default_ordering = "-reference"
    add_url_name = "improvement:opportunity_add"


class OpportunityView(ObjectView):
    model = ImprovementOpportunity
    select_related = ("process", "owner", "raised_by", "created_by")
    template_name = "improvement/opportunity_detail.html"
    workflow = OPPORTUNITY_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        from qualitas.actions.queries import actions_about

        context["opp_actions"] = list(actions_about(self.object).order_by("due_date", "pk"))
        context["action_form"] = NCActionForm(
            organization=self.organization, initial={"owner": self.object.owner_id, "kind": "improvement"}
        )
        return context


class OpportunityEditView(ObjectEditView):
    model = ImprovementOpportunity
    form_class = OpportunityForm
    create_service = staticmethod(services.raise_opportunity)
    update_service = staticmethod(services.update_opportunity)


class OpportunityDeleteView(ObjectDeleteView):
    model = ImprovementOpportunity
    delete_service = staticmethod(services.delete_opportunity)
    success_url_name = "improvement:opportunity_list"


class OpportunityTransitionView(ObjectTransitionView):
    model = ImprovementOpportunity
    transition_service = staticmethod(services.transition_opportunity)


class OpportunityActionAddView(NCStepView):
    model = ImprovementOpportunity
    form_class = NCActionForm
    needs_org = True
    anchor = "#actions"

    def call(self, obj: Any, data: dict[str, Any]) -> Any:
        self.check_allowed("change", obj)
        return services.add_opportunity_action(obj, actor=self.request.user, data=data)


# --- taxonomy, settings, preferences -------------------------------------------------------------


class CauseCategoryListView(ObjectListView):
    model = CauseCategory
    columns = [
        ("Name", "name", "name"),
        ("Description", "description", ""),
        ("6M", "six_m", "six_m"),
        ("Active", "is_active", "is_active"),
    ]
    default_ordering = "name"
    add_url_name = "improvement:causecategory_add"
    template_name = "improvement/causecategory_list.html"


class CauseCategoryEditView(ObjectEditView):
    model = CauseCategory
    form_class = CauseCategoryForm
    create_service = staticmethod(services.create_cause_category)
    update_service = staticmethod(services.update_cause_category)

    def success_url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse("improvement:causecategory_list")


class CauseCategoryDeleteView(ObjectDeleteView):
    model = CauseCategory
    delete_service = staticmethod(services.delete_cause_category)
    success_url_name = "improvement:causecategory_list"


class SeedCategoriesView(TenantObjectMixin, View):
    model = CauseCategory

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check_allowed("add")
        made = services.seed_cause_categories(self.organization, actor=request.user)
        messages.success(request, f"Added {made} default categories.")
        return redirect("improvement:causecategory_list")


class _SingletonEditView(TenantObjectMixin, View):
    """Edit a per-organization (or per-person) settings row that may not exist yet."""

    form_class: ClassVar[Any]
    title: ClassVar[str]
    save: ClassVar[Callable[..., Any]]

    def current(self) -> Any:
        raise NotImplementedError

    def respond(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "core/object_edit.html",
            {"form": form, "title": self.title, "object": None},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        obj = self.current()
        return self.respond(self.form_class(instance=obj, organization=self.organization))

    def post(self, request: HttpRequest) -> HttpResponse:
        obj = self.current()
        form = self.form_class(request.POST, instance=obj, organization=self.organization)
        if not form.is_valid():
            return self.respond(form, 400)
        try:
            type(self).save(self.organization, actor=request.user, data=form.service_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.respond(form, 400)
        messages.success(request, "Saved.")
        return redirect(request.path)


class SettingsView(_SingletonEditView):
    model = ImprovementSettings
    form_class = SettingsForm
    title = "Corrective-action rules"
    save = staticmethod(services.save_settings)

    def current(self) -> Any:
        obj = self.get_queryset().first()
        self.check_allowed("change" if obj else "add", obj)
        return obj or ImprovementSettings(organization=self.organization)


class PreferencesView(_SingletonEditView):
    model = NotificationPreference
    form_class = PreferenceForm
    title = "My improvement notifications"
    save = staticmethod(services.save_preferences)

    def current(self) -> Any:
        obj = self.get_queryset().filter(user=self.request.user).first()
        self.check_allowed("add")
        return obj or NotificationPreference(organization=self.organization, user=self.request.user)
