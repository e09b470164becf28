"""Inspection records, readings, excluded points and control-chart signals."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, WRITERS
from qualitas.core.models import TenantModel
from qualitas.production.choices import (
    RecordSource,
    SignalKind,
    Verdict,
)
from qualitas.production.models.lots import Lot
from qualitas.production.models.plans import InspectionPlan
from qualitas.production.models.products import Characteristic
from qualitas.production.models.roles import SETUP


class InspectionRecord(TenantModel):
    """One inspection of a lot: who, with what, when, the verdict; its readings are one subgroup."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": WRITERS,
        "delete": WRITERS,
    }

    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="records")
    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    equipment = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    verdict = models.CharField(max_length=4, choices=Verdict.choices, default=Verdict.PASS)
    source = models.CharField(max_length=8, choices=RecordSource.choices, default=RecordSource.ENTRY)
    reading_count = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "lot", "recorded_at"], name="record_lot_idx"),
            models.Index(fields=["organization", "recorded_at"], name="record_time_idx"),
        ]

    def __str__(self) -> str:
        return f"Inspection of {self.lot.number} at {self.recorded_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("production:record", args=[self.pk])


class Reading(TenantModel):
    """One measured value (or defect count) of a characteristic. Written in bulk by the import
    service, which records one audit event per batch on its inspection record."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": WRITERS,
        "delete": WRITERS,
    }
    audit_exclude: ClassVar[frozenset[str]] = TenantModel.audit_exclude

    # Readings are the volume table: no single-column foreign-key indexes, only the two composite
    # indexes below (every query names the organization), so an insert updates two indexes, not six.
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    record = models.ForeignKey(
        InspectionRecord, on_delete=models.PROTECT, related_name="readings", db_index=False
    )
    characteristic = models.ForeignKey(
        Characteristic, on_delete=models.PROTECT, related_name="readings", db_index=False
    )
    subgroup = models.PositiveIntegerField()
    value = models.FloatField(null=True, blank=True)
    defects = models.PositiveIntegerField(null=True, blank=True)
    sample_size = models.PositiveIntegerField(default=1)
    out_of_spec = models.BooleanField(default=False)

    class Meta:
        ordering = ["characteristic", "subgroup", "pk"]
        indexes = [
            models.Index(fields=["organization", "characteristic", "subgroup"], name="reading_series_idx"),
            models.Index(fields=["organization", "record"], name="reading_record_idx"),
        ]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else f"{self.defects} defects"
        return f"{self.characteristic_id}#{self.subgroup} = {shown}"

    def get_absolute_url(self) -> str:
        return reverse("production:record", args=[self.record_id])


class ExcludedPoint(TenantModel):
    """A subgroup left out of the control-limit calculation and the rules, with the reason."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": SETUP, "delete": SETUP}

    characteristic = models.ForeignKey(
        Characteristic, on_delete=models.CASCADE, related_name="excluded_points"
    )
    subgroup = models.PositiveIntegerField()
    reason = models.TextField()

    class Meta:
        ordering = ["characteristic", "subgroup"]
        constraints = [
            models.UniqueConstraint(fields=["characteristic", "subgroup"], name="excludedpoint_unique")
        ]
        indexes = [models.Index(fields=["organization", "characteristic"], name="excludedpoint_char_idx")]

    def __str__(self) -> str:
        return f"{self.characteristic} subgroup {self.subgroup} excluded"

    def get_absolute_url(self) -> str:
        return reverse("production:characteristic", args=[self.characteristic_id])


class Signal(TenantModel):
    """A reading outside specification or a broken rule, and the work it became."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": EVERYONE_BUT_VIEWER}

    kind = models.CharField(max_length=12, choices=SignalKind.choices)
    characteristic = models.ForeignKey(Characteristic, on_delete=models.PROTECT, related_name="signals")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="signals")
    record = models.ForeignKey(InspectionRecord, on_delete=models.PROTECT, related_name="signals")
    rules = models.JSONField(default=list, blank=True)
    subgroups = models.JSONField(default=list, blank=True)
    detail = models.CharField(max_length=300)
    nonconformity_id = models.PositiveBigIntegerField(null=True, blank=True)
    nonconformity_reference = models.CharField(max_length=30, blank=True)
    action_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "lot", "kind"], name="signal_lot_idx"),
            models.Index(fields=["organization", "characteristic", "created_at"], name="signal_char_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"

    def get_absolute_url(self) -> str:
        return reverse("production:lot", args=[self.lot_id])
