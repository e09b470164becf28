from __future__ import annotations

from typing import Any, cast

from django import forms

from qualitas.accounts.choices import Role
from qualitas.core.forms import TenantForm, TenantModelForm
from qualitas.production import spc
from qualitas.production.choices import Frequency, LotDecision
from qualitas.production.models import Characteristic, InspectionPlan, Lot, Product

RULE_CHOICES = [(code, f"{code} — {rule.name}") for code, rule in spc.RULES.items()]


class ProductForm(TenantModelForm):
    release_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Extra roles allowed to release lots.",
    )

    class Meta:
        model = Product
        fields = ["part_number", "revision", "name", "customer", "owner", "release_roles", "is_active"]


class CharacteristicForm(TenantModelForm):
    rules = forms.MultipleChoiceField(
        choices=RULE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: WE1–WE4 for measured values, WE1 and WE4 for attributes (zone rules off).",
    )

    class Meta:
        model = Characteristic
        fields = [
            "product",
            "name",
            "kind",
            "nominal",
            "lsl",
            "usl",
            "unit",
            "acceptance_number",
            "criticality",
            "method",
            "equipment",
            "subgroup_size",
            "chart_type",
            "rules",
            "signal_action",
        ]


class PlanForm(TenantModelForm):
    characteristics = forms.ModelMultipleChoiceField(
        queryset=Characteristic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sample_size = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="Readings per check; empty: each characteristic's subgroup size.",
    )
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.PER_LOT)
    every_n = forms.IntegerField(min_value=1, required=False, label="N (for 1 in N)")
    aql = forms.CharField(max_length=20, required=False, label="AQL / sampling scheme")
    recorder_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who may record. None ticked: everyone but viewers.",
    )

    class Meta:
        model = InspectionPlan
        fields = ["product", "name", "stage", "recorder_roles", "instructions", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chars = cast(forms.ModelMultipleChoiceField, self.fields["characteristics"])
        chars.queryset = Characteristic.objects.filter(organization=self.organization).select_related(
            "product"
        )
        if self.instance.pk:
            items = list(self.instance.items.all())
            self.fields["characteristics"].initial = [i.characteristic_id for i in items]
            if items:
                first = items[0]
                self.fields["frequency"].initial = first.frequency
                self.fields["every_n"].initial = first.every_n
                self.fields["aql"].initial = first.aql
                self.fields["sample_size"].initial = first.sample_size

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        product = data.get("product")
        for ch in data.get("characteristics") or []:
            if product is not None and ch.product_id != product.pk:
                self.add_error("characteristics", f"{ch} belongs to another product.")
        return data

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        chars = data.pop("characteristics", [])
        common = {k: data.pop(k) for k in ("sample_size", "frequency", "every_n", "aql")}
        data["items"] = [{"characteristic": ch, **common} for ch in chars]
        return data


class LotForm(TenantModelForm):
    class Meta:
        model = Lot
        fields = ["product", "number", "quantity", "parents", "note"]
        widgets = {"parents": forms.SelectMultiple(attrs={"size": 6})}


class ReleaseForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password (signature)",
    )
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class DispositionForm(forms.Form):
    decision = forms.ChoiceField(choices=LotDecision.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, label="What is done and why"
    )


class LockLimitsForm(forms.Form):
    first = forms.IntegerField(min_value=1, required=False, label="First baseline subgroup")
    last = forms.IntegerField(min_value=1, required=False, label="Last baseline subgroup")
    reason = forms.CharField(required=False, max_length=500, label="Reason (needed to recompute)")


class ExcludePointForm(forms.Form):
    subgroup = forms.IntegerField(min_value=1)
    reason = forms.CharField(max_length=500)


class ImportForm(TenantForm):
    file = forms.FileField(
        help_text="CSV or XLSX with columns: characteristic, lot, value or defects, and "
        "optionally sample_size, subgroup."
    )
    product = forms.ModelChoiceField(queryset=Product.objects.all())
