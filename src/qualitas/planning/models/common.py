"""What the planning records share: the planning roles, the owner's right to edit and the area's
settings (the risk matrix)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.urls import reverse

from qualitas.accounts.choices import WRITERS, Role
from qualitas.core.models import TenantModel

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
