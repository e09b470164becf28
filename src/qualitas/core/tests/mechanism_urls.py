"""The site's routes plus a few built only from core's base views, for core's own tests."""

from typing import Any

from django import forms
from django.urls import path

from qualitas.actions import services as actions
from qualitas.actions.choices import Priority
from qualitas.actions.models import Action
from qualitas.core import services as generic
from qualitas.core.tabular.imports import ImportColumn, ImportSpec, choice, date, member, text
from qualitas.core.views import (
    ImportView,
    ObjectActionView,
    ObjectDeleteView,
    ObjectEditView,
    SingletonEditView,
)
from qualitas.planning import services as planning
from qualitas.planning.forms import IdentityForm, InterestedPartyForm
from qualitas.planning.models import Identity, InterestedParty
from qualitas.urls import urlpatterns as site


class DueDateForm(forms.Form):
    due_date = forms.DateField()
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ActionDueDateView(ObjectActionView):
    model = Action
    form_class = DueDateForm
    service = staticmethod(actions.update_action)
    title = "Move the due date"
    message = "Due date of %(object)s moved."

    def service_kwargs(self, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"data": {"due_date": data["due_date"]}, "expected_version": data.get("version")}


class ActionDeleteButton(ObjectActionView):
    model = Action
    service = staticmethod(generic.delete_record)
    permission = "delete"
    message = "Deleted."

    def success_url(self, obj: Any, result: Any) -> str:
        return "/actions/"


class PartyGenericEdit(ObjectEditView):  # no services named: core's generic writers
    model = InterestedParty
    form_class = InterestedPartyForm


class PartyGenericDelete(ObjectDeleteView):
    model = InterestedParty
    success_url_name = "planning:interestedparty_list"


class IdentityWithServices(SingletonEditView):
    model = Identity
    form_class = IdentityForm
    get_service = staticmethod(planning.get_identity)
    save_service = staticmethod(planning.save_identity)
    success_url_name = "planning:identity"


class IdentityGeneric(SingletonEditView):
    model = Identity
    form_class = IdentityForm
    success_url_name = "planning:identity"


class ActionImport(ImportSpec):
    key = "test-actions"
    model = Action
    noun = "actions"
    max_rows = 5
    columns = [
        ImportColumn("title", required=True, unique=True, parse=text(200)),
        ImportColumn("owner", required=True, parse=member()),
        ImportColumn("due", key="due_date", parse=date()),
        ImportColumn("priority", parse=choice(Priority.choices), default=Priority.NORMAL),
    ]
    create_service = staticmethod(actions.create_action)


class ActionImportView(ImportView):
    spec = ActionImport()
    success_url_name = "actions:action_list"


urlpatterns = [
    *site,
    path("t/actions/<int:pk>/due/", ActionDueDateView.as_view(), name="t_action_due"),
    path("t/actions/<int:pk>/delete/", ActionDeleteButton.as_view(), name="t_action_delete"),
    path("t/identity/services/", IdentityWithServices.as_view(), name="t_identity_services"),
    path("t/identity/generic/", IdentityGeneric.as_view(), name="t_identity_generic"),
    path("t/actions/import/", ActionImportView.as_view(), name="t_action_import"),
    path("t/parties/add/", PartyGenericEdit.as_view(), name="t_party_add"),
    path("t/parties/<int:pk>/edit/", PartyGenericEdit.as_view(), name="t_party_edit"),
    path("t/parties/<int:pk>/delete/", PartyGenericDelete.as_view(), name="t_party_delete"),
]
