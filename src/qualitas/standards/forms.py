from typing import Any, cast

from django import forms
from django.apps import apps

from qualitas.core.forms import DateInput, TenantForm, TenantModelForm
from qualitas.core.models import TenantModel
from qualitas.standards import queries
from qualitas.standards.choices import ScopeProfile
from qualitas.standards.models import LegacyProcedure, Requirement, ScopeStatement

NOT_LINKABLE = {
    "standards.requirement",
    "standards.evidencelink",
    "standards.readinesssnapshot",
    "standards.scopestatement",
    "core.comment",
    "core.attachment",
}


def linkable_model_choices() -> list[tuple[str, str]]:
    """Every kind of QMS record that can serve as evidence: all tenant models of the installed areas."""
    choices = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if (
            issubclass(model, TenantModel)
            and label not in NOT_LINKABLE
            and hasattr(model, "get_absolute_url")
        ):
            choices.append((label, f"{str(model._meta.verbose_name).capitalize()} ({model._meta.app_label})"))
    return sorted(choices, key=lambda c: c[1])


class ScopeForm(TenantModelForm):
    design_justification = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why design (8.3) does not apply",
        help_text="Needed for the production scope, e.g. 'We manufacture only to drawings and specifications "
        "supplied by our customers; we do not design products.'",
    )

    class Meta:
        model = ScopeStatement
        fields = ["profile", "statement", "sites", "products_services", "outsourced_design"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3}),
            "sites": forms.Textarea(attrs={"rows": 3}),
            "products_services": forms.Textarea(attrs={"rows": 3}),
            "profile": forms.RadioSelect,
        }

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("design_justification", None)
        return data

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("profile") == ScopeProfile.PRODUCTION
            and not cleaned.get("design_justification", "").strip()
        ):
            current = self.instance.profile if self.instance.pk else None
            if current != ScopeProfile.PRODUCTION:
                self.add_error(
                    "design_justification",
                    "The production scope declares 8.3 not applicable: say why "
                    "the organization does no design.",
                )
        return cleaned


class ApplicabilityForm(forms.Form):
    applicable = forms.TypedChoiceField(
        choices=[("1", "Applicable"), ("0", "Not applicable")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    justification = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Justification (required when not applicable)",
    )
    reason = forms.CharField(required=False, max_length=500, label="Reason for change")


class RequirementForm(TenantModelForm):
    class Meta:
        model = Requirement
        fields = ["status", "owner", "target_date", "notes"]
        widgets = {"target_date": DateInput, "notes": forms.Textarea(attrs={"rows": 4})}


class EvidenceLinkForm(TenantForm):
    record_type = forms.ChoiceField(label="Kind of record")
    record_id = forms.IntegerField(
        min_value=1,
        label="Record number (id)",
        help_text="The number at the end of the record's address, e.g. 12 in …/12/.",
    )
    note = forms.CharField(required=False, max_length=300, label="What it proves (optional)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["record_type"]).choices = linkable_model_choices()


class LegacyProcedureForm(TenantModelForm):
    class Meta:
        model = LegacyProcedure
        fields = ["reference", "title", "element", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        element = cast(forms.ModelChoiceField, self.fields["element"])
        element.queryset = queries.legacy_elements()
        element.label_from_instance = lambda obj: f"{obj.number} {obj.title}"  # type: ignore[method-assign]
