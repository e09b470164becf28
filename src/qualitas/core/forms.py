"""Form bases: foreign-key choices limited to the organization, the edit version carried along."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.utils.translation import gettext_lazy

from qualitas.core.models import TenantModel

if TYPE_CHECKING:
    _ModelForm = forms.ModelForm[Any]
else:
    _ModelForm = forms.ModelForm


def use_fast_selects(form: forms.BaseForm) -> None:
    """Render single-choice lists with FastSelect (hundreds of people in a millisecond): record
    lists, and fixed choice lists without option groups (a filter form's type, status...)."""
    for field in form.fields.values():
        if type(field.widget) is not forms.Select or not _fast_select_fits(field):
            continue
        widget = FastSelect(attrs=field.widget.attrs)
        widget.is_required = field.widget.is_required
        field.widget = widget
        widget.choices = getattr(field, "choices", ())


def _choices_of(field: forms.Field) -> list[tuple[Any, Any]]:
    choices: Any = getattr(field, "choices", ())  # a ChoiceField's normalised (value, label) pairs
    return list(choices)


def _fast_select_fits(field: forms.Field) -> bool:
    if isinstance(field, forms.ModelChoiceField):
        return not isinstance(field, forms.ModelMultipleChoiceField)
    return (
        isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.MultipleChoiceField)
        and not any(isinstance(label, (list, tuple)) for _value, label in _choices_of(field))
    )


def limit_choices_to_org(form: forms.BaseForm, organization: Any) -> None:
    User = get_user_model()
    use_fast_selects(form)
    for field in form.fields.values():
        if not isinstance(field, (forms.ModelChoiceField, forms.ModelMultipleChoiceField)):
            continue
        qs = field.queryset
        if qs is None:
            continue
        model: type[Model] = qs.model
        if issubclass(model, TenantModel) or any(f.name == "organization" for f in model._meta.fields):
            field.queryset = qs.filter(organization=organization)
        elif model is User:
            field.queryset = qs.filter(
                memberships__organization=organization, memberships__is_active=True
            ).order_by("full_name", "username")


class TenantForm(forms.Form):
    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        limit_choices_to_org(self, organization)


class TenantModelForm(_ModelForm):
    """Validation only: the view hands ``cleaned_data`` to one service call.

    ``version`` is the version the editor read; the service refuses to overwrite a newer one.
    ``reason`` is the reason for change that travels into the audit trail.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        required=False,
        max_length=500,
        label="Reason for change",
        help_text="Recorded in the audit trail.",
        widget=forms.TextInput,
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        limit_choices_to_org(self, organization)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["reason"]
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"

    def _post_clean(self) -> None:
        # Do not copy data onto the instance here: the service applies it under a row lock, so the
        # audit trail sees the true "before". Model validation runs in the service (full_clean).
        pass

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "reason")}


class DateInput(forms.DateInput):
    input_type = "date"


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment", max_length=10000)


class AttachmentForm(forms.Form):
    file = forms.FileField()
    description = forms.CharField(required=False, max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ImportFileForm(forms.Form):
    """The upload of a register import (``core.views.ImportView``)."""

    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class FastSelect(forms.Select):
    """A select that renders its options in Python instead of one template per option: a list of
    hundreds of people renders in a millisecond instead of a hundred.

    Records whose model names ``choice_label_fields`` (and a ``choice_label(*values)`` that builds
    the label from them, as ``__str__`` does) are read as plain values, without building a model
    instance per option."""

    def fast_choices(self) -> Any:
        choices = self.choices
        field: Any = getattr(choices, "field", None)
        qs: Any = getattr(choices, "queryset", None)
        model: Any = getattr(qs, "model", None)
        label_fields = getattr(model, "choice_label_fields", None)
        if (
            field is None
            or not label_fields
            or type(field).label_from_instance is not forms.ModelChoiceField.label_from_instance
        ):
            yield from choices
            return
        if field.empty_label is not None:
            yield ("", field.empty_label)
        for key, *values in qs.values_list(field.to_field_name or "pk", *label_fields):
            yield (key, model.choice_label(*values))

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        from html import escape  # the standard library's: Django's adds a lazy wrapper per call

        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, attrs)
        attributes = "".join(
            format_html(' {}="{}"', k, v) for k, v in final.items() if v not in (None, False)
        )
        selected = {
            str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")
        }
        parts = [f'<select name="{escape(name)}"{attributes}>']
        for option_value, label in self.fast_choices():
            key = str(getattr(option_value, "value", option_value) or "")
            mark = " selected" if key in selected else ""
            parts.append(f'<option value="{escape(key)}"{mark}>{escape(str(label))}</option>')
        parts.append("</select>")
        return mark_safe("".join(parts))
