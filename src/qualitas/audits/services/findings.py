"""Findings: nonconformities raised in the improvement area and their verified closure."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitas.audits import queries
from qualitas.audits.choices import NC_RESULTS, AuditStatus, FindingStatus, Result
from qualitas.audits.models import Audit, Finding
from qualitas.core import audit as trail
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import assert_same_organization, create_record, delete_record, update_record

# --- findings ------------------------------------------------------------------------------------


@transaction.atomic
def create_finding(*, organization: Any, actor: Any, data: dict[str, Any]) -> Finding:
    """Record a finding; a nonconformity finding raises a nonconformity, linked both ways."""
    ensure_allowed(actor, organization, "add", Finding)
    assert_same_organization(organization, data)
    audit = trail.lock(data["audit"])
    if audit.status in (AuditStatus.CLOSED, AuditStatus.CANCELLED):
        raise ValidationError({"audit": _("Findings cannot be added to a closed or cancelled audit.")})

    def numbered(finding: Finding) -> None:
        # Numbered within the audit: AUD-2026-0003-F01, -F02, ...
        n = Finding.objects.filter(organization=organization, audit=audit).count() + 1
        finding.reference = f"{audit.reference}-F{n:02d}"
        finding.status = FindingStatus.OPEN if finding.kind in NC_RESULTS else FindingStatus.NOTED

    data = {k: v for k, v in data.items() if k != "status"}
    finding = create_record(Finding, organization=organization, actor=actor, data=data, prepare=numbered)
    if finding.is_nonconformity:
        raise_nonconformity(finding, actor=actor)
    return finding


def raise_nonconformity(finding: Finding, *, actor: Any) -> Any:
    """Open a nonconformity in the improvement area for a nonconformity finding (both linked)."""
    try:
        from qualitas.improvement.services import open_nonconformity
    except ImportError:  # the improvement area has not landed its service yet: the finding stays
        return None
    audit = finding.audit
    where = " · ".join(
        x
        for x in (
            f"clause {finding.clause.number}" if finding.clause is not None else "",
            str(finding.process) if finding.process_id else "",
        )
        if x
    )
    nc = open_nonconformity(
        organization=finding.organization,
        actor=actor,
        related=[finding],
        data={
            "title": f"Audit finding {finding.reference}" + (f" ({where})" if where else ""),
            "description": f"{finding.statement}\n\nEvidence: {finding.evidence or '—'}\n\n"
            f"Raised by internal audit {audit.reference} {audit.title}.",
            "source": "internal_audit",
            "severity": "major" if finding.kind == Result.MAJOR_NC else "minor",
            "process": finding.process,
        },
    )
    with trail.tracking(finding, actor=actor, action="finding.link_nonconformity"):
        finding.nc_type = ContentType.objects.get_for_model(nc)
        finding.nc_id = nc.pk
        finding.save(update_fields=["nc_type", "nc_id"])
    return nc


def update_finding(
    finding: Finding,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Finding:
    data = {k: v for k, v in data.items() if k not in ("audit", "kind", "status")}
    return update_record(finding, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_finding(finding: Finding, *, actor: Any, reason: str = "") -> None:
    def without_nonconformity(fresh: Finding) -> None:
        if fresh.nc_id:
            raise ValidationError("The finding raised a nonconformity; it is kept as evidence.")

    delete_record(finding, actor=actor, reason=reason, check=without_nonconformity)


@transaction.atomic
def verify_finding(finding: Finding, *, actor: Any, audit: Audit, note: str) -> Finding:
    """A follow-up audit verifies that a nonconformity finding was closed effectively."""
    assert_same_organization(finding.organization, {"audit": audit})
    trail.lock(finding)
    ensure_allowed(actor, finding.organization, "change", finding)
    if not finding.is_nonconformity or finding.status != FindingStatus.OPEN:
        raise ValidationError("Only an open nonconformity finding can be verified.")
    if not note.strip():
        raise ValidationError({"note": "Say what was checked to verify the closure."})
    trail.lock(audit)
    if audit.status not in (AuditStatus.IN_PROGRESS, AuditStatus.REPORTED, AuditStatus.PREPARED):
        raise ValidationError({"audit": "Verify closure during a follow-up audit that is under way."})
    nc = finding.nonconformity
    if nc is not None and str(getattr(nc, "status", "closed")) not in queries.CLOSED_WORDS:
        state = nc.get_status_display() if hasattr(nc, "get_status_display") else nc.status
        raise ValidationError(
            f"The nonconformity {nc} is still {state}; close it before verifying the finding."
        )
    with trail.tracking(finding, actor=actor, action="finding.verify"):
        finding.status = FindingStatus.VERIFIED
        finding.verified_in = audit
        finding.verified_at = timezone.now()
        finding.verification_note = note
        finding.save()
    return finding
