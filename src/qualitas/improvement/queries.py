"""Read side of the improvement area: scoped querysets and aggregates (all in SQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from qualitas.accounts.choices import Role
from qualitas.actions.choices import OPEN_STATES, ActionKind
from qualitas.actions.queries import Action, actions_about  # Action: annotations and permission checks
from qualitas.improvement.choices import OPEN_NC_STATES, NCStatus
from qualitas.improvement.models import (
    CauseCategory,
    ImprovementSettings,
    IshikawaCause,
    Nonconformity,
    WhyStep,
)


def settings_for(organization: Any) -> ImprovementSettings:
    """The organization's settings, or unsaved defaults (independent verification, one year)."""
    found = ImprovementSettings.objects.filter(organization=organization).first()
    return found or ImprovementSettings(organization_id=getattr(organization, "pk", organization))


def settings_for_request(request: Any, organization: Any) -> ImprovementSettings:
    """``settings_for`` read once per request (the list's filters and its labels share it)."""
    cached = getattr(request, "_improvement_settings", None)
    if cached is None or cached.organization_id != getattr(organization, "pk", organization):
        cached = settings_for(organization)
        if request is not None:
            request._improvement_settings = cached
    return cached


def choice_labels(organization: Any, request: Any = None) -> dict[str, dict[str, str]]:
    """Labels of the organization's sources and severities, for pages (one query per request)."""
    s = settings_for_request(request, organization)
    return {"source_labels": s.labels("source"), "severity_labels": s.labels("severity")}


def open_nonconformities(qs: QuerySet[Nonconformity]) -> QuerySet[Nonconformity]:
    return qs.filter(status__in=OPEN_NC_STATES)


def overdue_nonconformities(qs: QuerySet[Nonconformity]) -> QuerySet[Nonconformity]:
    return open_nonconformities(qs).filter(due_date__lt=timezone.localdate())


def nc_actions(nc: Nonconformity) -> QuerySet[Action]:
    return actions_about(nc)


def open_actions(nc: Nonconformity) -> QuerySet[Action]:
    return actions_about(nc).filter(status__in=OPEN_STATES)


def corrective_actions(nc: Nonconformity) -> QuerySet[Action]:
    return actions_about(nc).filter(kind__in=(ActionKind.CORRECTIVE, ActionKind.PREVENTIVE))


def action_owner_ids(nc: Nonconformity) -> set[int]:
    return set(actions_about(nc).values_list("owner_id", flat=True))


def has_structured_analysis(nc: Nonconformity) -> bool:
    return (
        WhyStep.objects.filter(nonconformity=nc).exists()
        or IshikawaCause.objects.filter(nonconformity=nc, is_root=True).exists()
    )


def whys_of(nc: Nonconformity) -> QuerySet[WhyStep]:
    return WhyStep.objects.filter(organization_id=nc.organization_id, nonconformity=nc)


def causes_of(nc: Nonconformity) -> QuerySet[IshikawaCause]:
    return IshikawaCause.objects.filter(organization_id=nc.organization_id, nonconformity=nc)


def categories(organization: Any, *, active_only: bool = False) -> QuerySet[CauseCategory]:
    qs = CauseCategory.objects.filter(organization=organization)
    return qs.filter(is_active=True) if active_only else qs


def quality_manager(organization: Any) -> Any:
    """The organization's first active quality manager (else its first administrator), or None."""
    from qualitas.accounts.models import Membership

    for role in (Role.QUALITY_MANAGER, Role.ADMIN):
        m = (
            Membership.objects.filter(organization=organization, role=role, is_active=True)
            .select_related("user")
            .order_by("created_at", "pk")
            .first()
        )
        if m is not None:
            return m.user
    return None


def recurrence_source(nc: Nonconformity) -> Nonconformity | None:
    """The latest nonconformity with the same root-cause category, process and product closed
    within the organization's recurrence window before ``nc`` was detected."""
    window = settings_for(nc.organization).recurrence_window_days
    earliest = nc.detected_on - dt.timedelta(days=window)
    same: dict[str, Any] = {
        "cause_category_id": nc.cause_category_id,
        "process_id": nc.process_id,  # no process matches no process
        "product": nc.product,
    }
    return (
        Nonconformity.objects.filter(
            organization=nc.organization,
            status=NCStatus.CLOSED,
            closed_at__date__gte=earliest,
            closed_at__date__lte=nc.detected_on,
            **same,
        )
        .exclude(pk=nc.pk)
        .order_by("-closed_at")
        .first()
    )


def dispositioned_ids(organization: Any, ids: Iterable[int]) -> set[int]:
    """Of the nonconformities ``ids``, those whose disposition has been decided."""
    return set(
        Nonconformity.objects.filter(organization_id=getattr(organization, "pk", organization), pk__in=ids)
        .exclude(disposition="")
        .values_list("pk", flat=True)
    )


def code_in_use(organization: Any, kind: str, kept: set[str]) -> str | None:
    """A ``source`` or ``severity`` code that nonconformities use but ``kept`` leaves out."""
    qs = Nonconformity.objects.filter(organization=organization).exclude(**{f"{kind}__in": kept})
    code: str | None = qs.values_list(kind, flat=True).first()
    return code
