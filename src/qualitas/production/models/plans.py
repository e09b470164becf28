"""Inspection plans and their items."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, WRITERS
from qualitas.core.models import TenantModel
from qualitas.production.choices import (
    Frequency,
    Stage,
)
from qualitas.production.models.products import Characteristic, Product
from qualitas.production.models.roles import SETUP


class InspectionPlan(TenantModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": SETUP, "change": SETUP, "delete": WRITERS}

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="plans")
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IN_PROCESS)
    recorder_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Roles allowed to record against this plan. Empty: everyone except read-only viewers.",
    )
    instructions = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["product", "stage", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "product", "stage", "name"], name="plan_name_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "product", "stage"], name="plan_product_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_stage_display()})"

    def get_absolute_url(self) -> str:
        return reverse("production:plan", args=[self.pk])

    def may_record(self, role: str) -> bool:
        return role in (self.recorder_roles or EVERYONE_BUT_VIEWER)


class PlanItem(TenantModel):
    """A characteristic checked under a plan, with its sample size and frequency."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": SETUP, "change": SETUP, "delete": SETUP}

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="items")
    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="plan_items")
    sample_size = models.PositiveIntegerField(default=5)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.PER_LOT)
    every_n = models.PositiveIntegerField(null=True, blank=True, help_text="For “1 in N”.")
    aql = models.CharField(
        max_length=20, blank=True, help_text="AQL / sampling scheme, e.g. “AQL 1.0, level II”."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "characteristic"], name="planitem_unique")]
        indexes = [models.Index(fields=["organization", "plan"], name="planitem_plan_idx")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.characteristic.name}"

    def get_absolute_url(self) -> str:
        return reverse("production:plan", args=[self.plan_id])
