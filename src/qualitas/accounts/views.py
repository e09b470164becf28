from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.decorators.http import require_POST

from qualitas.accounts import services
from qualitas.accounts.forms import MemberForm, OrganizationForm, RoleForm, TokenForm
from qualitas.accounts.middleware import SESSION_KEY
from qualitas.accounts.models import ApiToken, Membership, Site
from qualitas.core.roles import Role
from qualitas.core.types import TenantRequest
from qualitas.core.views import OrganizationRequiredMixin, apply_validation_error


def _membership(request: HttpRequest) -> Membership:
    """The signed-in person's membership in the chosen organization (set by the middleware)."""
    membership = cast(TenantRequest, request).membership
    if not isinstance(membership, Membership):
        raise Http404("Choose an organization first.")
    return membership


class LoginView(auth_views.LoginView):
    """The login page; a successful login is an event in each of the person's organizations (failed
    logins and lockouts are recorded by ``security``)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        services.record_person_event(user, action="user.login", actor=user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.record_person_event(form.user, action="user.password_change", actor=form.user)
        return response


@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    try:
        org_id = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404("No such organization.") from None
    if not any(m.organization_id == org_id for m in cast(TenantRequest, request).memberships):
        raise Http404("No such organization.")
    request.session[SESSION_KEY] = org_id
    return redirect("core:home")


class NoOrganizationView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/no_organization.html", {"form": OrganizationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OrganizationForm(request.POST)
        if form.is_valid():
            try:
                org = services.create_organization(
                    name=form.cleaned_data["name"], slug=form.cleaned_data["slug"], actor=request.user
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                request.user._qualitas_memberships = None  # type: ignore[union-attr]
                request.session[SESSION_KEY] = org.pk
                messages.success(request, f"{org} is ready. Invite your colleagues next.")
                return redirect("accounts:member_list")
        return render(request, "accounts/no_organization.html", {"form": form}, status=400)


class MemberListView(OrganizationRequiredMixin, View):
    def _context(self, form: Any = None) -> dict[str, Any]:
        org = self.organization
        is_admin = _membership(self.request).role == Role.ADMIN
        return {
            "title": "People and roles",
            "members": Membership.objects.filter(organization=org)
            .select_related("user", "site")
            .order_by("role", "user__full_name"),
            "sites": Site.objects.filter(organization=org),
            "is_admin": is_admin,
            "form": form or (MemberForm(organization=org) if is_admin else None),
            "roles": Role.choices,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/member_list.html", self._context())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = MemberForm(request.POST, organization=self.organization)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_member(
                    self.organization,
                    actor=request.user,
                    username=data["username"],
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    password=data["password"] or None,
                    site=data["site"],
                    job_title=data["job_title"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, f"{data['username']} joined as {dict(Role.choices)[data['role']]}.")
                return redirect("accounts:member_list")
        return render(request, "accounts/member_list.html", self._context(form), status=400)


class MemberRoleView(OrganizationRequiredMixin, View):
    model = Membership

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        membership = Membership.objects.filter(organization=self.organization, pk=pk).first()
        if membership is None:
            raise Http404("No such member.")
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                services.change_role(membership, actor=request.user, role=form.cleaned_data["role"])
                messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
            except ValidationError as exc:
                messages.error(request, "; ".join(exc.messages))
        return redirect("accounts:member_list")


class TokenListView(OrganizationRequiredMixin, View):
    def _context(self, form: Any = None, new_key: str = "") -> dict[str, Any]:
        return {
            "title": "API tokens",
            "tokens": ApiToken.objects.filter(membership=_membership(self.request)),
            "form": form or TokenForm(),
            "new_key": new_key,
        }

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "accounts/token_list.html", self._context())

    def post(self, request: HttpRequest) -> HttpResponse:
        if "revoke" in request.POST:
            token = ApiToken.objects.filter(
                membership=_membership(request), pk=request.POST["revoke"]
            ).first()
            if token is None:
                raise Http404("No such token.")
            services.revoke_token(token, actor=request.user)
            messages.success(request, f"Token {token.name} revoked.")
            return redirect("accounts:token_list")
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                _token, key = services.create_token(
                    _membership(request),
                    actor=request.user,
                    name=form.cleaned_data["name"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return render(request, "accounts/token_list.html", self._context(new_key=key))
        return render(request, "accounts/token_list.html", self._context(form), status=400)
