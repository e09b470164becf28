from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from qualitas.actions.choices import ActionKind
from qualitas.core.forms import DateInput, TenantForm, TenantModelForm
from qualitas.improvement.choices import Disposition, SixM
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementOpportunity,
    ImprovementSettings,
    Lesson,
    Nonconformity,
    NotificationPreference,
)


class NonconformityForm(TenantModelForm):
    class Meta:
        model = Nonconformity
        fields = [
            "title",
            "description",
            "source",
            "severity",
            "process",
            "site",
            "product",
            "lot",
            "quantity",
            "detected_on",
            "detected_by",
            "owner",
            "due_date",
            "containment",
            "cost",
        ]
        widgets = {
            "detected_on": DateInput,
            "due_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
            "containment": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"cost": "Cost of poor quality"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        site.queryset = site.queryset.filter(organization=self.organization)  # type: ignore[attr-defined]
        self.fields["detected_on"].required = False
        _org_choice_fields(self, self.organization, self.instance)


def _org_choice_fields(form: forms.BaseForm, organization: Any, instance: Any = None) -> None:
    """Source and severity offer the organization's active entries (plus the record's own code)."""
    from qualitas.improvement.queries import settings_for

    found = settings_for(organization)
    for kind in ("source", "severity"):
        if kind in form.fields:
            old = form.fields[kind]
            form.fields[kind] = forms.ChoiceField(
                label=old.label,
                choices=found.choices(kind, keep=getattr(instance, kind, "") if instance is not None else ""),
                initial=old.initial,
                widget=old.widget if isinstance(old.widget, forms.RadioSelect) else forms.Select,
            )


class QuickReportForm(TenantForm):
    """The operator's report: under a minute on a phone."""

    title = forms.CharField(
        label="What is wrong?",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "e.g. Burr on edge"}),
    )
    product = forms.CharField(label="Part or product", max_length=200, required=False)
    lot = forms.CharField(label="Lot / order", max_length=100, required=False)
    quantity = forms.DecimalField(
        label="How many?",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"inputmode": "decimal"}),
    )
    severity = forms.ChoiceField(
        label="How bad?",
        choices=[("minor", "Minor"), ("major", "Major"), ("critical", "Critical")],
        initial="minor",
        widget=forms.RadioSelect,
    )  # replaced by the organization's severities in __init__
    containment = forms.CharField(
        label="What did you do right away?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "e.g. Parts tagged red"}),
    )
    photo = forms.FileField(
        label="Photo",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _org_choice_fields(self, self.organization)
        # Least severe first on the phone: the usual answer is the first tile.
        self.fields["severity"].choices = list(reversed(self.fields["severity"].choices))  # type: ignore[attr-defined]


class NCTransitionNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000)
    reason = forms.CharField(required=False, max_length=2000)


class RootCauseForm(TenantForm):
    cause_category = forms.ModelChoiceField(
        queryset=CauseCategory.objects.none(), label="Root-cause category"
    )
    root_cause = forms.CharField(
        label="Root cause statement",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        from qualitas.improvement.queries import categories

        super().__init__(*args, organization=organization, **kwargs)
        self.fields["cause_category"].queryset = categories(organization, active_only=True)  # type: ignore[attr-defined]


class WhyForm(forms.Form):
    why = forms.CharField(label="Why?", max_length=300)
    because = forms.CharField(label="Because…", max_length=300)


class CauseForm(forms.Form):
    category = forms.ChoiceField(choices=SixM.choices, label="6M category")
    text = forms.CharField(label="Possible cause", max_length=200)
    is_root = forms.BooleanField(label="This is the root cause", required=False)


class DispositionForm(forms.Form):
    disposition = forms.ChoiceField(choices=[c for c in Disposition.choices if c[0]], label="Disposition")
    concession_reference = forms.CharField(
        required=False,
        max_length=100,
        label="Concession reference",
        help_text="Required for use as is under concession.",
    )


class NCActionForm(TenantForm):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(
        choices=[(k, label) for k, label in ActionKind.choices if k != ActionKind.TASK],
        initial=ActionKind.CORRECTIVE,
    )
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.all())
    due_date = forms.DateField(required=False, widget=DateInput)


class LessonForm(TenantModelForm):
    class Meta:
        model = Lesson
        fields = ["title", "summary", "tags", "nonconformity"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}


class PublishLessonForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    tags = forms.CharField(required=False, max_length=300)


class OpportunityForm(TenantModelForm):
    class Meta:
        model = ImprovementOpportunity
        fields = [
            "title",
            "description",
            "expected_benefit",
            "process",
            "owner",
            "plan_notes",
            "do_notes",
            "check_notes",
            "act_notes",
        ]
        widgets = {
            f: forms.Textarea(attrs={"rows": 3})
            for f in ("description", "expected_benefit", "plan_notes", "do_notes", "check_notes", "act_notes")
        }


class CauseCategoryForm(TenantModelForm):
    class Meta:
        model = CauseCategory
        fields = ["name", "description", "six_m", "is_active"]


LIST_HELP = (
    "One entry a line: code | label, or code | label | retired to stop offering it. Codes are lower-case "
    "letters, digits and _; a code nonconformities use can be renamed or retired, not removed."
)


def entries_to_text(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{e['code']} | {e['label']}" + (" | retired" if e.get("retired") else "") for e in entries
    )


def text_to_entries(text: str) -> list[dict[str, Any]]:
    entries = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or len(parts) > 3 or (len(parts) == 3 and parts[2].lower() not in ("retired", "")):
            raise forms.ValidationError(f"“{line.strip()}”: write code | label, optionally | retired.")
        retired = len(parts) == 3 and parts[2].lower() == "retired"
        entries.append({"code": parts[0], "label": parts[1], "retired": retired})
    return entries


class SettingsForm(TenantModelForm):
    sources = forms.CharField(
        label="Nonconformity sources",
        required=False,
        widget=forms.Textarea(attrs={"rows": 9}),
        help_text=LIST_HELP + " Left empty, the list stays as it is.",
    )
    severities = forms.CharField(
        label="Severities, most severe first",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=LIST_HELP,
    )

    class Meta:
        model = ImprovementSettings
        fields = ["independent_verification", "recurrence_window_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["sources"] = entries_to_text(self.instance.sources)
        self.initial["severities"] = entries_to_text(self.instance.severities)

    def clean_sources(self) -> list[dict[str, Any]] | None:
        return text_to_entries(self.cleaned_data["sources"]) or None

    def clean_severities(self) -> list[dict[str, Any]] | None:
        return text_to_entries(self.cleaned_data["severities"]) or None

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        return {k: v for k, v in data.items() if v is not None or k not in ("sources", "severities")}


class PreferenceForm(TenantModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_on_assignment", "daily_digest"]


class EmptyForm(forms.Form):
    """A POST with nothing but the CSRF token (a button)."""
