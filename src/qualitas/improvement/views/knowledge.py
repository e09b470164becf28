"""Lessons learned (the knowledge base) and improvement ideas (10.3, worked through PDCA)."""

from __future__ import annotations

from typing import Any

from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
)
from qualitas.improvement import services
from qualitas.improvement.filters import LessonFilterSet, OpportunityFilterSet
from qualitas.improvement.forms import LessonForm, NCActionForm, OpportunityForm
from qualitas.improvement.models import ImprovementOpportunity, Lesson
from qualitas.improvement.views.nonconformities import PartialListView
from qualitas.improvement.workflow import OPPORTUNITY_WORKFLOW

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
    success_url_name = "improvement:opportunity_list"


class OpportunityTransitionView(ObjectTransitionView):
    model = ImprovementOpportunity
    transition_service = staticmethod(services.transition_opportunity)
