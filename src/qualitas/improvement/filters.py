import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from qualitas.core.search import contains
from qualitas.improvement.choices import OPEN_NC_STATES, NCStatus, OpportunityStatus, Severity, Source
from qualitas.improvement.models import CauseCategory, ImprovementOpportunity, Lesson, Nonconformity
from qualitas.improvement.queries import settings_for_request
from qualitas.planning.queries import processes_of


def _org_filter(filterset: django_filters.FilterSet, *names: str) -> None:
    org = getattr(filterset.request, "organization", None)
    for name in names:
        f = filterset.filters[name]
        f.queryset = f.queryset.filter(organization=org)


class NonconformityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, reference, product or lot"}),
    )
    status = django_filters.ChoiceFilter(choices=NCStatus.choices, empty_label="Any status")
    open = django_filters.BooleanFilter(method="filter_open", label="Open only", widget=forms.CheckboxInput)
    severity = django_filters.ChoiceFilter(choices=Severity.choices, empty_label="Any severity")
    source = django_filters.ChoiceFilter(choices=Source.choices, empty_label="Any source")
    process = django_filters.ModelChoiceFilter(
        queryset=lambda request: processes_of(getattr(request, "organization", None)),
        empty_label="Any process",
    )
    cause_category = django_filters.ModelChoiceFilter(
        queryset=CauseCategory.objects.all(), empty_label="Any cause", label="Root-cause category"
    )
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Overdue only", widget=forms.CheckboxInput
    )
    detected_after = django_filters.DateFilter(
        field_name="detected_on",
        lookup_expr="gte",
        label="Detected from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    detected_before = django_filters.DateFilter(
        field_name="detected_on",
        lookup_expr="lte",
        label="Detected to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Nonconformity
        fields = [
            "q",
            "status",
            "open",
            "severity",
            "source",
            "process",
            "cause_category",
            "overdue",
            "detected_after",
            "detected_before",
        ]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        _org_filter(self, "cause_category")
        org = getattr(self.request, "organization", None)
        if org is not None:  # the organization's lists, retired entries included (old records)
            found = settings_for_request(self.request, org)
            for kind in ("source", "severity"):
                self.filters[kind].extra["choices"] = [(e["code"], e["label"]) for e in found.entries(kind)]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return contains(qs, Nonconformity.trigram_search, value)

    def filter_open(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(status__in=OPEN_NC_STATES) if value else qs

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(status__in=OPEN_NC_STATES, due_date__lt=timezone.localdate()) if value else qs


class LessonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words or tags"}),
    )

    class Meta:
        model = Lesson
        fields = ["q"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:8]:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(tags__icontains=word))
        return qs


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label="Search", widget=forms.TextInput(attrs={"type": "search"})
    )
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices, empty_label="Any status")

    class Meta:
        model = ImprovementOpportunity
        fields = ["q", "status"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(reference__icontains=value)) if value else qs
