from typing import Any

from django import forms

from qualitas.core.forms import DateInput, TenantModelForm
from qualitas.reviews.models import ManagementReview, ReviewOutput

TEXT = forms.Textarea(attrs={"rows": 3})


class ReviewForm(TenantModelForm):
    class Meta:
        model = ManagementReview
        fields = [
            "title",
            "planned_date",
            "interval_months",
            "chair",
            "attendees",
            "period_start",
            "held_on",
            "agenda",
            "conclusions",
        ]
        widgets = {
            "planned_date": DateInput,
            "period_start": DateInput,
            "held_on": DateInput,
            "agenda": TEXT,
            "conclusions": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].required = False
        self.fields["period_start"].help_text = "Leave empty to start at the previous review's date."


class OutputForm(TenantModelForm):
    class Meta:
        model = ReviewOutput
        fields = ["review", "kind", "decision", "owner", "due_date"]
        widgets = {"due_date": DateInput, "decision": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["review"]


class MinuteForm(forms.Form):
    key = forms.CharField(max_length=80, widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
