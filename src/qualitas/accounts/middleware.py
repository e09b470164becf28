"""Sets ``request.organization`` and ``request.membership`` from the session's chosen organization."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qualitas.core.models import active_memberships

SESSION_KEY = "qualitas_org"


class OrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organization = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            memberships = active_memberships(user)
            request.memberships = memberships  # type: ignore[attr-defined]
            chosen = request.session.get(SESSION_KEY)
            current = next((m for m in memberships if m.organization_id == chosen), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                request.organization = current.organization  # type: ignore[attr-defined]
                request.membership = current  # type: ignore[attr-defined]
        return self.get_response(request)
