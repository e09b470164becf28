from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from qualitas.core.models import TenantModel
from qualitas.planning.choices import ProcessType


class Process(TenantModel):
    """A process of the QMS (ISO 9001 4.4): every other area links to it."""

    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    process_type = models.CharField(max_length=20, choices=ProcessType.choices, default=ProcessType.CORE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="owned_processes")
    purpose = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "processes"
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="process_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("planning:process", args=[self.pk])
