from django import forms
from django.contrib.auth import get_user_model

from qualitas.assessment.models import Assessment
from qualitas.core.forms import DateInput, TenantForm, TenantModelForm


class AssessmentForm(TenantModelForm):
    class Meta:
        model = Assessment
        fields = ["title", "scope", "date", "facilitator", "mode", "maturity_model", "summary"]
        widgets = {
            "date": DateInput,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "mode": "Quick: one key question per clause. Detailed: every element, criterion by "
            "criterion. Small organization: the essential elements only."
        }

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            del self.fields["summary"]
            from qualitas.assessment.queries import default_model

            self.fields["maturity_model"].initial = getattr(default_model(), "pk", None)


class AssessorForm(TenantForm):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.all(), label="Person")
    perspective = forms.CharField(
        required=False,
        max_length=120,
        label="Perspective",
        help_text="e.g. top management, production, sales",
    )


class ImprovementForm(TenantForm):
    result = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=200, label="Improvement action")
    owner = forms.ModelChoiceField(queryset=get_user_model().objects.all(), label="Owner")
    due_date = forms.DateField(widget=DateInput, label="Due", required=False)
