"""Nonconformities and the corrective-action loop (ISO 9001 8.7, 10.2), improvement opportunities
(10.3) and lessons learned (7.1.6)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import CONTRIBUTORS, EVERYONE_BUT_VIEWER, Role
from qualitas.core.models import TenantModel
from qualitas.improvement.choices import (
    OPEN_NC_STATES,
    Disposition,
    NCStatus,
    OpportunityStatus,
    Severity,
    SixM,
    Source,
    Verdict,
    default_severities,
    default_sources,
)

MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


class ImprovementSettings(TenantModel):
    """Per-organization rules of the corrective-action loop."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    independent_verification = models.BooleanField(
        default=True,
        help_text="The effectiveness verdict must come from someone who owns none of the actions.",
    )
    recurrence_window_days = models.PositiveIntegerField(
        default=365,
        help_text="A new nonconformity with the same cause, process and product as one closed "
        "within this many days is flagged as a recurrence.",
    )
    # Lists of {"code", "label", "retired"}; a nonconformity's source and severity hold a code.
    sources = models.JSONField(default=default_sources, blank=True)
    severities = models.JSONField(default=default_severities, blank=True, help_text="Most severe first.")

    class Meta:
        verbose_name = "improvement settings"
        verbose_name_plural = "improvement settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="improvementsettings_org_unique")
        ]

    def __str__(self) -> str:
        return "Improvement settings"

    def get_absolute_url(self) -> str:
        return reverse("improvement:settings")

    def entries(self, kind: str) -> list[dict[str, Any]]:
        """``kind`` is "source" or "severity"."""
        return list(self.sources if kind == "source" else self.severities)

    def labels(self, kind: str) -> dict[str, str]:
        return {e["code"]: e["label"] for e in self.entries(kind)}

    def choices(self, kind: str, *, keep: str = "") -> list[tuple[str, str]]:
        """The entries a person may pick: active ones, plus ``keep`` (a record's current code)."""
        entries = self.entries(kind)
        return [(e["code"], e["label"]) for e in entries if not e.get("retired") or e["code"] == keep]


class CauseCategory(TenantModel):
    """The organization's taxonomy of root causes, for trend analysis (Pareto)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=300, blank=True)
    six_m = models.CharField("6M category", max_length=20, choices=SixM.choices, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "root-cause category"
        verbose_name_plural = "root-cause categories"
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="causecategory_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("improvement:causecategory_edit", args=[self.pk])


class Nonconformity(TenantModel):
    """A nonconformity: what went wrong, what was done at once, why it happened, what was done so it
    does not happen again, and whether that worked."""

    # ?q= searches these through a trigram index (core/search.py; migration 0003).
    trigram_search: ClassVar[tuple[str, ...]] = ("reference", "title", "product", "lot")

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": CONTRIBUTORS,
        "delete": MANAGERS,
        "authorise": MANAGERS,
        "verify": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR}),
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Codes from the organization's lists in ImprovementSettings (validated by the services).
    source = models.CharField(max_length=30, default=Source.PROCESS)
    severity = models.CharField(max_length=30, default=Severity.MINOR)
    status = models.CharField(max_length=20, choices=NCStatus.choices, default=NCStatus.REPORTED)
    process = models.ForeignKey(
        "planning.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    site = models.ForeignKey(
        "accounts.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    product = models.CharField(max_length=200, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    detected_on = models.DateField()
    detected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leads the corrective action.",
    )
    due_date = models.DateField(null=True, blank=True, help_text="Target date for closing.")
    # Containment: the immediate correction.
    containment = models.TextField("Immediate correction", blank=True)
    # Nonconforming output (8.7).
    disposition = models.CharField(max_length=20, choices=Disposition.choices, blank=True)
    disposition_authorised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposition_authorised_at = models.DateTimeField(null=True, blank=True)
    concession_reference = models.CharField(max_length=100, blank=True)
    # Root cause.
    cause_category = models.ForeignKey(
        CauseCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="root-cause category",
    )
    root_cause = models.TextField("Root cause statement", blank=True)
    # Effectiveness.
    verdict = models.CharField("Effectiveness verdict", max_length=20, choices=Verdict.choices, blank=True)
    verdict_note = models.TextField(blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # Cost of poor quality (scrap, rework, sorting, freight, credit notes).
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    # Recurrence.
    recurrence_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="recurrences"
    )
    effectiveness_questioned = models.BooleanField(default=False)

    class Meta:
        ordering = ["-detected_on", "-pk"]
        verbose_name_plural = "nonconformities"
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="nonconformity_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=0),
                name="nonconformity_quantity_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__isnull=True) | models.Q(cost__gte=0),
                name="nonconformity_cost_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "due_date"], name="nc_status_idx"),
            models.Index(fields=["organization", "detected_on"], name="nc_detected_idx"),
            models.Index(
                fields=["organization", "cause_category", "process", "product"], name="nc_recurrence_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:nonconformity", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_NC_STATES

    @property
    def is_overdue(self) -> bool:
        from django.utils import timezone

        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Nonconformity) -> bool | None:
        if action == "change" and obj.owner_id == membership.user_id and membership.role != Role.VIEWER:
            return True
        return None


class NonconformityLink(TenantModel):
    """A link from a nonconformity to the record it came from or concerns (any QMS record)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": EVERYONE_BUT_VIEWER, "delete": CONTRIBUTORS}

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nonconformity", "content_type", "object_id"], name="nonconformitylink_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organization", "content_type", "object_id"], name="nclink_target_idx")
        ]

    def __str__(self) -> str:
        return f"{self.nonconformity.reference} → {self.content_type.model} #{self.object_id}"

    def get_absolute_url(self) -> str:
        return self.nonconformity.get_absolute_url()


