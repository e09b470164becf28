"""Products, characteristics, inspection plans, lots, inspection records and readings, control
limits, signals and lot release."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import CONTRIBUTORS, EVERYONE_BUT_VIEWER, WRITERS, Role
from qualitas.core.models import TenantModel
from qualitas.production import spc
from qualitas.production.choices import (
    ATTRIBUTE_CHARTS,
    CharacteristicKind,
    ChartType,
    Criticality,
    Frequency,
    LotDecision,
    LotStatus,
    RecordSource,
    SignalAction,
    SignalKind,
    Stage,
    Verdict,
)

SETUP = WRITERS | {Role.PROCESS_OWNER}
RELEASERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


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
