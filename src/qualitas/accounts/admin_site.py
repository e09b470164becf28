"""/admin/: for installation operators only, and read-only.

An operator is an account made by ``qualitas createoperator``: staff, and a member of no organization.
Organization administrators are people with the administrator role; they manage their organization
in the application, where every write goes through the services and the audit trail. The admin only
shows: no model may be added, changed or deleted here, and the site refuses every request that is
not a read (logging out aside), whatever a model's admin class would allow.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from qualitas.accounts.models import Membership

V = TypeVar("V", bound=Callable[..., HttpResponseBase])
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def is_operator(user: Any) -> bool:
    """Staff and a member of no organization (an organization's people never open /admin/)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and not Membership.objects.filter(user_id=user.pk).exists()  # tenancy: the person's own
    )


class OperatorAdminSite(admin.AdminSite):
    site_header = "Qualitas administration"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def admin_view(self, view: V, cacheable: bool = False) -> V:
        inner = super().admin_view(view, cacheable)
        if getattr(view, "__name__", "") == "logout":
            return inner

        @wraps(view)
        def read_only(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in SAFE_METHODS and self.has_permission(request):
                raise PermissionDenied("The admin is read-only: changes are made in the application.")
            return cast(HttpResponse, inner(request, *args, **kwargs))

        return cast(V, read_only)
