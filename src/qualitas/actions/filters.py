import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from qualitas.actions.choices import OPEN_STATES, ActionKind, ActionStatus, Priority
from qualitas.actions.models import Action
from qualitas.core.forms import FastSelect
from qualitas.core.search import contains


class ActionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or reference"}),
    )
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices, empty_label="Any status")
    kind = django_filters.ChoiceFilter(choices=ActionKind.choices, empty_label="Any kind")
    priority = django_filters.ChoiceFilter(choices=Priority.choices, empty_label="Any priority")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine only", widget=forms.CheckboxInput)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Action
        fields = ["q", "status", "kind", "priority", "owner", "mine", "overdue", "due_before"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["owner"].queryset = self.filters["owner"].queryset.filter(
            memberships__organization=org, memberships__is_active=True
        )
        self.filters["owner"].extra["widget"] = FastSelect

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return contains(qs, Action.trigram_search, value)

    def filter_mine(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(owner=self.request.user) if value else qs

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(status__in=OPEN_STATES, due_date__lt=timezone.localdate()) if value else qs
