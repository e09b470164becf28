"""The scope statement and the applicability of requirements."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_record, update_record
from qualitas.standards import queries
from qualitas.standards.choices import ScopeProfile
from qualitas.standards.models import (
    Requirement,
    ScopeStatement,
)
from qualitas.standards.rules import warnings_for
from qualitas.standards.services.requirements import clause_by_number, ensure_requirements, new_requirement

# --- scope and applicability -----------------------------------------------------------------------


@transaction.atomic
def set_applicability(
    organization: Any,
    clause_number: str,
    *,
    actor: Any,
    applicable: bool,
    justification: str = "",
    reason: str = "",
) -> list[str]:
    """Declare a clause (or every subclause of a heading) applicable or not; returns warnings.

    Not applicable needs a written justification (ISO 9001 4.3): refused without one.
    """
    ensure_allowed(actor, organization, "applicability", Requirement)
    justification = (justification or "").strip()
    if not applicable and not justification:
        raise ValidationError(
            {
                "justification": "Say why this requirement does not apply (ISO 9001 4.3 asks "
                "for a justification of every non-applicable requirement)."
            }
        )
    numbers = queries.leaf_numbers_under(clause_number)
    if not numbers:
        raise ValidationError({"clause": f"There is no clause {clause_number} in ISO 9001:2015."})
    for number in numbers:
        clause = clause_by_number(number)
        req = Requirement.objects.select_for_update().filter(organization=organization, clause=clause).first()
        if req is None:
            new_requirement(
                organization,
                clause,
                actor=actor,
                applicable=applicable,
                justification="" if applicable else justification,
            )
            continue
        new_just = "" if applicable else justification
        if req.applicable == applicable and req.justification == new_just:
            continue
        with audit.tracking(req, actor=actor, action="requirement.applicability", reason=reason):
            req.applicable = applicable
            req.justification = new_just
            req.full_clean(validate_unique=False)
            req.save()
    if applicable:
        return []
    return warnings_for(numbers, queries.scope_of(organization))


@transaction.atomic
def apply_profile(
    organization: Any, profile: str, *, actor: Any, design_justification: str = ""
) -> list[str]:
    """Production scope: 8.3 and its subclauses not applicable; full: design back in scope; custom: as is."""
    if profile == ScopeProfile.PRODUCTION:
        if not design_justification.strip():
            raise ValidationError(
                {
                    "design_justification": "The production scope declares 8.3 not applicable: "
                    "say why the organization does no design."
                }
            )
        return set_applicability(
            organization,
            "8.3",
            actor=actor,
            applicable=False,
            justification=design_justification,
            reason="Scope profile: production",
        )
    if profile == ScopeProfile.FULL:
        return set_applicability(
            organization, "8.3", actor=actor, applicable=True, reason="Scope profile: full"
        )
    return []


@transaction.atomic
def save_scope(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    design_justification: str = "",
) -> tuple[ScopeStatement, list[str]]:
    """Create or update the scope statement; a changed profile is applied to the requirements."""
    data = dict(data)
    scope = queries.scope_of(organization)
    old_profile = scope.profile if scope else None
    if scope is None:
        scope = create_record(
            ScopeStatement, organization=organization, actor=actor, data=data, reason=reason
        )
        ensure_requirements(organization, actor=actor)
    else:
        scope = update_record(scope, actor=actor, data=data, expected_version=expected_version, reason=reason)
    warnings: list[str] = []
    if scope.profile != old_profile:
        warnings = apply_profile(
            organization, scope.profile, actor=actor, design_justification=design_justification
        )
    if scope.outsourced_design:
        na_design = Requirement.objects.filter(
            organization=organization, applicable=False, clause__number__startswith="8.3."
        ).exists()
        if na_design:
            warnings += [w for w in warnings_for(["8.3"], scope) if w not in warnings]
    return scope, warnings
