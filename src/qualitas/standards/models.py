"""The standards catalog (shared by every organization) and each organization's own view of it."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import ALL_ROLES, CONTRIBUTORS, WRITERS, Role
from qualitas.core.models import GenericTargetModel, TenantModel
from qualitas.standards.choices import PACK_JOB_FINISHED, PackJobStatus, RequirementStatus, ScopeProfile


class DocumentedInformation(models.TextChoices):
    NONE = "", "No documented information required"
    MAINTAIN = "maintain", "Maintain (a controlled document)"
    RETAIN = "retain", "Retain (a record as evidence)"
    BOTH = "both", "Maintain and retain"


class StandardManager(models.Manager["Standard"]):
    def get_by_natural_key(self, code: str) -> Standard:
        return self.get(code=code)


class ClauseManager(models.Manager["Clause"]):
    def get_by_natural_key(self, standard_code: str, number: str) -> Clause:
        return self.get(standard__code=standard_code, number=number)


class Standard(models.Model):
    """A published standard or model in the catalog (data shipped in the package, not tenant data)."""

    code = models.SlugField(max_length=40, unique=True)  # "iso9001-2015"
    title = models.CharField(max_length=200)
    edition = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, default="requirements")  # requirements | guidance | legacy
    description = models.TextField(blank=True)
    data_version = models.CharField(max_length=40, blank=True)
    # For a legacy model: the standard its clauses' ``maps_to`` numbers refer to.
    crosswalk_target = models.CharField(max_length=40, blank=True)

    objects = StandardManager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Clause(models.Model):
    """One clause or subclause (number and title are facts; description and guidance are our words)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=20)  # "7.1.5.1"
    title = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    level = models.PositiveSmallIntegerField(default=1)
    sort_key = models.CharField(max_length=60, db_index=True)
    description = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    documented_information = models.CharField(
        max_length=10, choices=DocumentedInformation.choices, blank=True
    )
    documented_information_note = models.CharField(max_length=300, blank=True)
    is_auditable = models.BooleanField(default=True)
    verified = models.BooleanField(
        default=True, help_text="False where the catalog entry still needs checking."
    )
    # Main clause ("8") and second-level section ("8.5") for readiness aggregates.
    group = models.CharField(max_length=8, blank=True)
    section = models.CharField(max_length=12, blank=True)
    typical_evidence = models.TextField(blank=True)
    amendment_note = models.TextField(blank=True)
    # Legacy crosswalk (navigation aid): clause numbers in the standard's ``crosswalk_target``.
    maps_to = models.JSONField(default=list, blank=True)
    mapping_note = models.CharField(max_length=300, blank=True)

    objects = ClauseManager()

    class Meta:
        ordering = ["standard", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="clause_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def natural_key(self) -> tuple[str, str]:
        return (self.standard.code, self.number)

    natural_key.dependencies = ["standards.standard"]  # type: ignore[attr-defined]


class ScopeStatement(TenantModel):
    """The organization's QMS scope (ISO 9001 4.3): what is covered and the profile chosen at setup."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS, "delete": WRITERS}

    profile = models.CharField(max_length=20, choices=ScopeProfile.choices, default=ScopeProfile.FULL)
    statement = models.TextField(
        help_text="The scope in two or three sentences, as it will appear on the certificate."
    )
    sites = models.TextField(blank=True, help_text="Sites covered, one per line.")
    products_services = models.TextField(blank=True, help_text="Products and services covered, one per line.")
    outsourced_design = models.BooleanField(
        default=False, help_text="The organization is responsible for design but has it done by others."
    )

    class Meta:
        verbose_name = "scope statement"
        constraints = [models.UniqueConstraint(fields=["organization"], name="scopestatement_one_per_org")]

    def __str__(self) -> str:
        return f"Scope of {self.organization}"

    def get_absolute_url(self) -> str:
        return reverse("standards:scope")


class Requirement(TenantModel):
    """One organization's position on one clause: applicability, status, owner, target date."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": WRITERS,
        "change": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR}),
        "applicability": WRITERS,
        "delete": frozenset(),
    }

    clause = models.ForeignKey(Clause, on_delete=models.PROTECT, related_name="requirements")
    applicable = models.BooleanField(default=True)
    justification = models.TextField(blank=True, help_text="Why the requirement does not apply (clause 4.3).")
    status = models.CharField(
        max_length=20, choices=RequirementStatus.choices, default=RequirementStatus.NOT_STARTED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_requirements",
    )
    target_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "requirement"
        ordering = ["clause__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "clause"], name="requirement_clause_unique"),
            models.CheckConstraint(
                condition=models.Q(applicable=True) | ~models.Q(justification=""),
                name="requirement_na_needs_justification",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status"], name="requirement_status_idx"),
            models.Index(fields=["organization", "owner", "target_date"], name="requirement_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.clause.number} {self.clause.title}"

    def get_absolute_url(self) -> str:
        return reverse("standards:requirement", args=[self.pk])

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Requirement) -> bool | None:
        # The owner of a requirement may update its status, notes and evidence.
        if action == "change" and obj.owner_id == membership.user_id and membership.role in CONTRIBUTORS:
            return True
        return None


class EvidenceLink(GenericTargetModel):
    """A link from a requirement to any record of the same organization that proves it."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": CONTRIBUTORS, "delete": CONTRIBUTORS}

    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="evidence_links")
    note = models.CharField(max_length=300, blank=True)
    target_label = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "evidence link"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "requirement", "content_type", "object_id"],
                name="evidencelink_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "requirement"], name="evidencelink_req_idx"),
            models.Index(
                fields=["organization", "content_type", "object_id"], name="evidencelink_target_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.clause.number} → {self.target_label or self.object_id}"

    def get_absolute_url(self) -> str:
        return reverse("standards:requirement", args=[self.requirement_id])


class ReadinessSnapshot(TenantModel):
    """The readiness figures of one day, kept to draw the trend."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS}

    date = models.DateField()
    overall = models.FloatField()
    groups = models.JSONField(default=dict)  # {"4": 0.75, ...}
    applicable = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    gaps = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "readiness snapshot"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "date"], name="readinesssnapshot_day_unique")
        ]
        indexes = [models.Index(fields=["organization", "date"], name="readinesssnapshot_date_idx")]

    def __str__(self) -> str:
        return f"Readiness {self.date}: {self.overall:.0%}"

    def get_absolute_url(self) -> str:
        return reverse("standards:readiness")


