"""Lots, their dispositions and signed releases."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import CONTRIBUTORS, EVERYONE_BUT_VIEWER, WRITERS, Role
from qualitas.core.models import TenantModel
from qualitas.production.choices import (
    LotDecision,
    LotStatus,
)
from qualitas.production.models.products import Product
from qualitas.production.models.roles import RELEASERS


class Lot(TenantModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": CONTRIBUTORS,
        "delete": WRITERS,
        "release": RELEASERS,
        "dispose": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER}),
    }

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="lots")
    number = models.CharField(max_length=60)
    quantity = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=12, choices=LotStatus.choices, default=LotStatus.IN_PROCESS)
    parents = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="children",
        verbose_name="made from",
        help_text="Input lots that went into this lot.",
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "number"], name="lot_number_unique")]
        indexes = [
            models.Index(fields=["organization", "status", "product"], name="lot_status_idx"),
            models.Index(fields=["organization", "product", "created_at"], name="lot_product_idx"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("production:lot", args=[self.pk])

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Lot) -> bool | None:
        if action == "release" and membership.role in (obj.product.release_roles or []):
            return True
        return None


class LotDisposition(TenantModel):
    """What is done with the nonconforming product of a lot, decided by an authorised person."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})
    }

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="dispositions")
    decision = models.CharField(max_length=12, choices=LotDecision.choices)
    note = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "lot"], name="disposition_lot_idx")]

    def __str__(self) -> str:
        return f"{self.lot}: {self.get_decision_display()}"

    def get_absolute_url(self) -> str:
        return reverse("production:lot", args=[self.lot_id])


class LotRelease(TenantModel):
    """An electronic signature releasing a lot (8.6): who, when, meaning, bound to the readings."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": RELEASERS}

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="releases")
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_role = models.CharField(max_length=30)
    meaning = models.CharField(max_length=40, default="released")
    signed_at = models.DateTimeField()
    readings_count = models.PositiveIntegerField()
    readings_hash = models.CharField(max_length=64)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-signed_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "lot"], name="release_lot_idx"),
            models.Index(fields=["organization", "signed_at"], name="release_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lot} {self.meaning} by {self.signer_name}"

    def get_absolute_url(self) -> str:
        return reverse("production:lot", args=[self.lot_id])
