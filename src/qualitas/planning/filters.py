import django_filters
from django import forms
from django.db.models import Q, QuerySet

from qualitas.core.search import contains
from qualitas.planning.choices import (
    IssueCategory,
    IssueType,
    KpiStatus,
    ObjectiveStatus,
    PartyCategory,
    ProcessType,
    RiskKind,
    RiskLevel,
    RiskStatus,
)
from qualitas.planning.models import ContextIssue, InterestedParty, Kpi, Measurement, Objective, Process, Risk
from qualitas.planning.queries import reviews_overdue

SEARCH = {"type": "search"}


class _OrgFilterSet(django_filters.FilterSet):
    """Limits related-record choices to the request's organization."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        for name in ("owner",):
            if name in self.filters:
                self.filters[name].queryset = self.filters[name].queryset.filter(
                    memberships__organization=org, memberships__is_active=True
                )
        for name in ("process", "objective", "kpi"):
            if name in self.filters:
                self.filters[name].queryset = self.filters[name].queryset.filter(organization=org)


class ProcessFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={**SEARCH, "placeholder": "Code or name"}),
    )
    process_type = django_filters.ChoiceFilter(choices=ProcessType.choices, empty_label="Any type")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = Process
        fields = ["q", "process_type", "owner", "is_active"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else qs


class ContextIssueFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Search", widget=forms.TextInput(attrs=SEARCH)
    )
    issue_type = django_filters.ChoiceFilter(choices=IssueType.choices, empty_label="Internal or external")
    category = django_filters.ChoiceFilter(choices=IssueCategory.choices, empty_label="Any category")
    climate_relevant = django_filters.BooleanFilter(
        widget=forms.CheckboxInput, method="only_true", label="Climate-relevant only"
    )

    class Meta:
        model = ContextIssue
        fields = ["q", "issue_type", "category", "climate_relevant"]

    def only_true(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(**{name: True}) if value else qs


class InterestedPartyFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label="Search", widget=forms.TextInput(attrs=SEARCH)
    )
    category = django_filters.ChoiceFilter(choices=PartyCategory.choices, empty_label="Any category")

    class Meta:
        model = InterestedParty
        fields = ["q", "category", "is_internal"]


class RiskFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={**SEARCH, "placeholder": "Title or reference"}),
    )
    kind = django_filters.ChoiceFilter(choices=RiskKind.choices, empty_label="Risks and opportunities")
    level = django_filters.ChoiceFilter(
        choices=RiskLevel.choices,
        empty_label="Any level",
        help_text="The residual level when assessed, otherwise the inherent one.",
    )
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Any status")
    likelihood = django_filters.NumberFilter(widget=forms.HiddenInput)
    impact = django_filters.NumberFilter(widget=forms.HiddenInput)
    review_overdue = django_filters.BooleanFilter(
        method="filter_review_overdue", label="Review overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Risk
        fields = [
            "q",
            "kind",
            "process",
            "level",
            "status",
            "owner",
            "review_overdue",
            "likelihood",
            "impact",
        ]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return contains(qs, Risk.trigram_search, value)

    def filter_review_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return reviews_overdue(qs)


class ObjectiveFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label="Search", widget=forms.TextInput(attrs=SEARCH)
    )
    status = django_filters.ChoiceFilter(choices=ObjectiveStatus.choices, empty_label="Any status")

    class Meta:
        model = Objective
        fields = ["q", "status", "owner", "process"]


class KpiFilterSet(_OrgFilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={**SEARCH, "placeholder": "Code or name"}),
    )

    class Meta:
        model = Kpi
        fields = ["q", "process", "objective", "owner", "is_active"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else qs


class MeasurementFilterSet(_OrgFilterSet):
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=KpiStatus.choices)

    class Meta:
        model = Measurement
        fields = ["kpi", "period_from", "period_to", "status"]
