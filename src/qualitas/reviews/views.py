from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from qualitas.core import charts
from qualitas.core.views import (
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
    TenantObjectMixin,
    safe_next,
)
from qualitas.reviews import queries, services
from qualitas.reviews.forms import MinuteForm, OutputForm, ReviewForm
from qualitas.reviews.models import ManagementReview, ReviewOutput
from qualitas.reviews.workflow import REVIEW_WORKFLOW


def chart_svg(chart: dict[str, Any] | None, title: str) -> str:
    """Render an input's chart description with core.charts (bar: one series; line: named series)."""
    if not chart or not chart.get("labels"):
        return ""
    labels = [str(x) for x in chart["labels"]]
    series = chart.get("series") or []
    try:
        if series and all(isinstance(v, (int, float)) or v is None for v in series):
            return charts.bar_chart(labels, [float(v or 0) for v in series], title=title, height=200)
        named = []
        for i, s in enumerate(series):
            if isinstance(s, dict):
                named.append(charts.Series(str(s.get("name", f"Series {i + 1}")), list(s.get("values", []))))
            elif isinstance(s, (list, tuple)) and len(s) == 2 and isinstance(s[1], (list, tuple)):
                named.append(charts.Series(str(s[0]), list(s[1])))
        if not named:
            return ""
        if chart.get("type") == "bar" and len(named) == 1:
            return charts.bar_chart(labels, [float(v or 0) for v in named[0].values], title=title, height=200)
        return charts.line_chart(labels, named, title=title, height=220)
    except (TypeError, ValueError, ZeroDivisionError):
        return ""


def review_sections(review: ManagementReview) -> list[dict[str, Any]]:
    sections = queries.sections_for(review)
    minutes = {m.key: m.text for m in review.minutes.all()} if not review.is_frozen else {}
    for s in sections:
        s["chart_svg"] = chart_svg(s.get("chart"), s.get("label", ""))
        if not review.is_frozen:
            s["minutes"] = minutes.get(s["key"], "")
    return sections


class ReviewListView(ObjectListView):
    model = ManagementReview
    title = "Management reviews"
    select_related = ("chair",)
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Planned", "planned_date", "planned_date"),
        ("Held", "held_on", "held_on"),
        ("Chair", "chair", ""),
        ("Status", "status", "status"),
    ]
    default_ordering = "-planned_date"
    add_url_name = "reviews:review_add"
    template_name = "reviews/review_list.html"

    def extra_context(self) -> dict[str, Any]:
        return {"next_due": queries.next_review_due(self.organization)}


class ReviewView(ObjectView):
    model = ManagementReview
    select_related = ("chair", "created_by")
    prefetch_related = ("attendees",)
    template_name = "reviews/review_detail.html"
    workflow = REVIEW_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        r = self.object
        context.update(
            {
                "sections": review_sections(r),
                "outputs": list(r.outputs.select_related("owner", "action")),
                "editable": r.status in services.OPEN_FOR_EDIT and context["can_change"],
                "output_form": OutputForm(organization=r.organization, initial={"review": r.pk}),
                "today": timezone.localdate(),
            }
        )
        return context


class ReviewEditView(ObjectEditView):
    model = ManagementReview
    form_class = ReviewForm
    create_service = staticmethod(services.create_review)
    update_service = staticmethod(services.update_review)


class ReviewDeleteView(ObjectDeleteView):
    model = ManagementReview
    delete_service = staticmethod(services.delete_review)
    success_url_name = "reviews:review_list"


class ReviewTransitionView(ObjectTransitionView):
    model = ManagementReview
    transition_service = staticmethod(services.transition_review)


class MinuteSaveView(ObjectActionView):
    """Write the minutes of one input, from the review page."""

    model = ManagementReview
    form_class = MinuteForm
    inline = True
    service = staticmethod(services.save_minute)
    message = _("Minutes saved.")

    def record_url(self, obj: ManagementReview) -> str:
        return f"{obj.get_absolute_url()}#input-{self.request.POST.get('key', '')}"

    def success_url(self, obj: ManagementReview, result: Any) -> str:
        return safe_next(self.request, self.record_url(obj))


class MinutesPDFView(TenantObjectMixin, View):
    model = ManagementReview

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        review = self.get_object()
        html = minutes_html(review)
        if request.GET.get("format") == "html":
            return HttpResponse(html)
        from weasyprint import HTML

        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{review.reference}-minutes.pdf"'
        return response


def minutes_html(review: ManagementReview) -> str:
    snapshot = review.snapshot or {}
    return render_to_string(
        "reviews/minutes_pdf.html",
        {
            "review": review,
            "organization": review.organization,
            "sections": review_sections(review),
            "outputs": list(review.outputs.select_related("owner", "action")),
            "attendees": snapshot.get("attendees") or [str(u) for u in review.attendees.all()],
            "frozen": review.is_frozen,
            "generated_at": timezone.now(),
        },
    )


class OutputView(ObjectView):
    model = ReviewOutput
    select_related = ("review", "owner", "action")
    template_name = "reviews/output_detail.html"


class OutputEditView(ObjectEditView):
    model = ReviewOutput
    form_class = OutputForm
    create_service = staticmethod(services.create_output)
    update_service = staticmethod(services.update_output)

    def success_url(self, obj: Any) -> str:
        return obj.review.get_absolute_url() + "#outputs"


class OutputDeleteView(ObjectDeleteView):
    model = ReviewOutput
    delete_service = staticmethod(services.delete_output)
    success_url_name = "reviews:review_list"


class OutputListView(ObjectListView):
    model = ReviewOutput
    title = "Review decisions"
    select_related = ("review", "owner", "action")
    columns = [
        ("Decision", "decision", ""),
        ("Kind", "kind", "kind"),
        ("Review", "review", "review__planned_date"),
        ("Owner", "owner", ""),
        ("Due", "due_date", "due_date"),
        ("Action status", "action__status", ""),
    ]
    default_ordering = "due_date"
