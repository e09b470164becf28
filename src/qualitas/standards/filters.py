import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from qualitas.standards.choices import DONE_STATES, GROUP_TITLES, RequirementStatus
from qualitas.standards.models import Requirement


class RequirementFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Clause or title"}),
    )
    group = django_filters.ChoiceFilter(
        field_name="clause__group",
        label="Clause",
        choices=[(k, f"{k} {v}") for k, v in GROUP_TITLES.items()],
        empty_label="Any clause",
    )
    status = django_filters.ChoiceFilter(choices=RequirementStatus.choices, empty_label="Any status")
    applicable = django_filters.BooleanFilter(
        widget=forms.Select(
            choices=[("", "Applicable or not"), ("true", "Applicable"), ("false", "Not applicable")]
        )
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine only", widget=forms.CheckboxInput)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    unowned = django_filters.BooleanFilter(
        method="filter_unowned", label="No owner", widget=forms.CheckboxInput
    )

    class Meta:
        model = Requirement
        fields = ["q", "group", "status", "applicable", "owner", "mine", "overdue", "unowned"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["owner"].queryset = self.filters["owner"].queryset.filter(
            memberships__organization=org, memberships__is_active=True
        )

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return (
            qs.filter(Q(clause__number__startswith=value) | Q(clause__title__icontains=value))
            if value
            else qs
        )

    def filter_mine(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(owner=self.request.user) if value else qs

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return qs.filter(target_date__lt=timezone.localdate(), applicable=True).exclude(
            status__in=DONE_STATES
        )

    def filter_unowned(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(owner__isnull=True, applicable=True) if value else qs
