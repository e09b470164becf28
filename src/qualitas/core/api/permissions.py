from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from qualitas.core.permissions import can

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RolePermission(permissions.BasePermission):
    """Authenticated, a member of the request's organization, and allowed by the model's role policy.

    Object checks run only on objects already scoped to the organization, so another
    organization's record has answered 404 before this is asked.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        org = getattr(request, "organization", None)
        if org is None:
            return False
        model = getattr(view, "model", None)
        if model is None:
            return True
        action = getattr(view, "permission_action", None) or METHOD_ACTIONS.get(
            request.method or "GET", "view"
        )
        if action in ("change", "delete") or getattr(view, "detail", False):
            return can(request.user, org, "view", model)
        return can(request.user, org, action, model)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if getattr(view, "action", None) == "transition":
            return True  # the workflow table decides who may take each step
        action = getattr(view, "permission_action", None) or METHOD_ACTIONS.get(
            request.method or "GET", "view"
        )
        return can(request.user, request.organization, action, obj)  # type: ignore[attr-defined]
