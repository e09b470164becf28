"""Read side of the improvement area: scoped querysets and aggregates (all in SQL)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from qualitas.actions.choices import OPEN_STATES, ActionKind
from qualitas.actions.models import Action
from qualitas.actions.queries import actions_about
from qualitas.improvement.choices import OPEN_NC_STATES
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
