"""All writes of the standards area, by topic: requirements (with the status import and legacy
procedures), scope and applicability, evidence, readiness snapshots and evidence packs."""

from qualitas.standards.services.evidence import link_evidence, mark_verified_by_audit, unlink_evidence
from qualitas.standards.services.packs import (
    advance_pack_job,
    record_snapshot,
    start_pack_job,
)
from qualitas.standards.services.requirements import (
    REQUIREMENT_FIELDS,
    create_legacy_procedure,
    ensure_requirements,
    import_status,
    requirement_for,
    save_requirement_for_clause,
    update_legacy_procedure,
    update_requirement,
)
from qualitas.standards.services.scope import apply_profile, save_scope, set_applicability

__all__ = [
    "REQUIREMENT_FIELDS",
    "advance_pack_job",
    "apply_profile",
    "create_legacy_procedure",
    "ensure_requirements",
    "import_status",
    "link_evidence",
    "mark_verified_by_audit",
    "record_snapshot",
    "requirement_for",
    "save_requirement_for_clause",
    "save_scope",
    "set_applicability",
    "start_pack_job",
    "unlink_evidence",
    "update_legacy_procedure",
    "update_requirement",
]
