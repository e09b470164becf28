"""Delivery records of the background machinery (imported by ``core.models``).

They are not QMS records (``TenantModel``): a job's state and a notice tell what the machinery did,
while what a job changes (a revision made effective, a reminder action) goes through services and is
in the audit trail with source "job". Each row still names its organization, and every read is
scoped to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    NEVER = "never", _("Not run yet")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    OK = "ok", _("Succeeded")
    FAILED = "failed", _("Failed")


class JobState(models.Model):
    """One scheduled job (``registry.schedules``) of one organization: its last and next run."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.NEVER)
    next_run_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)
    last_failure = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="jobstate_key_unique")]
        indexes = [models.Index(fields=["next_run_at"], name="jobstate_next_idx")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app only")
    MAIL = "mail", _("In the app and by e-mail at once")
    DIGEST = "digest", _("In the app and in the daily digest e-mail")


class Notice(models.Model):
    """One thing a person was told (a reminder, an assignment, a finished job): the in-app bell's
    item and, by the person's channel for its kind, an e-mail at once or in the daily digest.

    ``key`` makes sending idempotent: one notice per organization, recipient and key, so a job run
    twice, or retried after a crash, tells nobody anything twice."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=100)
    key = models.CharField(max_length=300)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Reminders (``registry.due_sources``): the item and its due date; a reminder whose item moved to
    # another owner or date, or is no longer due, is cancelled (it leaves the bell, its mail is not sent).
    item_key = models.CharField(max_length=200, blank=True)
    due = models.DateField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.IN_APP)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Mail still owed (immediate or digest) and when it went out; delivery retries what is owed.
    mail_pending = models.BooleanField(default=False)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "recipient", "key"], name="notice_key_unique")
        ]
        indexes = [
            models.Index(
                fields=["organization", "recipient", "read_at", "created_at"], name="notice_inbox_idx"
            ),
            models.Index(
                fields=["organization", "item_key"],
                name="notice_open_reminder_idx",
                condition=models.Q(read_at__isnull=True, cancelled_at__isnull=True) & ~models.Q(item_key=""),
            ),
            models.Index(
                fields=["organization", "mail_pending", "channel"],
                name="notice_pending_idx",
                condition=models.Q(mail_pending=True),
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticePreference(models.Model):
    """A person's channel for one kind of notice in one organization (absent: the kind's default)."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=100)
    channel = models.CharField(max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user", "kind"], name="noticepreference_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"