class LegacyProcedure(TenantModel):
    """An old procedure structured on the 1994 20 elements, tagged with its element."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": CONTRIBUTORS,
        "change": CONTRIBUTORS,
        "delete": WRITERS,
    }

    reference = models.CharField(max_length=40, help_text="The old procedure number, e.g. QP-4.9-01.")
    title = models.CharField(max_length=200)
    element = models.ForeignKey(
        Clause,
        on_delete=models.PROTECT,
        related_name="legacy_procedures",
        help_text="The 1994 element the procedure was written for.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "legacy procedure"
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "reference"], name="legacyprocedure_reference_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "element"], name="legacyprocedure_element_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("standards:legacyprocedure", args=[self.pk])


def pack_job_path(instance: PackJob, filename: str) -> str:
    return f"org-{instance.organization_id}/evidence-packs/{filename}"


class PackJob(TenantModel):
    """One evidence pack being built from the button, a bounded chunk of steps per progress poll.

    The ZIP grows in storage between requests; ``plan`` keeps the list of files chosen at the first
    step so every later step packs exactly what the index lists.
    """

    # Whoever may read the requirements may build the pack (the rule of the button since the start).
    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": ALL_ROLES, "change": ALL_ROLES}

    status = models.CharField(max_length=10, choices=PackJobStatus.choices, default=PackJobStatus.PENDING)
    total_steps = models.PositiveIntegerField(default=0)
    done_steps = models.PositiveIntegerField(default=0)
    current_label = models.CharField(max_length=300, blank=True)
    file = models.FileField(upload_to=pack_job_path, max_length=300, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    audit_exclude: ClassVar[frozenset[str]] = frozenset({"updated_at", "version", "search_text", "plan"})

    class Meta:
        verbose_name = "evidence pack job"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_steps__lte=models.F("total_steps")) | models.Q(total_steps=0),
                name="packjob_done_within_total",
            ),
        ]
        indexes = [models.Index(fields=["organization", "created_at"], name="packjob_created_idx")]

    def __str__(self) -> str:
        return f"Evidence pack {self.pk} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("standards:packjob", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in PACK_JOB_FINISHED

    @property
    def current_clause(self) -> str:
        """The clause whose evidence files are being packed ("files/7.1.5.2/12-x.pdf" -> "7.1.5.2")."""
        parts = self.current_label.split("/")
        return parts[1] if len(parts) > 2 and parts[0] == "files" else ""

    @property
    def percent(self) -> int:
        if self.status == PackJobStatus.DONE:
            return 100
        return int(100 * self.done_steps / self.total_steps) if self.total_steps else 0
