from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, Role
from qualitas.actions.choices import OPEN_STATES, ActionKind, ActionStatus, Priority
from qualitas.core.models import TenantModel


class Action(TenantModel):
    """A task with an owner and a due date, optionally about any other QMS record."""

    # ?q= searches these through a trigram index (core/search.py; migration 0003).
    trigram_search: ClassVar[tuple[str, ...]] = ("reference", "title")

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR}),
        "delete": frozenset({Role.ADMIN, Role.QUALITY_MANAGER}),
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.TASK)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    due_date = models.DateField(null=True, blank=True)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True, help_text="What was done: the evidence of completion.")
    # The record this action is about (a nonconformity, an audit finding, a review decision...).
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="action_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "owner", "status", "due_date"], name="action_owner_idx"),
            models.Index(fields=["organization", "status", "due_date"], name="action_status_idx"),
            # A record's actions in due-date order (the panel on every record page) from the index alone:
            # without due_date here SQLite may walk action_due_idx over the whole register instead.
            models.Index(
                fields=["organization", "subject_type", "subject_id", "due_date"],
                name="action_subject_due_idx",
            ),
            # The list page's and API's default and due-date sorts
            # (bench: first and deep pages at 100,000 rows).
            models.Index(fields=["organization", "due_date", "id"], name="action_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("actions:action", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Action) -> bool | None:
        # The owner of an action may update and complete it whatever their role (not a viewer).
        if action == "change" and obj.owner_id == membership.user_id and membership.role != Role.VIEWER:
            return True
        return None
