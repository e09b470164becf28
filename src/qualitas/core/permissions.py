"""Which role may do which action. Pure functions over a model's ``role_policy``.

An action is ``view``, ``add``, ``change``, ``delete`` or a model-specific verb (``complete``,
``approve``...). A model may refine the decision per object with ``allows(membership, action, obj)``
returning True/False, or None to fall back to the role table.
"""

from __future__ import annotations

from typing import Any

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.models import active_memberships
from qualitas.core.roles import ALL_ROLES, WRITERS
from qualitas.core.types import Actor, Member, Tenant

DEFAULT_POLICY: dict[str, frozenset[str]] = {"view": ALL_ROLES}


def roles_for(model: Any, action: str) -> frozenset[str]:
    policy: dict[str, frozenset[str]] = getattr(model, "role_policy", {}) or {}
    if action in policy:
        return frozenset(policy[action])
    return DEFAULT_POLICY.get(action, WRITERS)


def membership_of(user: Actor, organization: Tenant | None) -> Member | None:
    if user is None or not getattr(user, "is_authenticated", False) or organization is None:
        return None
    for m in active_memberships(user):
        if m.organization_id == organization.pk:
            return m
    return None


def can(user: Actor, organization: Tenant | None, action: str, model_or_obj: Any) -> bool:
    membership = membership_of(user, organization)
    if membership is None:
        return False
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    if not isinstance(model_or_obj, type):
        hook = getattr(model, "allows", None)
        if hook is not None:
            decided = hook(membership, action, model_or_obj)
            if decided is not None:
                return bool(decided)
    return membership.role in roles_for(model, action)


def ensure_allowed(actor: Actor, organization: Tenant | None, action: str, model_or_obj: Any) -> None:
    """Raise ``NotAllowed`` unless the actor may do ``action``.

    ``actor=None`` is the system itself and is only accepted from jobs and the command line.
    """
    if actor is None:
        if audit.current_context().source in ("job", "cli"):
            return
        raise NotAllowed("An anonymous write is not allowed.")
    if not can(actor, organization, action, model_or_obj):
        model: Any = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
        raise NotAllowed(f"Your role does not allow you to {action} {model._meta.verbose_name}.")
