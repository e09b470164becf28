"""Products and their characteristics (what is measured, with limits and equipment)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import WRITERS
from qualitas.core.models import TenantModel
from qualitas.production import spc
from qualitas.production.choices import (
    ATTRIBUTE_CHARTS,
    CharacteristicKind,
    ChartType,
    Criticality,
    SignalAction,
)
from qualitas.production.models.roles import SETUP


class Product(TenantModel):
    """A part or product with its revision, whose characteristics are controlled."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": SETUP, "change": SETUP, "delete": WRITERS}

    part_number = models.CharField(max_length=60)
    revision = models.CharField(max_length=20, default="A")
    name = models.CharField(max_length=200)
    customer = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="process owner",
        help_text="Receives the tasks raised by signals on this product.",
    )
    release_roles = models.JSONField(
        default=list,
        blank=True,
        help_text="Extra roles allowed to release lots (besides quality manager and administrator).",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["part_number", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "part_number", "revision"], name="product_part_revision_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "part_number"], name="product_part_idx")]

    def __str__(self) -> str:
        return f"{self.part_number} rev {self.revision} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("production:product", args=[self.pk])


class Characteristic(TenantModel):
    """One controlled property of a product, its specification, its chart and locked control limits."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": SETUP,
        "change": SETUP,
        "delete": WRITERS,
        "lock": SETUP,
        "exclude": SETUP,
    }

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="characteristics")
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=CharacteristicKind.choices, default=CharacteristicKind.NUMERIC
    )
    nominal = models.FloatField(null=True, blank=True)
    lsl = models.FloatField(null=True, blank=True, verbose_name="lower specification limit")
    usl = models.FloatField(null=True, blank=True, verbose_name="upper specification limit")
    unit = models.CharField(max_length=20, blank=True)
    acceptance_number = models.PositiveIntegerField(
        default=0, help_text="Attribute characteristics: defects per sample still accepted."
    )
    criticality = models.CharField(max_length=10, choices=Criticality.choices, default=Criticality.MAJOR)
    method = models.CharField(max_length=200, blank=True, verbose_name="measuring method")
    equipment = models.CharField(
        max_length=200, blank=True, help_text="Monitoring and measuring equipment used."
    )
    subgroup_size = models.PositiveSmallIntegerField(default=5)
    chart_type = models.CharField(max_length=10, choices=ChartType.choices, default=ChartType.XBAR_R)
    rules = models.JSONField(
        default=list, blank=True, help_text="Rule codes, e.g. WE1, WE2, N3. Empty: defaults."
    )
    signal_action = models.CharField(max_length=10, choices=SignalAction.choices, default=SignalAction.CREATE)
    # Locked control limits (from a baseline period).
    center = models.FloatField(null=True, blank=True)
    lcl = models.FloatField(null=True, blank=True)
    ucl = models.FloatField(null=True, blank=True)
    spread_center = models.FloatField(null=True, blank=True)
    spread_lcl = models.FloatField(null=True, blank=True)
    spread_ucl = models.FloatField(null=True, blank=True)
    sigma_within = models.FloatField(null=True, blank=True)
    baseline_first = models.PositiveIntegerField(null=True, blank=True, help_text="First baseline subgroup.")
    baseline_last = models.PositiveIntegerField(null=True, blank=True, help_text="Last baseline subgroup.")
    limits_locked_at = models.DateTimeField(null=True, blank=True)
    limits_locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["product", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "product", "name"], name="characteristic_name_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(lsl__isnull=True)
                | models.Q(usl__isnull=True)
                | models.Q(lsl__lt=models.F("usl")),
                name="characteristic_lsl_below_usl",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "product", "criticality"], name="characteristic_prod_idx")
        ]

    def __str__(self) -> str:
        return f"{self.product.part_number} · {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("production:characteristic", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.lsl is not None and self.usl is not None and self.lsl >= self.usl:
            errors["usl"] = "The upper limit must be above the lower limit."
        is_attr_chart = self.chart_type in ATTRIBUTE_CHARTS
        if self.kind == CharacteristicKind.NUMERIC and is_attr_chart:
            errors["chart_type"] = "A measured characteristic uses an X̄-R, X̄-S or I-MR chart."
        if self.kind == CharacteristicKind.ATTRIBUTE and not is_attr_chart:
            errors["chart_type"] = "An attribute characteristic uses a p, np, c or u chart."
        if self.chart_type in (ChartType.XBAR_R, ChartType.XBAR_S) and not (
            spc.MIN_N <= self.subgroup_size <= spc.MAX_N
        ):
            errors["subgroup_size"] = f"X̄ charts need subgroups of {spc.MIN_N} to {spc.MAX_N}."
        unknown = [r for r in (self.rules or []) if r not in spc.RULES]
        if unknown:
            errors["rules"] = f"Unknown rule(s): {', '.join(map(str, unknown))}."
        if errors:
            raise ValidationError(errors)

    @property
    def is_numeric(self) -> bool:
        return self.kind == CharacteristicKind.NUMERIC

    @property
    def active_rules(self) -> tuple[str, ...]:
        return tuple(self.rules) if self.rules else spc.default_rules(self.chart_type)

    @property
    def limits_locked(self) -> bool:
        return self.limits_locked_at is not None

    def is_out_of_spec(self, value: float | None, defects: int | None = None) -> bool:
        if self.is_numeric:
            if value is None:
                return False
            return (self.lsl is not None and value < self.lsl) or (self.usl is not None and value > self.usl)
        return defects is not None and defects > self.acceptance_number
