"""Writes of the risk register: the risk matrix, risks and opportunities, their reviews and actions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.actions import services as actions
from qualitas.actions.choices import ActionKind
from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.planning import scoring
from qualitas.planning.choices import (
    OPPORTUNITY_TREATMENTS,
    RISK_TREATMENTS,
    RiskKind,
    RiskStatus,
)
from qualitas.planning.models import (
    Objective,
    PlanningSettings,
    Risk,
)
from qualitas.planning.queries import get_settings
from qualitas.planning.workflow import RISK_WORKFLOW

log = logging.getLogger(__name__)


# --- settings ------------------------------------------------------------------------------------


@transaction.atomic
def update_settings(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PlanningSettings:
    current = get_settings(organization)
    size = int(data.get("matrix_size", current.matrix_size))
    try:
        scoring.check_matrix_size(size)
    except ValueError as exc:
        raise ValidationError({"matrix_size": str(exc)}) from None
    too_high = (
        Risk.objects.filter(organization=organization).filter(likelihood__gt=size).count()
        + Risk.objects.filter(organization=organization, impact__gt=size).count()
    )
    if too_high:
        raise ValidationError(
            {"matrix_size": f"{too_high} rating(s) lie above {size}; re-rate those risks first."}
        )
    if current.pk is None:
        ensure_allowed(actor, organization, "add", PlanningSettings)
        current.created_by = actor
        current.matrix_size = size
        with audit.tracking(current, actor=actor, action="planningsettings.create", reason=reason):
            current.save()
    else:
        current = update_record(
            current, actor=actor, data={"matrix_size": size}, expected_version=expected_version, reason=reason
        )
    # Scores depend on the matrix size: recompute every risk (each change is audited).
    for risk in Risk.objects.filter(organization=organization).select_for_update():
        before = (risk.inherent_level, risk.residual_level, risk.level)
        _compute_levels(risk, size)
        if before != (risk.inherent_level, risk.residual_level, risk.level):
            with audit.tracking(
                risk, actor=actor, action="risk.rescore", reason=f"Matrix size now {size}×{size}"
            ):
                _compute_levels(risk, size)
                risk.save()
    return current


# --- risks and opportunities ---------------------------------------------------------------------


def _compute_levels(risk: Risk, size: int) -> None:
    risk.inherent_score, risk.inherent_level = scoring.level_of(risk.likelihood, risk.impact, size)
    if risk.residual_likelihood and risk.residual_impact:
        risk.residual_score, risk.residual_level = scoring.level_of(
            risk.residual_likelihood, risk.residual_impact, size
        )
    else:
        risk.residual_score, risk.residual_level = None, ""
    risk.level = risk.residual_level or risk.inherent_level


def check_risk(risk: Risk, size: int) -> None:
    errors: dict[str, str] = {}
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        value = getattr(risk, name)
        if value is not None and not 1 <= int(value) <= size:
            errors[name] = f"Rate from 1 to {size} (the organization's matrix is {size}×{size})."
    if (risk.residual_likelihood is None) != (risk.residual_impact is None):
        errors["residual_impact"] = "Give both residual likelihood and residual impact, or neither."
    allowed = RISK_TREATMENTS if risk.kind == RiskKind.RISK else OPPORTUNITY_TREATMENTS
    if risk.treatment and risk.treatment not in allowed:
        labels = ", ".join(str(t.label).lower() for t in allowed)
        errors["treatment"] = (
            f"For {'a risk' if risk.kind == RiskKind.RISK else 'an opportunity'} choose: {labels}."
        )
    if errors:
        raise ValidationError(errors)
    _compute_levels(risk, size)


def create_risk(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Risk:
    size = get_settings(organization).matrix_size
    return create_numbered(
        Risk,
        organization=organization,
        actor=actor,
        data=data,
        prefix="RO",
        reason=reason,
        members=("owner",),
        prepare=lambda risk: check_risk(risk, size),
    )


@transaction.atomic
def update_risk(
    risk: Risk, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Risk:
    organization = risk.organization
    assert_same_organization(organization, data)
    ensure_member(organization, data.get("owner"), "owner")
    size = get_settings(organization).matrix_size
    with audit.tracking(
        risk, actor=actor, action="risk.update", reason=reason, expected_version=expected_version
    ):
        ensure_allowed(actor, organization, "change", risk)
        for name, value in data.items():
            setattr(risk, name, value)
        check_risk(risk, size)
        risk.full_clean()
        risk.save()
    return risk


@transaction.atomic
def transition_risk(
    risk: Risk,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Risk:
    with workflow_step(
        risk,
        RISK_WORKFLOW,
        name,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        event_reason=reason or note,
    ):
        if risk.status == RiskStatus.ACCEPTED:
            risk.accepted_by = actor
            risk.accepted_at = timezone.now()
        elif name == "reopen":
            risk.accepted_by, risk.accepted_at = None, None
    return risk


@transaction.atomic
def record_risk_review(
    risk: Risk, *, actor: Any, next_review: dt.date | None, effectiveness: str = "", note: str = ""
) -> Risk:
    """A periodic review: the date is recorded, the next one set, the effectiveness of actions rated."""
    today = timezone.localdate()
    if next_review is not None and next_review <= today:
        raise ValidationError({"next_review": "The next review lies in the future."})
    with audit.tracking(risk, actor=actor, action="risk.review", reason=note):
        ensure_allowed(actor, risk.organization, "change", risk)
        risk.last_reviewed = today
        risk.review_date = next_review
        if effectiveness:
            risk.effectiveness = effectiveness
        if note:
            risk.effectiveness_note = note
        risk.full_clean()
        risk.save()
    return risk


def add_plan_action(subject: Risk | Objective, *, actor: Any, data: dict[str, Any]) -> Any:
    """A treatment action of a risk, or a step of an objective's plan: a core action about it."""
    kind = (
        ActionKind.PREVENTIVE
        if isinstance(subject, Risk) and subject.kind == RiskKind.RISK
        else ActionKind.IMPROVEMENT
    )
    return actions.create_action(
        organization=subject.organization, actor=actor, data={"kind": kind, **data}, subject=subject
    )


def create_settings(*, organization: Any, actor: Any, data: dict[str, Any]) -> PlanningSettings:
    return update_settings(organization, actor=actor, data=data)


def update_settings_record(
    current: PlanningSettings,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PlanningSettings:
    return update_settings(
        current.organization, actor=actor, data=data, expected_version=expected_version, reason=reason
    )
