from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.assessment import exports, queries, reports, rules, services
from qualitas.assessment.choices import AssessmentMode, AssessmentStatus
from qualitas.assessment.filters import AssessmentFilterSet
from qualitas.assessment.forms import AssessmentForm, AssessorForm, ImprovementForm
from qualitas.assessment.models import Assessment, Assessor, ElementResult
from qualitas.assessment.workflow import ASSESSMENT_WORKFLOW
from qualitas.core.permissions import can
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    OrganizationRequiredMixin,
    TenantObjectMixin,
    error_messages,
    get_for_request,
    safe_next,
)

# --- catalog ---------------------------------------------------------------------------------------


class MaturityModelListView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "assessment/maturitymodel_list.html",
            {"title": "Maturity models", "models": queries.maturity_models()},
        )


class MaturityModelView(OrganizationRequiredMixin, View):
    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        model = queries.maturity_model(code)
        if model is None:
            raise Http404("No such maturity model.")
        elements = list(queries.elements_with_levels(model.elements.all()))
        small = set((model.profiles or {}).get("small", []))
        return render(
            request,
            "assessment/maturitymodel_detail.html",
            {"title": model.title, "model": model, "elements": elements, "small": small},
        )


# --- assessments -----------------------------------------------------------------------------------


class AssessmentListView(ObjectListView):
    model = Assessment
    select_related = ("facilitator",)
    filterset_class = AssessmentFilterSet
    template_name = "assessment/assessment_list.html"
    partial_template_name = "assessment/partials/_assessment_table.html"
    title = "ISO 9004 self-assessments"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Date", "date", "date"),
        ("Mode", "mode", "mode"),
        ("Facilitator", "facilitator", "facilitator__full_name"),
        ("Status", "status", "status"),
    ]
    default_ordering = "-date"
    add_url_name = "assessment:assessment_add"


class AssessmentView(ObjectView):
    model = Assessment
    select_related = ("facilitator", "maturity_model", "created_by")
    template_name = "assessment/assessment_detail.html"
    workflow = ASSESSMENT_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.object
        context["progress"] = queries.progress(obj)
        context["is_assessor"] = any(
            p["assessor"].user_id == self.request.user.pk for p in context["progress"]
        )
        context["scope_count"] = queries.elements_in_scope(obj).count()
        context["assessor_form"] = AssessorForm(organization=self.organization)
        context["previous"] = queries.previous_completed(obj)
        return context


class AssessmentEditView(ObjectEditView):
    model = Assessment
    form_class = AssessmentForm
    create_service = staticmethod(services.create_assessment)
    update_service = staticmethod(services.update_assessment)


class AssessmentDeleteView(ObjectDeleteView):
    model = Assessment
    delete_service = staticmethod(services.delete_assessment)
    success_url_name = "assessment:assessment_list"


class AssessmentTransitionView(ObjectTransitionView):
    model = Assessment
    transition_service = staticmethod(services.transition_assessment)


class AssessorAddView(ObjectActionView):
    model = Assessment
    form_class = AssessorForm
    service = staticmethod(services.add_assessor)
    title = gettext_lazy("Invite an assessor")
    submit_label = gettext_lazy("Invite")
    anchor = "#assessors"

    def get_message(self, obj: Assessment, result: Assessor) -> str:
        return _("Invited %(person)s.") % {"person": result.user}


class AssessorDeleteView(ObjectActionView):
    """Remove an invited assessor who has not rated yet (the assessment decides who may)."""

    model = Assessor
    service = staticmethod(services.remove_assessor)

    def permission_target(self, obj: Assessor) -> Any:
        return obj.assessment

    def service_kwargs(self, obj: Assessor, data: dict[str, Any]) -> dict[str, Any]:
        return {"reason": self.request.POST.get("reason", "")}

    def get_message(self, obj: Assessor, result: Any) -> str:
        return _("Removed %(person)s.") % {"person": obj.user}


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _held_back(element: Any, rating: Any) -> int:
    """Criteria ticked above the reached level: they count once the gap below is closed."""
    if rating is None or not rating.met_criteria:
        return 0
    chosen = set(rating.met_criteria)
    met = {lv.number: [c.pk in chosen for c in lv.criteria.all()] for lv in element.levels.all()}
    return rules.met_above(met, rating.level)


