"""The ISO 9004 maturity model (catalog data shipped with the package, shared by every
organization) and each organization's self-assessments."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from qualitas.accounts.choices import ALL_ROLES, EVERYONE_BUT_VIEWER, Role
from qualitas.assessment.choices import HIDDEN_STATES, AssessmentMode, AssessmentStatus, ElementKind
from qualitas.core.models import TenantModel, TenantQuerySet

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]
RUNNERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})


# --- catalog -------------------------------------------------------------------------------------


class MaturityModelManager(models.Manager["MaturityModel"]):
    def get_by_natural_key(self, code: str) -> MaturityModel:
        return self.get(code=code)


class ElementManager(models.Manager["Element"]):
    def get_by_natural_key(self, model_code: str, kind: str, number: str) -> Element:
        return self.get(maturity_model__code=model_code, kind=kind, number=number)


class MaturityModel(models.Model):
    """A maturity model loaded from a data file (``assessment/data/*.json``)."""

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    based_on = models.CharField(max_length=120, blank=True)
    description = models.TextField(blank=True)
    level_names = models.JSONField(default=list)  # ["Basic", ..., "Best practice"]
    profiles = models.JSONField(default=dict)  # {"small": ["5.2", ...]}

    objects = MaturityModelManager()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:maturitymodel", args=[self.code])

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Element(models.Model):
    """One rated element: a key question of a clause, or a subclause."""

    maturity_model = models.ForeignKey(MaturityModel, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(max_length=10, choices=ElementKind.choices)
    clause = models.CharField(max_length=10)  # "9"
    clause_title = models.CharField(max_length=200)
    number = models.CharField(max_length=20)  # "9.2.2" (the clause number for a key question)
    title = models.CharField(max_length=200)
    question = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = ElementManager()

    class Meta:
        ordering = ["maturity_model", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["maturity_model", "kind", "number"], name="element_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def natural_key(self) -> tuple[str, str, str]:
        return (self.maturity_model.code, self.kind, self.number)

    natural_key.dependencies = ["assessment.maturitymodel"]  # type: ignore[attr-defined]


class Level(models.Model):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["element", "number"]
        constraints = [models.UniqueConstraint(fields=["element", "number"], name="level_number_unique")]

    def __str__(self) -> str:
        return f"{self.element.number} level {self.number}"


class Criterion(models.Model):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()

    class Meta:
        ordering = ["level", "position"]
        constraints = [
            models.UniqueConstraint(fields=["level", "position"], name="criterion_position_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


# --- assessments ---------------------------------------------------------------------------------


class Assessment(TenantModel):
    """One self-assessment: scope, date, facilitator, assessors, ratings, consensus, results."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "view": ALL_ROLES,
        "add": RUNNERS,
        "change": frozenset({Role.ADMIN, Role.QUALITY_MANAGER}),
        "delete": frozenset({Role.ADMIN, Role.QUALITY_MANAGER}),
    }

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    scope = models.TextField(help_text="What the assessment covers: the whole organization, a site, a unit.")
    date = models.DateField()
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    maturity_model = models.ForeignKey(MaturityModel, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=AssessmentMode.choices, default=AssessmentMode.DETAILED)
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="The facilitator's conclusions for top management.")

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="assessment_reference_unique"),
        ]
        indexes = [models.Index(fields=["organization", "status", "date"], name="assessment_status_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment", args=[self.pk])

    @property
    def ratings_hidden(self) -> bool:
        return self.status in HIDDEN_STATES

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Assessment) -> bool | None:
        # The facilitator runs their assessment whatever their role (not a read-only viewer).
        if action == "change" and obj.facilitator_id == membership.user_id and membership.role != Role.VIEWER:
            return True
        return None


class Assessor(TenantModel):
    """A person invited to rate an assessment."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"view": ALL_ROLES}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=120, blank=True, help_text="e.g. top management, production")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "user"], name="assessor_user_unique")]
        indexes = [models.Index(fields=["organization", "user"], name="assessor_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.assessment.reference}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment", args=[self.assessment_id]) + "#assessors"


class RatingQuerySet(TenantQuerySet):
    def visible_to(self, user: Any, organization: Any) -> TenantQuerySet:
        """Until consensus opens, a person sees only their own ratings (independent rating)."""
        qs = super().visible_to(user, organization)
        if user is None or not getattr(user, "is_authenticated", False):
            return qs
        return qs.exclude(models.Q(assessment__status__in=HIDDEN_STATES) & ~models.Q(assessor=user))


class Rating(TenantModel):
    """One assessor's rating of one element: met criteria (detailed) or a direct level (quick)."""

    # Any member may rate when invited; the service checks that the rating is the actor's own.
    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "view": ALL_ROLES,
        "add": EVERYONE_BUT_VIEWER,
        "change": EVERYONE_BUT_VIEWER,
    }

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(validators=LEVEL_VALIDATORS)
    met_criteria = models.JSONField(default=list, blank=True, help_text="Ids of the criteria marked as met.")
    comment = models.TextField(blank=True)
    evidence = models.TextField(blank=True, help_text="Links to evidence, one per line.")

    objects: ClassVar[Any] = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "element__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "assessor", "element"], name="rating_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="rating_level_range"),
        ]
        indexes = [
            models.Index(fields=["organization", "assessment", "assessor"], name="rating_assessor_idx")
        ]

    def __str__(self) -> str:
        return f"{self.element.number}: {self.level}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment_rate", args=[self.assessment_id]) + f"#el-{self.element_id}"

    @property
    def evidence_links(self) -> list[str]:
        """Only web links and links inside Qualitas: never ``javascript:`` or other schemes."""
        return [line for line in (raw.strip() for raw in self.evidence.splitlines()) if is_safe_link(line)]


def is_safe_link(link: str) -> bool:
    lowered = link.lower()
    return lowered.startswith(("https://", "http://")) or (link.startswith("/") and not link.startswith("//"))


class ElementResult(TenantModel):
    """The consensus on one element: level, reasoning, target, and whether it is an improvement priority."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"view": ALL_ROLES}

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True, validators=LEVEL_VALIDATORS)
    reasoning = models.TextField(blank=True)
    target_level = models.PositiveSmallIntegerField(null=True, blank=True, validators=LEVEL_VALIDATORS)
    is_priority = models.BooleanField(default=False)

    class Meta:
        ordering = ["assessment", "element__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "element"], name="elementresult_unique"),
        ]
        indexes = [models.Index(fields=["organization", "assessment"], name="elementresult_assessment_idx")]

    def __str__(self) -> str:
        return f"{self.assessment.reference} · {self.element.number} {self.element.title}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:assessment_results", args=[self.assessment_id]) + f"#el-{self.element_id}"

    @classmethod
    def allows(cls, membership: Any, action: str, obj: ElementResult) -> bool | None:
        return Assessment.allows(membership, action, obj.assessment)

    @property
    def gap(self) -> int | None:
        if self.level is None or self.target_level is None:
            return None
        return max(self.target_level - self.level, 0)
