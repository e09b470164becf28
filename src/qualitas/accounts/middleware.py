"""Sets ``request.organization`` and ``request.membership`` from the session's chosen organization."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from qualitas.core.models import active_memberships
from qualitas.core.types import TenantRequest

SESSION_KEY = "qualitas_org"


class OrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = cast(TenantRequest, request)  # what this middleware makes of the request
        tenant.organization = None
        tenant.membership = None
        tenant.memberships = []
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = active_memberships(user)
            tenant.memberships = memberships
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organization_id == chosen), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                tenant.organization = current.organization
                tenant.membership = current
        return self.get_response(request)
