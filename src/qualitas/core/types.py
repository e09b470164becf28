"""The types the kernel speaks in: the tenant, the person who acts, their membership, the request.

The concrete models (``Organization``, ``User``, ``Membership``) live in ``accounts``, which builds
on core; core describes only what it uses of them, so it never imports that app.
"""

from __future__ import annotations

import uuid
from typing import Any, Protocol, TypeAlias

from django.http import HttpRequest


class Tenant(Protocol):
    """An organization as the kernel sees it (``accounts.Organization``)."""

    @property
    def pk(self) -> Any: ...

    uuid: uuid.UUID
    slug: str
    name: str


class Person(Protocol):
    """Someone signed in or not: what Django's user classes (and ``accounts.User``) provide."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


# Who performs a write: a person, or ``None`` for the system itself (jobs and commands only).
Actor: TypeAlias = Person | None


class Member(Protocol):
    """A person's role in one organization (``accounts.Membership``)."""

    @property
    def pk(self) -> Any: ...

    organization_id: int
    role: str

    @property
    def organization(self) -> Tenant: ...


class TenantRequest(HttpRequest):
    """A request after ``OrganizationMiddleware``: the organization chosen in the switcher and the
    person's membership in it (both ``None`` when signed out or without a membership)."""

    organization: Tenant | None
    membership: Member | None
    memberships: list[Member]


def display_name(actor: Actor) -> str:
    """The name an audit event and a signature keep for the actor."""
    if actor is None:
        return "system"
    name = getattr(actor, "display_name", "")
    return str(name or actor.get_username())
