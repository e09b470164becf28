from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model

from qualitas.actions.choices import Priority
from qualitas.core.forms import DateInput, TenantForm, TenantModelForm
from qualitas.planning.choices import Effectiveness
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    Kpi,
    Objective,
    PlanningSettings,
    Process,
    QualityPolicy,
    Risk,
)

TEXT3 = forms.Textarea(attrs={"rows": 3})


class ProcessForm(TenantModelForm):
    class Meta:
        model = Process
        fields = [
            "code",
            "name",
            "process_type",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "customers",
            "resources",
            "related_documents",
            "clauses",
            "is_active",
        ]
        widgets = dict.fromkeys(
            ("purpose", "inputs", "outputs", "customers", "resources", "related_documents"), TEXT3
        )


class InteractionForm(TenantForm):
    target = forms.ModelChoiceField(queryset=Process.objects.all(), label="Its output feeds")
    description = forms.CharField(
        max_length=200,
        required=False,
        label="What flows",
        widget=forms.TextInput(attrs={"placeholder": "e.g. released work orders"}),
    )

    def __init__(self, *args: Any, source: Process | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = cast("forms.ModelChoiceField[Process]", self.fields["target"])
        if source is not None and target.queryset is not None:
            target.queryset = target.queryset.exclude(pk=source.pk)


class ContextIssueForm(TenantModelForm):
    class Meta:
        model = ContextIssue
        fields = [
            "title",
            "issue_type",
            "category",
            "description",
            "impact",
            "climate_relevant",
            "review_date",
            "is_active",
        ]
        widgets = {"description": TEXT3, "impact": TEXT3, "review_date": DateInput}


class InterestedPartyForm(TenantModelForm):
    class Meta:
        model = InterestedParty
        fields = [
            "name",
            "category",
            "is_internal",
            "needs",
            "expectations",
            "requirements",
            "climate_related",
            "monitoring",
            "review_date",
            "is_active",
        ]
        widgets = dict.fromkeys(("needs", "expectations", "requirements", "monitoring"), TEXT3) | {
            "review_date": DateInput
        }


class IdentityForm(TenantModelForm):
    class Meta:
        model = Identity
        fields = ["mission", "vision", "values", "culture"]
        widgets = dict.fromkeys(("mission", "vision", "values", "culture"), TEXT3)


class PolicyForm(TenantModelForm):
    class Meta:
        model = QualityPolicy
        fields = ["title", "text", "effective_from"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12}), "effective_from": DateInput}


class CommunicationForm(TenantForm):
    date = forms.DateField(widget=DateInput)
    channel = forms.CharField(
        max_length=100, widget=forms.TextInput(attrs={"placeholder": "e.g. staff meeting"})
    )
    audience = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "e.g. all employees"})
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskForm(TenantModelForm):
    class Meta:
        model = Risk
        fields = [
            "kind",
            "title",
            "description",
            "source",
            "context_issue",
            "interested_party",
            "process",
            "likelihood",
            "impact",
            "treatment",
            "treatment_plan",
            "residual_likelihood",
            "residual_impact",
            "owner",
            "review_date",
            "effectiveness",
            "effectiveness_note",
        ]
        widgets = {
            "description": TEXT3,
            "treatment_plan": TEXT3,
            "effectiveness_note": TEXT3,
            "review_date": DateInput,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from qualitas.planning.services import get_settings

        size = get_settings(self.organization).matrix_size
        scale: list[tuple[int | str, str]] = [(i, str(i)) for i in range(1, size + 1)]
        for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            required = name in ("likelihood", "impact")
            self.fields[name] = forms.TypedChoiceField(
                choices=scale if required else [("", "—"), *scale],
                coerce=int,
                required=required,
                empty_value=None,
                label=self.fields[name].label,
                help_text=f"1 (lowest) to {size} (highest)",
            )
        self.fields[
            "treatment"
        ].help_text = (
            "Risks: avoid, reduce, accept, transfer. Opportunities: pursue, enhance, share, do not pursue."
        )


class RiskReviewForm(forms.Form):
    next_review = forms.DateField(widget=DateInput, required=False, label="Next review")
    effectiveness = forms.ChoiceField(
        choices=[("", "unchanged"), *Effectiveness.choices], required=False, label="Treatment actions were"
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label="Review note"
    )


class PlanActionForm(TenantForm):
    title = forms.CharField(max_length=200)
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.all())
    due_date = forms.DateField(widget=DateInput, required=False)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectiveForm(TenantModelForm):
    class Meta:
        model = Objective
        fields = [
            "title",
            "description",
            "target",
            "owner",
            "due_date",
            "policy",
            "strategy",
            "process",
            "resources",
            "evaluation",
            "status",
        ]
        widgets = {"description": TEXT3, "resources": TEXT3, "evaluation": TEXT3, "due_date": DateInput}


class KpiForm(TenantModelForm):
    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "target",
            "warning",
            "alarm",
            "frequency",
            "owner",
            "process",
            "objective",
            "is_active",
        ]
        widgets = {"description": TEXT3}


class MeasurementForm(TenantForm):
    period = forms.DateField(
        widget=DateInput, help_text="Any day of the period; it is stored as the period start."
    )
    value = forms.FloatField()
    note = forms.CharField(required=False, max_length=300)


class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="CSV (UTF-8, comma or semicolon) or XLSX; the first row names the columns."
    )


class SettingsForm(TenantModelForm):
    matrix_size = forms.TypedChoiceField(choices=[(3, "3 × 3"), (4, "4 × 4"), (5, "5 × 5")], coerce=int)

    class Meta:
        model = PlanningSettings
        fields = ["matrix_size"]
