"""The organization's context: issues, interested parties, identity statements and the quality
policy with its communication (ISO 9001 4.1, 4.2, 5.2)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qualitas.accounts.choices import WRITERS
from qualitas.core.models import TenantModel
from qualitas.planning.choices import (
    IssueCategory,
    IssueType,
    PartyCategory,
    PolicyStatus,
)
from qualitas.planning.models.common import PLANNERS


class ContextIssue(TenantModel):
    """An internal or external issue relevant to the organization's purpose (ISO 9001 4.1)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": PLANNERS,
        "change": PLANNERS,
        "delete": WRITERS,
    }

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    issue_type = models.CharField(max_length=10, choices=IssueType.choices, default=IssueType.EXTERNAL)
    category = models.CharField(max_length=20, choices=IssueCategory.choices)
    climate_relevant = models.BooleanField(
        default=False, help_text="Climate change is relevant to this issue (ISO 9001:2015/Amd 1:2024)."
    )
    impact = models.TextField(blank=True, help_text="How it affects the QMS and its intended results.")
    review_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["issue_type", "category", "title"]
        indexes = [
            models.Index(fields=["organization", "issue_type", "category"], name="contextissue_cat_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("planning:contextissue", args=[self.pk])

    @property
    def is_due(self) -> bool:
        return self.review_date is not None and self.review_date < timezone.localdate()


class InterestedParty(TenantModel):
    """A relevant interested party, what it needs and expects, and how we follow it (ISO 9001 4.2)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": PLANNERS,
        "change": PLANNERS,
        "delete": WRITERS,
    }

    name = models.CharField(max_length=200)
    category = models.CharField(max_length=20, choices=PartyCategory.choices, default=PartyCategory.CUSTOMER)
    is_internal = models.BooleanField(default=False)
    needs = models.TextField(blank=True)
    expectations = models.TextField(blank=True)
    requirements = models.TextField(
        blank=True, help_text="Which needs and expectations we take on as requirements."
    )
    climate_related = models.BooleanField(
        default=False, help_text="The party has climate-related requirements."
    )
    monitoring = models.TextField(blank=True, help_text="How we monitor and review what this party expects.")
    review_date = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "name"]
        verbose_name_plural = "interested parties"
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="party_name_unique")]
        indexes = [models.Index(fields=["organization", "category"], name="party_category_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("planning:interestedparty", args=[self.pk])

    @property
    def is_due(self) -> bool:
        return self.review_date is not None and self.review_date < timezone.localdate()


class Identity(TenantModel):
    """Mission, vision, values and culture (ISO 9004 6.2); one per organization."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS}

    mission = models.TextField(blank=True)
    vision = models.TextField(blank=True)
    values = models.TextField(blank=True, help_text="One value per line.")
    culture = models.TextField(blank=True, help_text="The behaviours and beliefs we want to see.")

    class Meta:
        verbose_name = "identity"
        verbose_name_plural = "identity"
        constraints = [models.UniqueConstraint(fields=["organization"], name="identity_org_unique")]

    def __str__(self) -> str:
        return "Mission, vision and values"

    def get_absolute_url(self) -> str:
        return reverse("planning:identity")


class QualityPolicy(TenantModel):
    """The quality policy as controlled text: drafted, approved, superseded (ISO 9001 5.2)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS, "delete": WRITERS}

    title = models.CharField(max_length=200, default="Quality policy")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    effective_from = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "quality policies"
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(status="approved"), name="policy_one_approved"
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="policy_status_idx")]

    def __str__(self) -> str:
        stamp = self.effective_from.isoformat() if self.effective_from else self.get_status_display().lower()
        return f"{self.title} ({stamp})"

    def get_absolute_url(self) -> str:
        return reverse("planning:policy", args=[self.pk])


class PolicyCommunication(TenantModel):
    """How and to whom the policy was communicated (ISO 9001 5.2.2)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS, "delete": WRITERS}

    policy = models.ForeignKey(QualityPolicy, on_delete=models.CASCADE, related_name="communications")
    date = models.DateField(default=timezone.localdate)
    channel = models.CharField(
        max_length=100, help_text="e.g. staff meeting, notice board, website, induction"
    )
    audience = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["organization", "policy", "date"], name="policycomm_idx")]

    def __str__(self) -> str:
        return f"{self.date} · {self.channel} · {self.audience}"

    def get_absolute_url(self) -> str:
        return reverse("planning:policy", args=[self.policy_id])
