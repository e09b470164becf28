import datetime as dt
from typing import Any

from qualitas.actions.models import Action
from qualitas.actions.tests.factories import make_action
from qualitas.core.testing.cases import APITestCases, ViewTestCases


class ActionViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Action
    url_prefix = "actions:action"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Action:
        return make_action(org, actor)

    def url(self, suffix: str, *args: Any) -> str:
        from django.urls import reverse

        return reverse(
            {
                "list": "actions:action_list",
                "add": "actions:action_add",
                "edit": "actions:action_edit",
                "delete": "actions:action_delete",
            }[suffix],
            args=args,
        )

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Check torque wrench",
            "kind": "task",
            "owner": self.owner.pk,
            "priority": "normal",
            "due_date": "2030-01-31",
        }

    def update_data(self, obj: Action) -> dict[str, Any]:
        return {
            "title": obj.title + " (revised)",
            "kind": obj.kind,
            "owner": obj.owner_id,
            "priority": "high",
            "due_date": "",
        }


class ActionAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Action
    url_prefix = "actions:action"
    api_basename = "action"
    api_list_query_count = 3

    def make(self, org: Any, actor: Any) -> Action:
        return make_action(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Order spare probe", "owner": self.owner.pk, "due_date": str(dt.date(2030, 5, 1))}

    def api_update_data(self, obj: Action) -> dict[str, Any]:
        return {"priority": "urgent"}
