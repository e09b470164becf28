import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from qualitas.core.search import contains
from qualitas.documents.choices import DocumentType, RecordStatus
from qualitas.documents.models import Document, DocumentStatus, Record


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Code, title or tag"}),
    )
    doc_type = django_filters.ChoiceFilter(choices=DocumentType.choices, empty_label="Any type", label="Type")
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", label="Review overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine only", widget=forms.CheckboxInput)

    class Meta:
        model = Document
        fields = ["q", "doc_type", "status", "owner", "process", "overdue", "mine"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["owner"].queryset = self.filters["owner"].queryset.filter(
            memberships__organization=org, memberships__is_active=True
        )
        self.filters["process"].queryset = self.filters["process"].queryset.filter(organization=org)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return qs
        return contains(qs, Document.trigram_search, value)

    def filter_overdue(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return qs.filter(status=DocumentStatus.EFFECTIVE, next_review_due__lt=timezone.localdate())

    def filter_mine(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        return qs.filter(owner=self.request.user) if value else qs


class RecordFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label="Search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or reference"}),
    )
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices, empty_label="Any status")
    due = django_filters.BooleanFilter(method="filter_due", label="Disposal due", widget=forms.CheckboxInput)

    class Meta:
        model = Record
        fields = ["q", "record_type", "status", "due"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["record_type"].queryset = self.filters["record_type"].queryset.filter(organization=org)

    def search(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(title__icontains=value) | Q(reference__icontains=value)) if value else qs

    def filter_due(self, qs: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return qs
        return qs.filter(status=RecordStatus.RETAINED, disposal_due__lte=timezone.localdate())
