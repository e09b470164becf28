"""Management review (ISO 9001 9.3): planned meetings, inputs assembled from live data, minutes
per input, outputs as tracked actions, and a frozen snapshot as retained evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import Role
from qualitas.core.models import TenantModel
from qualitas.reviews.choices import OutputKind, ReviewStatus

MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


class ManagementReview(TenantModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200, default="Management review")
    planned_date = models.DateField()
    interval_months = models.PositiveSmallIntegerField(default=12, help_text="Months until the next review.")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    period_start = models.DateField(help_text="Start of the period reviewed: the previous review's date.")
    held_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PLANNED)
    agenda = models.TextField(blank=True)
    conclusions = models.TextField(
        blank=True,
        help_text="Overall conclusion on the suitability, adequacy and "
        "effectiveness of the management system.",
    )
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(null=True, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "version", "search_text", "snapshot"})

    class Meta:
        ordering = ["-planned_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="review_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_date__gte=models.F("period_start")), name="review_period_order"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status", "planned_date"], name="review_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", args=[self.pk])

    @property
    def period_end(self):  # type: ignore[no-untyped-def]
        return self.held_on or self.planned_date

    @property
    def is_frozen(self) -> bool:
        return self.snapshot is not None


class InputMinute(TenantModel):
    """What the meeting said about one input."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    review = models.ForeignKey(ManagementReview, on_delete=models.CASCADE, related_name="minutes")
    key = models.CharField(max_length=80)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "key"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "review", "key"], name="inputminute_unique")
        ]
        indexes = [models.Index(fields=["organization", "review"], name="inputminute_review_idx")]

    def __str__(self) -> str:
        return f"{self.review.reference if self.review_id else ''} {self.key}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", args=[self.review_id]) + f"#input-{self.key}"


class ReviewOutput(TenantModel):
    """A decision of the review (9.3.3), tracked as an action with owner and due date."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    review = models.ForeignKey(ManagementReview, on_delete=models.PROTECT, related_name="outputs")
    kind = models.CharField(max_length=20, choices=OutputKind.choices)
    decision = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    action = models.ForeignKey(
        "actions.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "pk"]
        indexes = [models.Index(fields=["organization", "review"], name="reviewoutput_review_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.decision[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:output", args=[self.pk])
