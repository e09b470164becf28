"""Evidence links, and the clauses an internal audit verified."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction

from qualitas.core import audit
from qualitas.core.models import TenantModel
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import delete_record
from qualitas.standards import queries
from qualitas.standards.choices import RequirementStatus
from qualitas.standards.models import (
    EvidenceLink,
    Requirement,
)
from qualitas.standards.services.requirements import clause_by_number, new_requirement

# --- evidence --------------------------------------------------------------------------------------


@transaction.atomic
def link_evidence(
    requirement: Requirement, target: models.Model, *, actor: Any, note: str = ""
) -> EvidenceLink:
    """Link any record of the same organization as evidence of the requirement (idempotent)."""
    organization = requirement.organization
    ensure_allowed(actor, organization, "add", EvidenceLink)
    if not isinstance(target, TenantModel):
        raise ValidationError({"target": "Only records of the quality system can be linked as evidence."})
    if target.organization_id != organization.pk:
        raise ValidationError({"target": "This record belongs to another organization."})
    if isinstance(target, (Requirement, EvidenceLink)):
        raise ValidationError({"target": "A requirement cannot be its own evidence."})
    ct = ContentType.objects.get_for_model(target)
    existing = EvidenceLink.objects.filter(
        organization=organization, requirement=requirement, content_type=ct, object_id=target.pk
    ).first()
    if existing is not None:
        return existing
    link = EvidenceLink(
        organization=organization,
        requirement=requirement,
        content_type=ct,
        object_id=target.pk,
        note=note[:300],
        target_label=str(target)[:300],
        created_by=actor,
    )
    with audit.tracking(link, actor=actor, action="evidencelink.create"):
        link.save()
    audit.record(
        requirement,
        actor=actor,
        action="requirement.evidence_add",
        changes={"evidence": [None, f"{ct.app_label}.{ct.model}:{target.pk} {target}"]},
    )
    return link


@transaction.atomic
def unlink_evidence(link: EvidenceLink, *, actor: Any, reason: str = "") -> None:
    requirement = link.requirement
    label = f"{link.content_type.app_label}.{link.content_type.model}:{link.object_id} {link.target_label}"
    delete_record(link, actor=actor, reason=reason)
    audit.record(
        requirement,
        actor=actor,
        action="requirement.evidence_remove",
        changes={"evidence": [label, None]},
        reason=reason,
    )


@transaction.atomic
def mark_verified_by_audit(
    organization: Any,
    *,
    clause_numbers: list[str],
    audit: Any,
    actor: Any,
) -> list[Requirement]:
    """An internal audit found these clauses conforming: status "verified by audit" with a link to it.

    Headings ("8.5") stand for their subclauses; non-applicable requirements are skipped.
    """
    from qualitas.core import audit as trail

    if getattr(audit, "organization_id", None) != organization.pk:
        raise ValidationError({"audit": "The audit belongs to another organization."})
    ensure_allowed(actor, organization, "change", Requirement)
    numbers: list[str] = []
    for n in clause_numbers:
        for leaf in queries.leaf_numbers_under(str(n).strip()):
            if leaf not in numbers:
                numbers.append(leaf)
    done: list[Requirement] = []
    for number in numbers:
        clause = clause_by_number(number)
        req = Requirement.objects.select_for_update().filter(organization=organization, clause=clause).first()
        if req is None:
            req = new_requirement(organization, clause, actor=actor)
        if not req.applicable:
            continue
        if req.status != RequirementStatus.VERIFIED:
            with trail.tracking(req, actor=actor, action="requirement.verify", reason=f"Verified by {audit}"):
                req.status = RequirementStatus.VERIFIED
                req.save()
        link_evidence(req, audit, actor=actor, note="Verified by internal audit")
        done.append(req)
    return done