class RateView(TenantObjectMixin, View):
    """One assessor rates every element in scope, on their own; others' ratings stay hidden."""

    model = Assessment

    def context(
        self, assessment: Assessment, errors: dict[str, list[str]] | None = None, posted: Any = None
    ) -> dict[str, Any]:
        elements = list(queries.elements_with_levels(queries.elements_in_scope(assessment)))
        mine = queries.my_ratings(assessment, self.request.user)
        computed = queries.compute_indicators(self.organization)
        rows = []
        for e in elements:
            r = mine.get(e.pk)
            met = set(r.met_criteria if r else [])
            if posted is not None:
                met = {_int_or_none(c) for c in posted.getlist(f"crit-{e.pk}")}
            rows.append(
                {
                    "element": e,
                    "rating": r,
                    "met": met,
                    "held_back": _held_back(e, r),
                    "indicators": queries.indicators_for(e, computed),
                    "errors": (errors or {}).get(e.number, []),
                }
            )
        assessor = queries.assessor_for(assessment, self.request.user)
        return {
            "object": assessment,
            "title": f"Rate {assessment.reference}",
            "rows": rows,
            "assessor": assessor,
            "quick": assessment.mode == AssessmentMode.QUICK,
            "can_rate": assessor is not None and assessment.status == AssessmentStatus.RATING,
            "rated": len(mine),
            "level_names": assessment.maturity_model.level_names,
            "errors": errors or {},
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        return render(request, "assessment/assessment_rate.html", self.context(assessment))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        entries = []
        for e in queries.elements_in_scope(assessment):
            crit = [
                c for c in (_int_or_none(v) for v in request.POST.getlist(f"crit-{e.pk}")) if c is not None
            ]
            level = _int_or_none(request.POST.get(f"level-{e.pk}"))
            comment = request.POST.get(f"comment-{e.pk}", "")
            evidence = request.POST.get(f"evidence-{e.pk}", "")
            if crit or level is not None:
                entries.append(
                    {
                        "element": e,
                        "met_criteria": crit or None,
                        "level": level,
                        "comment": comment,
                        "evidence": evidence,
                    }
                )
            elif comment.strip() or evidence.strip():
                entries.append({"element": e, "level": None, "comment": comment, "evidence": evidence})
        try:
            services.save_ratings(
                assessment, actor=request.user, entries=entries, submit="submit" in request.POST
            )
        except ValidationError as exc:
            errors = error_messages(exc)
            ctx = self.context(assessment, errors, request.POST)
            return render(request, "assessment/assessment_rate.html", ctx, status=400)
        messages.success(
            request, "Ratings submitted." if "submit" in request.POST else f"Saved {len(entries)} ratings."
        )
        return redirect("assessment:assessment_rate", pk=assessment.pk)


class ConsensusView(TenantObjectMixin, View):
    """The facilitator sees the spread per element (most disagreement first) and records consensus."""

    model = Assessment

    def context(self, assessment: Assessment, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
        rows = queries.spread_rows(assessment) if not assessment.ratings_hidden else []
        computed = queries.compute_indicators(self.organization)
        previous = queries.previous_completed(assessment)
        before = queries.levels_by_number(previous)
        for row in rows:
            level = row.result.level if row.result else row.spread.median
            row.indicators = queries.with_contradictions(queries.indicators_for(row.element, computed), level)
            row.previous_level = before.get(row.element.number)  # type: ignore[attr-defined]
            row.errors = (errors or {}).get(row.element.number, [])  # type: ignore[attr-defined]
        return {
            "object": assessment,
            "title": f"Consensus · {assessment.reference}",
            "rows": rows,
            "can_record": assessment.status == AssessmentStatus.CONSENSUS
            and can(self.request.user, self.organization, "change", assessment),
            "levels": range(1, 6),
            "previous": previous,
            "errors": errors or {},
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        return render(request, "assessment/assessment_consensus.html", self.context(assessment))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        self.check_allowed("change", assessment)
        entries = []
        for e in queries.elements_in_scope(assessment):
            level = _int_or_none(request.POST.get(f"level-{e.pk}"))
            if level is None:
                continue
            entries.append(
                {
                    "element": e,
                    "level": level,
                    "reasoning": request.POST.get(f"reasoning-{e.pk}", ""),
                    "target_level": _int_or_none(request.POST.get(f"target-{e.pk}")),
                }
            )
        try:
            services.record_consensus_many(assessment, actor=request.user, entries=entries)
        except ValidationError as exc:
            return render(
                request,
                "assessment/assessment_consensus.html",
                self.context(assessment, error_messages(exc)),
                status=400,
            )
        messages.success(request, f"Recorded consensus for {len(entries)} elements.")
        return redirect("assessment:assessment_consensus", pk=assessment.pk)


class ResultsView(TenantObjectMixin, View):
    """Radar, gaps, strengths and weaknesses, comparison, evidence and the improvement plan."""

    model = Assessment

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        context = reports.results_context(assessment)
        context["title"] = f"Results · {assessment.reference}"
        context["can_plan"] = can(
            request.user, self.organization, "change", assessment
        ) and assessment.status in (AssessmentStatus.CONSENSUS, AssessmentStatus.COMPLETED)
        context["plan_form"] = ImprovementForm(organization=self.organization)
        return render(request, "assessment/assessment_results.html", context)


class PlanView(ObjectActionView):
    """Turn a gap on the results page into an improvement action about that element's result."""

    model = Assessment
    form_class = ImprovementForm
    title = gettext_lazy("Plan an improvement")

    def perform(self, obj: Assessment, data: dict[str, Any]) -> Any:
        result = get_for_request(
            self.request, ElementResult.objects.filter(assessment=obj), pk=data["result"]
        )
        self.result = result
        plan = {k: data[k] for k in ("title", "owner", "due_date")}
        return services.plan_improvement(result, actor=self.request.user, data=plan)

    def record_url(self, obj: Assessment) -> str:
        return reverse("assessment:assessment_results", args=[obj.pk])

    def success_url(self, obj: Assessment, result: Any) -> str:
        return safe_next(self.request, self.result.get_absolute_url())

    def get_message(self, obj: Assessment, result: Any) -> str:
        return _("Created %(action)s.") % {"action": result}


class ReportView(TenantObjectMixin, View):
    """A PDF for top management (WeasyPrint)."""

    model = Assessment

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        pdf = reports.report_pdf(assessment, request)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{assessment.reference}-report.pdf"'
        return response


class ExportView(TenantObjectMixin, View):
    model = Assessment
    fmt = "csv"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        assessment = self.get_object()
        return exports.export_response(assessment, self.fmt)
