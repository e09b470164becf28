import django_filters
from django import forms
from django.db.models import Q, QuerySet

from qualitas.audits.choices import AuditStatus, FindingKind, FindingStatus, Priority
from qualitas.audits.models import Audit, Finding


class AuditFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or reference"}),
    )
    status = django_filters.ChoiceFilter(choices=AuditStatus.choices, empty_label="Any status")
    priority = django_filters.ChoiceFilter(choices=Priority.choices, empty_label="Any priority")

    class Meta:
        model = Audit
        fields = ["q", "programme", "status", "priority"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["programme"].queryset = self.filters["programme"].queryset.filter(organization=org)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(reference__icontains=value)) if value else qs


class FindingFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=FindingKind.choices, empty_label="Any kind")
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, empty_label="Any status")

    class Meta:
        model = Finding
        fields = ["kind", "status", "audit"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["audit"].queryset = self.filters["audit"].queryset.filter(organization=org)
