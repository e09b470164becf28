"""The organization's root-cause categories, its corrective-action rules and each person's
notification preferences."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from qualitas.core.views import (
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    SingletonEditView,
    TenantObjectMixin,
)
from qualitas.improvement import services
from qualitas.improvement.forms import CauseCategoryForm, PreferenceForm, SettingsForm
from qualitas.improvement.models import CauseCategory, ImprovementSettings, NotificationPreference


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

    def success_url(self, obj: Any) -> str:
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
        messages.success(request, _("Added %(count)s default categories.") % {"count": made})
        return redirect("improvement:causecategory_list")


class SettingsView(SingletonEditView):
    model = ImprovementSettings
    form_class = SettingsForm
    title = gettext_lazy("Corrective-action rules")
    save_service = staticmethod(services.save_settings)
    success_url_name = "improvement:settings"


class PreferencesView(SingletonEditView):
    """Each person's own row: anyone who may add one edits theirs."""

    model = NotificationPreference
    form_class = PreferenceForm
    permission = "add"
    title = gettext_lazy("My improvement notifications")
    save_service = staticmethod(services.save_preferences)
    success_url_name = "improvement:preferences"

    def get_instance(self) -> Any:
        user_id: Any = self.request.user.pk  # signed in: the mixin sent anyone else to log in
        mine = NotificationPreference.objects.filter(organization=self.organization, user_id=user_id)
        return mine.first() or NotificationPreference(organization=self.organization, user_id=user_id)
