from typing import Any, cast

from django import forms

from qualitas.audits.choices import Result
from qualitas.audits.models import Audit, Auditor, AuditProgramme, ChecklistItem, ChecklistTemplate, Finding
from qualitas.core.forms import DateInput, TenantForm, TenantModelForm


def choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's field that chooses records (its queryset may be narrowed)."""
    return cast(forms.ModelChoiceField, form.fields[name])


def iso9001_clauses() -> Any:
    from qualitas.standards.queries import clauses

    return clauses()


TEXT = forms.Textarea(attrs={"rows": 3})


class ProgrammeForm(TenantModelForm):
    class Meta:
        model = AuditProgramme
        fields = ["title", "period_start", "period_end", "objectives", "method"]
        widgets = {"period_start": DateInput, "period_end": DateInput, "objectives": TEXT, "method": TEXT}


class AuditorForm(TenantModelForm):
    class Meta:
        model = Auditor
        fields = ["user", "qualifications", "trained_on", "training_due", "own_processes", "is_active"]
        widgets = {"trained_on": DateInput, "training_due": DateInput, "qualifications": TEXT}


class AuditForm(TenantModelForm):
    class Meta:
        model = Audit
        fields = [
            "programme",
            "title",
            "scope",
            "criteria",
            "processes",
            "sites",
            "planned_start",
            "planned_end",
            "planned_hours",
            "lead_auditor",
            "team",
            "auditees",
            "follow_up_of",
            "summary",
            "strengths",
            "conclusion",
        ]
        widgets = {
            "planned_start": DateInput,
            "planned_end": DateInput,
            "scope": TEXT,
            "summary": TEXT,
            "strengths": TEXT,
            "conclusion": TEXT,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "criteria").queryset = iso9001_clauses()
        self.fields["criteria"].widget.attrs["size"] = 12
        processes = choices(self, "processes") if "processes" in self.fields else None
        if processes is not None and processes.queryset is not None:
            processes.queryset = processes.queryset.filter(is_active=True)
        follow_up_of = choices(self, "follow_up_of")
        if self.instance.pk and follow_up_of.queryset is not None:
            follow_up_of.queryset = follow_up_of.queryset.exclude(pk=self.instance.pk)


class ChecklistItemForm(TenantModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["audit", "clause", "process", "question", "result", "notes", "evidence", "record_links"]
        widgets = {"question": TEXT, "notes": TEXT, "evidence": TEXT, "record_links": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "clause").queryset = iso9001_clauses()
        if self.instance.pk:
            del self.fields["audit"]


class ResultForm(forms.Form):
    result = forms.ChoiceField(choices=[("", "— not yet —"), *Result.choices], required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=10000)


class FindingForm(TenantModelForm):
    class Meta:
        model = Finding
        fields = ["audit", "kind", "clause", "process", "statement", "evidence"]
        widgets = {"statement": TEXT, "evidence": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "clause").queryset = iso9001_clauses()
        if self.instance.pk:
            del self.fields["audit"]
            del self.fields["kind"]


class VerifyFindingForm(TenantForm):
    audit = forms.ModelChoiceField(queryset=Audit.objects.all(), label="Follow-up audit")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label="What was checked", max_length=5000
    )


class TemplateForm(TenantModelForm):
    questions_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 12}),
        label="Questions",
        help_text="One question per line; start with a clause number and “|” to tie it to a clause, "
        "e.g. “8.4.1 | How are suppliers evaluated?”",
    )

    class Meta:
        model = ChecklistTemplate
        fields = ["name", "description"]
        widgets = {"description": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["questions_text"].initial = "\n".join(
                (f"{q.get('clause')} | " if q.get("clause") else "") + q.get("question", "")
                for q in self.instance.questions
            )

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        questions = []
        for line in data.pop("questions_text").splitlines():
            if not line.strip():
                continue
            clause, sep, question = line.partition("|")
            questions.append(
                {"clause": clause.strip(), "question": question.strip()}
                if sep
                else {"clause": "", "question": line.strip()}
            )
        data["questions"] = questions
        return data


class SaveTemplateForm(forms.Form):
    name = forms.CharField(max_length=200, label="Template name")
    description = forms.CharField(required=False, max_length=2000)


class UseTemplateForm(TenantForm):
    template = forms.ModelChoiceField(
        queryset=ChecklistTemplate.objects.all(),
        required=False,
        empty_label="Generate from the clauses and processes",
    )
