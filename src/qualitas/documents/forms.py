from typing import Any

from django import forms

from qualitas.accounts.choices import Role
from qualitas.core.forms import DateInput, TenantModelForm
from qualitas.documents.choices import DisposalMethod, ReviewOutcome, SignatureMeaning
from qualitas.documents.models import Document, Record, RecordType, Revision


class DocumentForm(TenantModelForm):
    ack_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Must read (roles)",
        help_text="People in these roles (at the document's site, if it has one) acknowledge each new "
        "revision.",
    )
    text = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 12}), label="Content (Markdown)"
    )
    file = forms.FileField(
        required=False,
        label="Or upload the document",
        help_text="PDF, Word, Excel, OpenDocument or an image.",
    )
    change_reason = forms.CharField(
        required=False, max_length=2000, label="Reason for issue", initial="First issue."
    )

    class Meta:
        model = Document
        fields = [
            "code",
            "title",
            "doc_type",
            "owner",
            "process",
            "site",
            "clauses",
            "confidentiality",
            "tags",
            "review_interval_months",
            "revision_scheme",
            "approval_order",
            "reviewers",
            "approvers",
            "ack_roles",
            "ack_days",
        ]
        widgets = {"reviewers": forms.CheckboxSelectMultiple, "approvers": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        if self.instance.pk:
            for name in ("text", "file", "change_reason"):
                del self.fields[name]


class RevisionForm(TenantModelForm):
    file = forms.FileField(required=False, label="Replace the uploaded file")

    class Meta:
        model = Revision
        fields = ["change_reason", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 18}),
            "change_reason": forms.Textarea(attrs={"rows": 2}),
        }


class ChangeRequestForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="Why does the document need to change?",
    )


class SignForm(forms.Form):
    meaning = forms.ChoiceField(choices=SignatureMeaning.choices, label="Meaning of your signature")
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        label="Your password",
        help_text="Re-enter your password to sign.",
    )
    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="Comment",
        help_text="Required when you reject.",
    )


class ReleaseForm(forms.Form):
    effective_date = forms.DateField(
        required=False,
        widget=DateInput,
        label="Effective date",
        help_text="Empty for today. A future date is activated on that day.",
    )
    reason = forms.CharField(required=False, max_length=2000, label="Reason (required for a past date)")


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RecordTypeForm(TenantModelForm):
    class Meta:
        model = RecordType
        fields = ["name", "description", "clauses", "retention_months", "disposal_method", "storage"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RecordForm(TenantModelForm):
    class Meta:
        model = Record
        fields = ["record_type", "title", "record_date", "location", "owner", "legal_hold"]
        widgets = {"record_date": DateInput}


class DisposeForm(forms.Form):
    method = forms.ChoiceField(choices=DisposalMethod.choices)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label="How it was done (witness, certificate, destination)",
    )
    reason = forms.CharField(required=False, max_length=2000, label="Reason (required before the due date)")
