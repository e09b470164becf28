"""Mechanisms every QMS record shares: tenancy, optimistic locking, the audit trail, numbering,
comments and attachments. No domain nouns live here."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from qualitas.core.roles import EVERYONE_BUT_VIEWER, Role
from qualitas.core.types import Member, Person, Tenant

TRAIL_READERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR, Role.VIEWER})


class TenantQuerySet(models.QuerySet[Any]):
    def for_org(self, organization: Tenant) -> TenantQuerySet:
        return self.filter(organization=organization)

    def visible_to(self, user: Person | None, organization: Tenant | None) -> TenantQuerySet:
        """The one place where membership turns into a filter.

        A user sees the records of ``organization`` only while they hold an active membership in
        it; anything else is an empty queryset (so lookups answer 404, never 403).
        """
        if organization is None or user is None or not user.is_authenticated:
            return self.none()
        if not any(m.organization_id == organization.pk for m in active_memberships(user)):
            return self.none()
        return self.filter(organization=organization)


def membership_model() -> type[models.Model]:
    """``accounts.Membership``: the one place where core reaches the memberships that app stores."""
    return apps.get_model("accounts", "Membership")


def organization_model() -> type[Any]:
    """``accounts.Organization``, the tenant: core names it by label, as its foreign keys do."""
    return apps.get_model("accounts", "Organization")


def active_memberships(user: Person) -> list[Member]:
    """The user's active memberships, cached on the user object for one request."""
    cached: list[Member] | None = getattr(user, "_qualitas_memberships", None)
    if cached is None:
        cached = cast(
            list[Member],
            list(
                membership_model()
                ._default_manager.filter(user=user, is_active=True)
                .select_related("organization", "site")
                .order_by("created_at", "pk")
            ),
        )
        user._qualitas_memberships = cached  # type: ignore[attr-defined]
    return cached


def is_active_member(organization: Tenant, user: Person) -> bool:
    """Whether ``user`` holds an active membership in ``organization`` now (read from the database)."""
    return bool(
        membership_model()
        ._default_manager.filter(organization=organization, user=user, is_active=True)
        .exists()
    )


# --- the locked read: what a tracked save compares against ---------------------------------------

_LOCKED_READ = "_qualitas_locked_read"


def _raw(value: Any) -> Any:
    # A file is compared by name (its FieldFile changes in place); containers are copied, so a
    # change made to them in place is still seen as a change.
    if isinstance(value, FieldFile):
        return value.name
    if isinstance(value, (list, dict)):
        return copy.deepcopy(value)
    return value


def remember_locked_read(obj: models.Model) -> None:
    """Keep the raw field values just read from the locked row (``audit.lock``)."""
    obj.__dict__[_LOCKED_READ] = {
        field.attname: _raw(getattr(obj, field.attname)) for field in obj._meta.concrete_fields
    }


def forget_locked_read(obj: models.Model) -> None:
    obj.__dict__.pop(_LOCKED_READ, None)


def changed_since_locked_read(obj: models.Model) -> list[str] | None:
    """The fields whose value differs from the locked read (None when the row was not locked)."""
    read: dict[str, Any] | None = obj.__dict__.get(_LOCKED_READ)
    if read is None:
        return None
    return [
        field.attname
        for field in obj._meta.concrete_fields
        if not field.primary_key and _raw(getattr(obj, field.attname)) != read[field.attname]
    ]


class TenantModel(models.Model):
    """Abstract base of every QMS record: one organization, timestamps, an edit version."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: incremented on every tracked save; edit forms carry the version they read.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = TenantQuerySet.as_manager()

    # Role policy per action, e.g. {"add": EVERYONE_BUT_VIEWER}; missing actions use the default.
    role_policy: ClassVar[dict[str, frozenset[str]]] = {}
    # Fields the audit trail never records (secrets, derived caches).
    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "version", "search_text"})
    # A short name for UI and API ("Nonconformity"); defaults to verbose_name.

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Inside ``audit.tracking`` (the row locked and read again), write only the fields that
        changed since that read, so a step never writes back a value someone else just saved."""
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is None and not self._state.adding and not args and not kwargs.get("force_insert"):
            update_fields = changed_since_locked_read(self)
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at", "version"}
        super().save(*args, **kwargs)

    @classmethod
    def label(cls) -> str:
        return str(cls._meta.verbose_name).capitalize()


class CanonicalJSONEncoder(json.JSONEncoder):
    """Stores JSON the way the audit hash encodes it (sorted keys, no spaces, UTF-8 as is), so an
    embedded (SQLite) database holds each event's ``changes`` as the exact text the hash covers and
    ``audit verify`` can build the payload in SQL (``audit.verify_chain``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.update(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        super().__init__(*args, **kwargs)


class CanonicalJSONField(models.JSONField):
    """A JSONField that stores canonical text (see ``CanonicalJSONEncoder``). It migrates as a plain
    JSONField: the column type is the same and a changed encoder must never make SQLite rebuild the
    append-only audit table (a rebuild would drop its triggers)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["encoder"] = CanonicalJSONEncoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("encoder", None)
        return name, "django.db.models.JSONField", args, kwargs


class AuditEvent(models.Model):
    """Append-only: who did what to which record, when, why and from where.

    Events of one organization form a hash chain (``seq`` is gap-free, ``prev_hash`` names the
    predecessor). The database refuses UPDATE and DELETE on this table (triggers, see migrations);
    ``qualitas audit verify`` recomputes the chain.
    """

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=300)
    changes = CanonicalJSONField(default=dict)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=10)
    request_id = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = TenantQuerySet.as_manager()
    role_policy: ClassVar[dict[str, frozenset[str]]] = {"view": TRAIL_READERS}

    class Meta:
        ordering = ["organization", "seq"]
        constraints = [models.UniqueConstraint(fields=["organization", "seq"], name="auditevent_seq_unique")]
        indexes = [
            models.Index(
                fields=["organization", "object_type", "object_id", "seq"], name="auditevent_object_idx"
            ),
            models.Index(fields=["organization", "created_at"], name="auditevent_time_idx"),
            # The trail filtered by action ("action.complete", "nonconformity."): a range, newest first.
            models.Index(fields=["organization", "action", "seq"], name="auditevent_action_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"


class AuditChainHead(models.Model):
    """The tip of one organization's chain; locked while an event is appended."""

    organization = models.OneToOneField("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.organization_id}@{self.seq}"


class Sequence(models.Model):
    """A gap-free counter per organization and key (e.g. ``NC-2026``)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=40)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="sequence_key_unique")]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class GenericTargetModel(TenantModel):
    """A record attached to any other QMS record of the same organization."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True
        indexes: ClassVar[list[models.Index]] = []


class Comment(GenericTargetModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {"comment": EVERYONE_BUT_VIEWER}

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["organization", "content_type", "object_id"], name="comment_target_idx")
        ]

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"org-{instance.organization_id}/attachments/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Attachment(GenericTargetModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {"attach": EVERYONE_BUT_VIEWER}

    file = models.FileField(upload_to=attachment_path, max_length=400)
    original_name = models.CharField(max_length=255)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "content_type", "object_id"], name="attachment_target_idx")
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("core:attachment_download", args=[self.pk])


# The background machinery's delivery records (scheduled jobs, notices, preferences).
from qualitas.core.background.models import (  # noqa: E402, F401
    Channel,
    JobState,
    JobStatus,
    Notice,
    NoticePreference,
)
