"""Quality objectives, KPIs and their measured values (ISO 9001 6.2, 9.1)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, WRITERS
from qualitas.core.models import TenantModel
from qualitas.planning.choices import (
    Direction,
    Frequency,
    KpiStatus,
    MeasurementSource,
    ObjectiveStatus,
)
from qualitas.planning.models.common import PLANNERS, OwnerMayChange
from qualitas.planning.models.context import QualityPolicy
from qualitas.planning.models.processes import Process


class Objective(OwnerMayChange, TenantModel):
    """A measurable quality objective with its plan (ISO 9001 6.2)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": PLANNERS,
        "change": PLANNERS,
        "delete": WRITERS,
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    policy = models.ForeignKey(
        QualityPolicy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="objectives",
        help_text="The policy commitment it serves.",
    )
    strategy = models.CharField(max_length=300, blank=True, help_text="The strategic direction it supports.")
    process = models.ForeignKey(
        Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="objectives"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_objectives"
    )
    target = models.CharField(max_length=300, help_text="What will be achieved, measurably.")
    due_date = models.DateField(null=True, blank=True)
    resources = models.TextField(blank=True, help_text="What is needed: budget, people, equipment.")
    evaluation = models.TextField(blank=True, help_text="How results will be evaluated.")
    status = models.CharField(max_length=10, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="objective_ref_unique")
        ]
        indexes = [models.Index(fields=["organization", "status", "due_date"], name="objective_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("planning:objective", args=[self.pk])

    # Choice lists read these values instead of building a model instance per option (FastSelect).
    choice_label_fields = ("reference", "title")

    @staticmethod
    def choice_label(reference: str, title: str) -> str:
        return f"{reference} {title}"

    @property
    def is_open(self) -> bool:
        return self.status == ObjectiveStatus.ACTIVE

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < timezone.localdate()


class Kpi(OwnerMayChange, TenantModel):
    """A key performance indicator with its target and thresholds (ISO 9001 9.1)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": PLANNERS,
        "change": PLANNERS,
        "delete": WRITERS,
    }

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What is counted and how it is calculated.")
    unit = models.CharField(max_length=20, blank=True, help_text="e.g. %, ppm, days, €")
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    target = models.FloatField()
    warning = models.FloatField(
        null=True, blank=True, help_text="Worse than this, the KPI is at risk (defaults to the target)."
    )
    alarm = models.FloatField(null=True, blank=True, help_text="Worse than this, the KPI is off target.")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_kpis")
    process = models.ForeignKey(
        Process, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis"
    )
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis"
    )
    is_active = models.BooleanField(default=True)

    # Set on the rows queries.kpi_rows returns; not columns.
    recent: list[tuple[dt.date, float]]
    status: str

    class Meta:
        ordering = ["code"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="kpi_code_unique")]
        indexes = [
            models.Index(fields=["organization", "process"], name="kpi_process_idx"),
            models.Index(fields=["organization", "objective"], name="kpi_objective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("planning:kpi", args=[self.pk])

    # Choice lists read these values instead of building a model instance per option (FastSelect).
    choice_label_fields = ("code", "name")

    @staticmethod
    def choice_label(code: str, name: str) -> str:
        return f"{code} {name}"

    def status_of(self, value: float | None) -> str:
        from qualitas.planning.scoring import kpi_status

        return kpi_status(
            value, direction=self.direction, target=self.target, warning=self.warning, alarm=self.alarm
        )


class Measurement(TenantModel):
    """One value of a KPI for one period (the period's first day)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": WRITERS,
        "delete": WRITERS,
    }

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(help_text="The first day of the period measured.")
    value = models.FloatField()
    note = models.CharField(max_length=300, blank=True)
    source = models.CharField(
        max_length=10, choices=MeasurementSource.choices, default=MeasurementSource.MANUAL
    )
    status = models.CharField(max_length=12, choices=KpiStatus.choices, editable=False, default="")

    class Meta:
        ordering = ["kpi", "period"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kpi", "period"], name="measurement_unique")
        ]
        # Covering: the latest value and the recent history of a KPI read this index alone (the
        # unique constraint above already serves lookups by period).
        indexes = [
            models.Index(fields=["organization", "kpi", "period", "value"], name="measurement_kpi_value_idx"),
            # All KPIs' values by period, newest first (the values API's ?ordering=-period).
            models.Index(fields=["organization", "period", "id"], name="measurement_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period.isoformat()} = {self.value:g}"

    def get_absolute_url(self) -> str:
        return reverse("planning:kpi", args=[self.kpi_id])
