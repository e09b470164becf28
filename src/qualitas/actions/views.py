from typing import Any

from qualitas.actions import services
from qualitas.actions.filters import ActionFilterSet
from qualitas.actions.forms import ActionForm, CompleteActionForm
from qualitas.actions.models import Action
from qualitas.actions.workflow import ACTION_WORKFLOW
from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectTransitionView,
    ObjectView,
)


class ActionListView(ObjectListView):
    model = Action
    select_related = ("owner",)
    filterset_class = ActionFilterSet
    template_name = "actions/action_list.html"
    partial_template_name = "actions/partials/_action_table.html"
    columns = [
        ("Ref.", "reference", "reference"),
        ("Title", "title", "title"),
        ("Owner", "owner", "owner__username"),
        ("Due", "due_date", "due_date"),
        ("Priority", "priority", "priority"),
        ("Status", "status", "status"),
    ]
    default_ordering = "due_date"
    add_url_name = "actions:action_add"


class ActionView(ObjectView):
    model = Action
    select_related = ("owner", "subject_type", "created_by")
    template_name = "actions/action_detail.html"
    workflow = ACTION_WORKFLOW

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["complete_form"] = CompleteActionForm(initial={"note": self.object.completion_note})
        return context


class ActionEditView(ObjectEditView):
    model = Action
    form_class = ActionForm
    create_service = staticmethod(services.create_action)
    update_service = staticmethod(services.update_action)


class ActionDeleteView(ObjectDeleteView):
    model = Action
    success_url_name = "actions:action_list"


class ActionTransitionView(ObjectTransitionView):
    model = Action
    transition_service = staticmethod(services.transition_action)
