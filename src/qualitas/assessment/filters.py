import django_filters
from django import forms
from django.db.models import Q, QuerySet

from qualitas.assessment.choices import AssessmentMode, AssessmentStatus
from qualitas.assessment.models import Assessment, Rating


class AssessmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or reference"}),
    )
    status = django_filters.ChoiceFilter(choices=AssessmentStatus.choices, empty_label="Any status")
    mode = django_filters.ChoiceFilter(choices=AssessmentMode.choices, empty_label="Any mode")

    class Meta:
        model = Assessment
        fields = ["q", "status", "mode"]

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(reference__icontains=value)) if value else qs


class RatingFilterSet(django_filters.FilterSet):
    class Meta:
        model = Rating
        fields = ["assessment", "element"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["assessment"].queryset = Assessment.objects.filter(organization=org)
