"""Processes of the QMS and how they feed each other (ISO 9001 4.4)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from qualitas.accounts.choices import WRITERS
from qualitas.core.models import TenantModel
from qualitas.planning.choices import (
    ProcessType,
)
from qualitas.planning.models.common import PLANNERS, OwnerMayChange


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
