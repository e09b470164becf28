"""Internal audits (ISO 9001 9.2): the programme, the auditors, audits with checklists and findings."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import Role
from qualitas.audits.choices import ACTIVE_STATES, AuditStatus, FindingKind, FindingStatus, Priority, Result
from qualitas.core.models import TenantModel

AUDIT_TEAM = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR})
MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


class AuditProgramme(TenantModel):
    """The plan of internal audits over a cycle (often three years) that must cover every process
    and every applicable clause."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUDIT_TEAM,
        "change": AUDIT_TEAM,
        "delete": MANAGERS,
    }

    title = models.CharField(max_length=200)
    period_start = models.DateField()
    period_end = models.DateField()
    objectives = models.TextField(
        blank=True, help_text="What the programme should achieve, and how it was planned."
    )
    method = models.TextField(blank=True, help_text="How priorities were set (risk, past results, changes).")

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="auditprogramme_period_order",
            ),
        ]
        indexes = [models.Index(fields=["organization", "period_start"], name="auditprogramme_period_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start:%Y}–{self.period_end:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("audits:programme", args=[self.pk])


class Auditor(TenantModel):
    """A person qualified to audit, with their training and the areas they work in (impartiality)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": MANAGERS,
        "change": MANAGERS,
        "delete": MANAGERS,
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="auditor_profiles"
    )
    qualifications = models.TextField(blank=True, help_text="Courses, certificates, experience.")
    trained_on = models.DateField(null=True, blank=True, verbose_name="last auditor training")
    training_due = models.DateField(null=True, blank=True, verbose_name="refresher due")
    own_processes = models.ManyToManyField(
        "planning.Process",
        blank=True,
        related_name="+",
        verbose_name="own processes",
        help_text="Processes the auditor works in: they should not audit them.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="auditor_user_unique")]
        indexes = [models.Index(fields=["organization", "is_active"], name="auditor_active_idx")]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("audits:auditor", args=[self.pk])


class Audit(TenantModel):
    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUDIT_TEAM,
        "change": AUDIT_TEAM,
        "delete": MANAGERS,
    }

    reference = models.CharField(max_length=30)
    programme = models.ForeignKey(
        AuditProgramme, on_delete=models.PROTECT, null=True, blank=True, related_name="audits"
    )
    title = models.CharField(max_length=200)
    scope = models.TextField(blank=True, help_text="What is audited: activities, locations, period.")
    criteria = models.ManyToManyField(
        "standards.Clause", blank=True, related_name="+", verbose_name="criteria (clauses)"
    )
    processes = models.ManyToManyField("planning.Process", blank=True, related_name="+")
    sites = models.ManyToManyField("accounts.Site", blank=True, related_name="+")
    planned_start = models.DateField()
    planned_end = models.DateField(null=True, blank=True)
    planned_hours = models.DecimalField(max_digits=6, decimal_places=1, default=4)
    lead_auditor = models.ForeignKey(
        Auditor, on_delete=models.PROTECT, null=True, blank=True, related_name="led_audits"
    )
    team = models.ManyToManyField(Auditor, blank=True, related_name="team_audits")
    auditees = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=AuditStatus.choices, default=AuditStatus.PLANNED)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    priority_reason = models.CharField(max_length=300, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        help_text="The audit whose nonconformities this one verifies.",
    )
    summary = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    plan_sent_at = models.DateTimeField(null=True, blank=True)
    reported_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["planned_start", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="audit_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(planned_end__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="audit_dates_order",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "planned_start"], name="audit_status_idx"),
            models.Index(fields=["organization", "programme", "planned_start"], name="audit_programme_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("audits:audit", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATES


class ChecklistItem(TenantModel):
    """One question of an audit's checklist, with the result and the objective evidence."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUDIT_TEAM,
        "change": AUDIT_TEAM,
        "delete": AUDIT_TEAM,
    }

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(default=0)
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    process = models.ForeignKey(
        "planning.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    question = models.TextField()
    result = models.CharField(max_length=20, choices=Result.choices, blank=True)
    notes = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="What was seen: records, interviews, observations.")
    record_links = models.TextField(blank=True, help_text="Links to records in Qualitas, one per line.")

    class Meta:
        ordering = ["audit", "position", "pk"]
        indexes = [models.Index(fields=["organization", "audit", "position"], name="checklistitem_audit_idx")]

    def __str__(self) -> str:
        return f"{self.audit.reference if self.audit_id else ''} Q{self.position}: {self.question[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("audits:checklist_item", args=[self.pk])

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.record_links.splitlines() if line.strip()]


class ChecklistTemplate(TenantModel):
    """A reusable set of questions saved from an audit's checklist."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUDIT_TEAM,
        "change": AUDIT_TEAM,
        "delete": AUDIT_TEAM,
    }

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # [{"clause": "8.4.1" | "", "question": "..."}]
    questions = models.JSONField(default=list)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="checklisttemplate_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("audits:template", args=[self.pk])


class Finding(TenantModel):
    """A nonconformity, observation or opportunity for improvement recorded during an audit."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUDIT_TEAM,
        "change": AUDIT_TEAM,
        "delete": MANAGERS,
    }

    reference = models.CharField(max_length=40)
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="findings"
    )
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    clause = models.ForeignKey(
        "standards.Clause", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    process = models.ForeignKey(
        "planning.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    statement = models.TextField(help_text="What does not meet which requirement, in one or two sentences.")
    evidence = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    # The nonconformity raised in the improvement module (stored generically so the link survives
    # without a hard dependency).
    nc_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    nc_id = models.PositiveBigIntegerField(null=True, blank=True)
    verified_in = models.ForeignKey(
        Audit, on_delete=models.PROTECT, null=True, blank=True, related_name="verified_findings"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)

    class Meta:
        ordering = ["audit", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="finding_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "kind"], name="finding_status_idx"),
            models.Index(fields=["organization", "audit"], name="finding_audit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("audits:finding", args=[self.pk])

    @property
    def is_nonconformity(self) -> bool:
        return self.kind in (Result.MINOR_NC, Result.MAJOR_NC)

    @property
    def nonconformity(self) -> Any:
        if self.nc_type_id is None or self.nc_id is None:
            return None
        if not hasattr(self, "_nc_cache"):
            model: Any = self.nc_type.model_class() if self.nc_type is not None else None
            self._nc_cache = (
                model.objects.filter(pk=self.nc_id, organization_id=self.organization_id).first()
                if model is not None
                else None
            )
        return self._nc_cache


class CalendarSubscription(TenantModel):
    """A secret address through which one member's calendar app reads the audit and review dates of
    one organization (read-only; resetting it invalidates the old address)."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": frozenset(Role.values),
        "change": frozenset(Role.values),
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "version", "search_text", "token"})

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="calendarsub_user_unique")
        ]
        indexes = [models.Index(fields=["organization", "user"], name="calendarsub_user_idx")]

    def __str__(self) -> str:
        return f"Calendar of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("audits:calendar")
