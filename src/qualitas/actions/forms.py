from django import forms

from qualitas.actions.models import Action
from qualitas.core.forms import DateInput, TenantModelForm


class ActionForm(TenantModelForm):
    class Meta:
        model = Action
        fields = ["title", "description", "kind", "owner", "due_date", "priority"]
        widgets = {"due_date": DateInput, "description": forms.Textarea(attrs={"rows": 4})}


class CompleteActionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What was done", max_length=10000)