class WhyStep(TenantModel):
    """One row of a 5 Whys chain: why did it happen, because..."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": CONTRIBUTORS,
        "change": CONTRIBUTORS,
        "delete": CONTRIBUTORS,
    }

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.CASCADE, related_name="whys")
    position = models.PositiveSmallIntegerField()
    why = models.CharField(max_length=300)
    because = models.CharField(max_length=300)

    class Meta:
        ordering = ["nonconformity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["nonconformity", "position"], name="whystep_position_unique")
        ]
        indexes = [models.Index(fields=["organization", "nonconformity"], name="whystep_nc_idx")]

    def __str__(self) -> str:
        return f"Why {self.position}: {self.why}"

    def get_absolute_url(self) -> str:
        return self.nonconformity.get_absolute_url() + "#why"


class IshikawaCause(TenantModel):
    """A possible cause on the fishbone, under one of the 6M categories; one may be the root."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": CONTRIBUTORS,
        "change": CONTRIBUTORS,
        "delete": CONTRIBUTORS,
    }

    nonconformity = models.ForeignKey(Nonconformity, on_delete=models.CASCADE, related_name="causes")
    category = models.CharField(max_length=20, choices=SixM.choices)
    text = models.CharField(max_length=200)
    is_root = models.BooleanField(default=False)

    class Meta:
        ordering = ["nonconformity", "category", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nonconformity"], condition=models.Q(is_root=True), name="ishikawacause_one_root"
            )
        ]
        indexes = [models.Index(fields=["organization", "nonconformity"], name="ishikawa_nc_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text}"

    def get_absolute_url(self) -> str:
        return self.nonconformity.get_absolute_url() + "#ishikawa"


class Lesson(TenantModel):
    """A lesson learned, published to the organization's knowledge base (ISO 9001 7.1.6)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": CONTRIBUTORS,
        "change": CONTRIBUTORS,
        "delete": MANAGERS,
    }

    title = models.CharField(max_length=200)
    summary = models.TextField()
    nonconformity = models.ForeignKey(
        Nonconformity, on_delete=models.PROTECT, null=True, blank=True, related_name="lessons"
    )
    tags = models.CharField(max_length=300, blank=True, help_text="Comma-separated keywords.")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["organization", "published_at"], name="lesson_published_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:lesson", args=[self.pk])

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class ImprovementOpportunity(TenantModel):
    """An idea for improvement (ISO 9001 10.3), triaged and run as a PDCA project."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": CONTRIBUTORS,
        "delete": MANAGERS,
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    expected_benefit = models.TextField(blank=True)
    process = models.ForeignKey(
        "planning.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leads the project once accepted.",
    )
    status = models.CharField(
        max_length=20, choices=OpportunityStatus.choices, default=OpportunityStatus.PROPOSED
    )
    plan_notes = models.TextField("Plan", blank=True)
    do_notes = models.TextField("Do", blank=True)
    check_notes = models.TextField("Check", blank=True)
    act_notes = models.TextField("Act", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = "improvement opportunity"
        verbose_name_plural = "improvement opportunities"
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="opportunity_reference_unique")
        ]
        indexes = [models.Index(fields=["organization", "status"], name="opportunity_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:opportunity", args=[self.pk])

    @classmethod
    def allows(cls, membership: Any, action: str, obj: ImprovementOpportunity) -> bool | None:
        if action == "change" and obj.owner_id == membership.user_id and membership.role != Role.VIEWER:
            return True
        return None


class NotificationPreference(TenantModel):
    """A person's choice of improvement mail in one organization."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": EVERYONE_BUT_VIEWER,
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_on_assignment = models.BooleanField(default=True)
    daily_digest = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="notificationpref_unique")
        ]

    def __str__(self) -> str:
        return f"Notifications of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:preferences")

    @classmethod
    def allows(cls, membership: Any, action: str, obj: NotificationPreference) -> bool | None:
        if action == "change":
            return obj.user_id == membership.user_id and membership.role != Role.VIEWER
        return None
