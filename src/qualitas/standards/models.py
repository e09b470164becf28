"""The standards catalog (shared by every organization) and each organization's own view of it."""

from __future__ import annotations

from django.db import models


class DocumentedInformation(models.TextChoices):
    NONE = "", "No documented information required"
    MAINTAIN = "maintain", "Maintain (a controlled document)"
    RETAIN = "retain", "Retain (a record as evidence)"
    BOTH = "both", "Maintain and retain"


class Standard(models.Model):
    """A published standard or model in the catalog (data shipped in the package, not tenant data)."""

    code = models.SlugField(max_length=40, unique=True)  # "iso9001-2015"
    title = models.CharField(max_length=200)
    edition = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=20, default="requirements")  # requirements | guidance | legacy
    description = models.TextField(blank=True)
    data_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Clause(models.Model):
    """One clause or subclause (number and title are facts; description and guidance are our words)."""

    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="clauses")
    number = models.CharField(max_length=20)  # "7.1.5.1"
    title = models.CharField(max_length=300)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    level = models.PositiveSmallIntegerField(default=1)
    sort_key = models.CharField(max_length=60, db_index=True)
    description = models.TextField(blank=True)
    guidance = models.TextField(blank=True)
    documented_information = models.CharField(max_length=10, choices=DocumentedInformation.choices, blank=True)
    documented_information_note = models.CharField(max_length=300, blank=True)
    is_auditable = models.BooleanField(default=True)
    verified = models.BooleanField(default=True, help_text="False where the catalog entry still needs checking.")

    class Meta:
        ordering = ["standard", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="clause_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
