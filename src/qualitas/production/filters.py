import django_filters
from django import forms
from django.db.models import Q, QuerySet

from qualitas.production.choices import Criticality, LotStatus, Stage
from qualitas.production.models import Characteristic, InspectionPlan, Lot, Product


def _search(fields: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def method(self, qs: QuerySet, name: str, value: str) -> QuerySet:  # type: ignore[no-untyped-def]
        if not value:
            return qs
        q = Q()
        for f in fields:
            q |= Q(**{f"{f}__icontains": value})
        return qs.filter(q)

    return method


SEARCH = {"widget": forms.TextInput(attrs={"type": "search", "placeholder": "Search"}), "label": "Search"}


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", **SEARCH)
    search = _search(("part_number", "name", "customer"))

    class Meta:
        model = Product
        fields = ["q", "is_active"]


class CharacteristicFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", **SEARCH)
    criticality = django_filters.ChoiceFilter(choices=Criticality.choices, empty_label="Any criticality")
    search = _search(("name", "product__part_number"))

    class Meta:
        model = Characteristic
        fields = ["q", "product", "criticality", "kind", "chart_type"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["product"].queryset = Product.objects.filter(organization=org)


class PlanFilterSet(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, empty_label="Any stage")

    class Meta:
        model = InspectionPlan
        fields = ["product", "stage", "is_active"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["product"].queryset = Product.objects.filter(organization=org)


class LotFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", **SEARCH)
    status = django_filters.ChoiceFilter(choices=LotStatus.choices, empty_label="Any status")
    search = _search(("number", "product__part_number"))

    class Meta:
        model = Lot
        fields = ["q", "product", "status"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        org = getattr(self.request, "organization", None)
        self.filters["product"].queryset = Product.objects.filter(organization=org)
