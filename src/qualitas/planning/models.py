"""Planning and performance records: context, interested parties, identity and policy, processes,
risks and opportunities, objectives, KPIs and their measurements (ISO 9001 4, 5.2, 6.1, 6.2, 9.1)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, WRITERS, Role
from qualitas.core.models import TenantModel
from qualitas.planning.choices import (
    Direction,
    Effectiveness,
    Frequency,
    IssueCategory,
    IssueType,
    KpiStatus,
    MeasurementSource,
    ObjectiveStatus,
    PartyCategory,
    PolicyStatus,
    ProcessType,
    RiskKind,
    RiskLevel,
    RiskSource,
    RiskStatus,
    Treatment,
)

PLANNERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR})


class OwnerMayChange:
    """The named owner of a record may edit it, whatever their role (not a viewer)."""

    owner_id: Any

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Any) -> bool | None:
        if action == "change" and obj.owner_id == membership.user_id and membership.role != Role.VIEWER:
            return True
        return None


class PlanningSettings(TenantModel):
    """Per-organization settings of the planning area (one row per organization)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS}

    matrix_size = models.PositiveSmallIntegerField(
        default=5, help_text="Likelihood and impact are rated on a scale from 1 to this number (3, 4 or 5)."
    )

    class Meta:
        verbose_name = "planning settings"
        verbose_name_plural = "planning settings"
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="planningsettings_org_unique"),
            models.CheckConstraint(
                condition=Q(matrix_size__gte=3, matrix_size__lte=5), name="planningsettings_matrix_size_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Risk matrix {self.matrix_size}×{self.matrix_size}"

    def get_absolute_url(self) -> str:
        return reverse("planning:settings")


class Process(OwnerMayChange, TenantModel):
    """A process of the QMS (ISO 9001 4.4): every other area links to it."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS, "delete": WRITERS}

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    process_type = models.CharField(max_length=20, choices=ProcessType.choices, default=ProcessType.CORE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_processes",
    )
    purpose = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    inputs = models.TextField(blank=True, help_text="What the process receives (one per line).")
    outputs = models.TextField(blank=True, help_text="What the process delivers (one per line).")
    customers = models.TextField(blank=True, help_text="Who receives the outputs, inside or outside.")
    resources = models.TextField(blank=True, help_text="People, machines, software, premises it needs.")
    related_documents = models.TextField(
        blank=True, help_text="Procedures and instructions that describe it."
    )
    clauses = models.CharField(
        max_length=200, blank=True, help_text="ISO 9001 clause numbers, e.g. 8.4, 8.5.1"
    )

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "processes"
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="process_code_unique")]
        indexes = [models.Index(fields=["organization", "process_type", "code"], name="process_type_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("planning:process", args=[self.pk])

    # Choice lists read these values instead of building a model instance per option (FastSelect).
    choice_label_fields = ("code", "name")

    @staticmethod
    def choice_label(code: str, name: str) -> str:
        return f"{code} {name}"

    @property
    def clause_list(self) -> list[str]:
        return [c.strip() for c in self.clauses.replace(";", ",").split(",") if c.strip()]


class ProcessInteraction(TenantModel):
    """One process's output feeds another process (the arrows of the process map)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": PLANNERS,
        "change": PLANNERS,
        "delete": PLANNERS,
    }

    source = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="feeds")
    target = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="fed_by")
    description = models.CharField(
        max_length=200, blank=True, help_text="What flows, e.g. released work orders."
    )

    class Meta:
        ordering = ["source__code", "target__code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "source", "target"], name="interaction_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="interaction_not_self"),
        ]
        indexes = [models.Index(fields=["organization", "source"], name="interaction_source_idx")]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"

    def get_absolute_url(self) -> str:
        return reverse("planning:process", args=[self.source_id])


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
