"""Writes of organizations, sites, memberships and API tokens. Each leaves an audit event in the
organization's chain."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from qualitas.accounts.choices import Role
from qualitas.accounts.models import ApiToken, Membership, Organization, Site, User
from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.permissions import membership_of
from qualitas.core.types import Actor

ADMINS = (Role.ADMIN,)


def _ensure_admin(actor: Actor, organization: Organization) -> None:
    if actor is None and audit.current_context().source in ("cli", "job"):
        return
    m = membership_of(actor, organization)
    if m is None or m.role not in ADMINS:
        raise NotAllowed("Only an administrator of this organization may do that.")


def _event(
    organization: Organization,
    obj: models.Model,
    *,
    actor: Actor,
    action: str,
    changes: dict[str, Any],
    reason: str = "",
) -> None:
    audit.append(
        organization=organization,
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        object_repr=str(obj),
        changes=changes,
        reason=reason,
    )


@transaction.atomic
def create_organization(
    *, name: str, actor: Actor, slug: str = "", admin: User | None = None
) -> Organization:
    """Create a tenant; ``admin`` (or the actor) becomes its first administrator."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Give the organization a name."})
    slug = slugify(slug or name)[:60]
    if not slug:
        raise ValidationError({"slug": "The short name must contain letters or digits."})
    if Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"An organization with the short name “{slug}” exists already."})
    org = Organization.objects.create(name=name, slug=slug)
    _event(
        org,
        org,
        actor=actor,
        action="organization.create",
        changes={"name": [None, name], "slug": [None, slug]},
    )
    first_admin = admin or (actor if isinstance(actor, User) else None)
    if first_admin is not None:
        _add_membership(org, first_admin, Role.ADMIN, actor=actor)
    return org


def _add_membership(
    org: Organization, user: User, role: str, *, actor: Actor, site: Site | None = None, job_title: str = ""
) -> Membership:
    membership = Membership.objects.create(
        organization=org, user=user, role=role, site=site, job_title=job_title
    )
    user._qualitas_memberships = None  # type: ignore[attr-defined]  # the cached list is stale now
    _event(
        org,
        membership,
        actor=actor,
        action="membership.create",
        changes={"user": [None, user.username], "role": [None, role]},
    )
    return membership


@transaction.atomic
def create_site(organization: Organization, *, actor: Actor, name: str, code: str, address: str = "") -> Site:
    _ensure_admin(actor, organization)
    if Site.objects.filter(organization=organization, code=code).exists():
        raise ValidationError({"code": f"A site with the code {code} exists already."})
    site = Site.objects.create(organization=organization, name=name, code=code, address=address)
    _event(
        organization,
        site,
        actor=actor,
        action="site.create",
        changes={"name": [None, name], "code": [None, code]},
    )
    return site


@transaction.atomic
def add_member(
    organization: Organization,
    *,
    actor: Actor,
    username: str,
    email: str = "",
    full_name: str = "",
    role: str = Role.MEMBER,
    password: str | None = None,
    site: Site | None = None,
    job_title: str = "",
) -> Membership:
    """Invite a person: an existing user joins the organization, a new one is created."""
    _ensure_admin(actor, organization)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if site is not None and site.organization_id != organization.pk:
        raise ValidationError({"site": "This site belongs to another organization."})
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=email, full_name=full_name)
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                raise ValidationError({"password": exc.messages}) from None
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif Membership.objects.filter(organization=organization, user=user).exists():
        raise ValidationError({"username": f"{username} is already a member."})
    return _add_membership(organization, user, role, actor=actor, site=site, job_title=job_title)


@transaction.atomic
def change_role(membership: Membership, *, actor: Actor, role: str, reason: str = "") -> Membership:
    audit.lock(membership)
    _ensure_admin(actor, membership.organization)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}."})
    if (
        membership.role == Role.ADMIN
        and role != Role.ADMIN
        and not Membership.objects.filter(
            organization=membership.organization, role=Role.ADMIN, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": "The organization must keep at least one administrator."})
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _event(
        membership.organization,
        membership,
        actor=actor,
        action="membership.change_role",
        changes={"role": [old, role]},
        reason=reason,
    )
    return membership


@transaction.atomic
def create_token(membership: Membership, *, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Returns the token and its key; the key is shown once and only its hash is stored."""
    if actor is not None and actor.pk != membership.user_id:
        _ensure_admin(actor, membership.organization)
    if not name.strip():
        raise ValidationError({"name": "Name the token (e.g. 'CMM station 3')."})
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        membership=membership, name=name.strip(), key_hash=ApiToken.hash_key(key), key_hint=key[:8]
    )
    _event(
        membership.organization,
        token,
        actor=actor,
        action="apitoken.create",
        changes={"name": [None, token.name]},
    )
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: Actor) -> None:
    audit.lock(token)
    if actor is not None and actor.pk != token.membership.user_id:
        _ensure_admin(actor, token.membership.organization)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _event(token.membership.organization, token, actor=actor, action="apitoken.revoke", changes={})


# --- events about a person: logins, failed logins, lockouts, password changes ---------------------


PERSON_EVENTS = ("user.login", "user.login_failed", "user.locked_out", "user.password_change")


def record_person_event(
    user: User, *, action: str, actor: Actor, changes: dict[str, Any] | None = None
) -> int:
    """Append ``action`` about ``user`` to the chain of every organization the person is an active
    member of (a person belongs to no chain of their own). Returns the number of events written."""
    if action not in PERSON_EVENTS:
        raise ValueError(f"unknown person event {action!r}")
    organizations = Organization.objects.filter(memberships__user=user, memberships__is_active=True)
    written = 0
    with transaction.atomic():
        for organization in organizations.order_by("pk"):
            audit.append(
                organization=organization,
                actor=actor,
                action=action,
                object_type=audit.object_type_of(User),
                object_id=user.pk,
                object_repr=str(user),
                changes=changes,
            )
            written += 1
    return written
