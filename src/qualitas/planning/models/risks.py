"""Risks and opportunities (ISO 9001 6.1), rated on the organization's matrix (PlanningSettings)."""

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
    Effectiveness,
    RiskKind,
    RiskLevel,
    RiskSource,
    RiskStatus,
    Treatment,
)
from qualitas.planning.models.common import CONTRIBUTORS, OwnerMayChange
from qualitas.planning.models.context import ContextIssue, InterestedParty
from qualitas.planning.models.processes import Process


class Risk(OwnerMayChange, TenantModel):
    """A risk or an opportunity (ISO 9001 6.1): one register for both."""

    # ?q= searches these through a trigram index (core/search.py; migration 0003).
    trigram_search: ClassVar[tuple[str, ...]] = ("reference", "title")

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": CONTRIBUTORS,
        "change": CONTRIBUTORS,
        "delete": WRITERS,
        "accept": WRITERS,
    }

    reference = models.CharField(max_length=30)
    kind = models.CharField(max_length=12, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=RiskSource.choices, default=RiskSource.PROCESS)
    context_issue = models.ForeignKey(
        ContextIssue, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks"
    )
    interested_party = models.ForeignKey(
        InterestedParty, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks"
    )
    process = models.ForeignKey(
        Process, on_delete=models.PROTECT, null=True, blank=True, related_name="risks"
    )
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    inherent_score = models.PositiveSmallIntegerField(editable=False, default=0)
    inherent_level = models.CharField(max_length=10, choices=RiskLevel.choices, editable=False, default="")
    residual_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_impact = models.PositiveSmallIntegerField(null=True, blank=True)
    residual_score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    residual_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True, editable=False)
    # The level that counts now: residual when assessed, else inherent (filters and the heat map use it).
    level = models.CharField(max_length=10, choices=RiskLevel.choices, editable=False, default="")
    treatment = models.CharField(max_length=10, choices=Treatment.choices, blank=True)
    treatment_plan = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks")
    review_date = models.DateField(null=True, blank=True)
    last_reviewed = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    effectiveness = models.CharField(
        max_length=15,
        choices=Effectiveness.choices,
        default=Effectiveness.NOT_EVALUATED,
        help_text="Were the treatment actions effective? (ISO 9001 9.1.3 e)",
    )
    effectiveness_note = models.TextField(blank=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = "risk or opportunity"
        verbose_name_plural = "risks and opportunities"
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="risk_reference_unique"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_rating_range",
            ),
        ]
        indexes = [
            # Status last: the counts of open records by kind and level read this index alone.
            models.Index(
                fields=["organization", "kind", "level", "status"], name="risk_kind_level_status_idx"
            ),
            # A process page lists its first risks by reference: a seek, not a sort of thousands.
            models.Index(fields=["organization", "process", "reference"], name="risk_process_ref_idx"),
            models.Index(fields=["organization", "status", "review_date"], name="risk_review_idx"),
            # The heat map of open records reads this index alone (a range over the open statuses).
            models.Index(
                fields=["organization", "status", "likelihood", "impact"], name="risk_open_heat_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("planning:risk", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status != RiskStatus.CLOSED

    @property
    def review_overdue(self) -> bool:
        return self.is_open and self.review_date is not None and self.review_date < timezone.localdate()
