"""Requirements (one per auditable clause), their status import and legacy procedures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_record, ensure_member, update_record
from qualitas.standards import queries
from qualitas.standards.choices import ISO9001, LEGACY_1994
from qualitas.standards.models import (
    Clause,
    LegacyProcedure,
    Requirement,
)

REQUIREMENT_FIELDS = ("status", "owner", "target_date", "notes")


def clause_by_number(number: str, standard_code: str = ISO9001) -> Clause:
    try:
        return Clause.objects.select_related("standard").get(standard__code=standard_code, number=number)
    except Clause.DoesNotExist:
        raise ValidationError({"clause": f"There is no clause {number} in {standard_code}."}) from None


# --- requirements ----------------------------------------------------------------------------------


def new_requirement(organization: Any, clause: Clause, *, actor: Any, **values: Any) -> Requirement:
    req = Requirement(organization=organization, clause=clause, created_by=actor, **values)
    req.full_clean(validate_unique=False)
    with audit.tracking(req, actor=actor, action="requirement.create"):
        req.save()
    return req


@transaction.atomic
def requirement_for(organization: Any, clause: Clause, *, actor: Any) -> Requirement:
    """The organization's requirement on an auditable clause, created (not started) on first use."""
    if not clause.is_auditable or clause.standard.code != ISO9001:
        raise ValidationError({"clause": f"{clause.number} is a heading; track its subclauses instead."})
    existing = Requirement.objects.filter(organization=organization, clause=clause).first()
    if existing is not None:
        return existing
    ensure_allowed(actor, organization, "add", Requirement)
    return new_requirement(organization, clause, actor=actor)


@transaction.atomic
def ensure_requirements(organization: Any, *, actor: Any) -> int:
    """Create the missing requirement rows for every auditable ISO 9001 clause; returns how many."""
    ensure_allowed(actor, organization, "add", Requirement)
    have = set(Requirement.objects.filter(organization=organization).values_list("clause_id", flat=True))
    created = 0
    for clause in queries.auditable_clauses():
        if clause.pk not in have:
            new_requirement(organization, clause, actor=actor)
            created += 1
    return created


@transaction.atomic
def update_requirement(
    requirement: Requirement,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Requirement:
    unknown = set(data) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise ValidationError(
            {sorted(unknown)[0]: "Change applicability through the statement of applicability."}
        )
    ensure_member(requirement.organization, data.get("owner"), "owner")

    def applicable_status(fresh: Requirement, data: dict[str, Any]) -> dict[str, Any]:
        if not fresh.applicable and data.get("status", fresh.status) != fresh.status:
            raise ValidationError({"status": "This requirement is not applicable; make it applicable first."})
        return data

    return update_record(
        requirement,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        prepare=applicable_status,
    )


@transaction.atomic
def save_requirement_for_clause(
    organization: Any,
    clause: Clause,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Requirement:
    requirement = requirement_for(organization, clause, actor=actor)
    return update_requirement(
        requirement, actor=actor, data=data, expected_version=expected_version, reason=reason
    )


# --- legacy procedures -----------------------------------------------------------------------------


def _check_element(data: dict[str, Any]) -> None:
    element = data.get("element")
    if element is not None and (element.standard.code != LEGACY_1994 or element.level < 2):
        raise ValidationError({"element": "Choose one of the twenty 1994 elements (4.1 to 4.20)."})


def create_legacy_procedure(*, organization: Any, actor: Any, data: dict[str, Any]) -> LegacyProcedure:
    _check_element(data)
    return create_record(LegacyProcedure, organization=organization, actor=actor, data=data)


def update_legacy_procedure(
    obj: LegacyProcedure,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> LegacyProcedure:
    _check_element(data)
    return update_record(obj, actor=actor, data=data, expected_version=expected_version, reason=reason)


# --- import ----------------------------------------------------------------------------------------


@transaction.atomic
def import_status(organization: Any, row: dict[str, Any], *, actor: Any) -> Requirement:
    """Apply one row of a status file (``clause`` and any of status, owner, target_date, notes)
    through ``update_requirement``, so each change has its audit event; an unchanged row writes
    nothing."""
    clause = row["clause"] if isinstance(row["clause"], Clause) else clause_by_number(row["clause"])
    req = audit.lock(requirement_for(organization, clause, actor=actor))
    data = {k: row[k] for k in REQUIREMENT_FIELDS if k in row and row[k] != getattr(req, k)}
    if data:
        return update_requirement(req, actor=actor, data=data, reason="Imported from a status file")
    return req
