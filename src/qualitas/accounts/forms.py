from typing import Any

from django import forms

from qualitas.accounts.models import Organization, Site
from qualitas.core.roles import Role


class MemberForm(forms.Form):
    username = forms.SlugField(max_length=150)
    full_name = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)
    site = forms.ModelChoiceField(queryset=Site.objects.none(), required=False)
    job_title = forms.CharField(max_length=120, required=False)
    password = forms.CharField(
        widget=forms.PasswordInput, required=False, help_text="Leave empty for an existing user."
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        site = self.fields["site"]
        assert isinstance(site, forms.ModelChoiceField)
        site.queryset = Site.objects.filter(organization=organization)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="Where it is used, e.g. 'CMM station 3'."
    )


class OrganizationForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=60, required=False, label="Short name")
