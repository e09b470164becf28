"""All writes of the standards area: scope, applicability, requirement status, evidence links,
readiness snapshots, legacy procedures and status imports."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.models import TenantModel
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import create_record, delete_record, ensure_member, update_record
from qualitas.standards import queries
from qualitas.standards.choices import ISO9001, LEGACY_1994, PackJobStatus, RequirementStatus, ScopeProfile
from qualitas.standards.models import (
    Clause,
    EvidenceLink,
    LegacyProcedure,
    PackJob,
    ReadinessSnapshot,
    Requirement,
    ScopeStatement,
)
from qualitas.standards.rules import warnings_for

logger = logging.getLogger(__name__)

REQUIREMENT_FIELDS = ("status", "owner", "target_date", "notes")


def _clause(number: str, standard_code: str = ISO9001) -> Clause:
    try:
        return Clause.objects.select_related("standard").get(standard__code=standard_code, number=number)
    except Clause.DoesNotExist:
        raise ValidationError({"clause": f"There is no clause {number} in {standard_code}."}) from None


# --- requirements ----------------------------------------------------------------------------------


def _create_requirement(organization: Any, clause: Clause, *, actor: Any, **values: Any) -> Requirement:
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
    return _create_requirement(organization, clause, actor=actor)


@transaction.atomic
def ensure_requirements(organization: Any, *, actor: Any) -> int:
    """Create the missing requirement rows for every auditable ISO 9001 clause; returns how many."""
    ensure_allowed(actor, organization, "add", Requirement)
    have = set(Requirement.objects.filter(organization=organization).values_list("clause_id", flat=True))
    created = 0
    for clause in queries.auditable_clauses():
        if clause.pk not in have:
            _create_requirement(organization, clause, actor=actor)
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
        clause = _clause(number)
        req = Requirement.objects.select_for_update().filter(organization=organization, clause=clause).first()
        if req is None:
            _create_requirement(
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
        clause = _clause(number)
        req = Requirement.objects.select_for_update().filter(organization=organization, clause=clause).first()
        if req is None:
            req = _create_requirement(organization, clause, actor=actor)
        if not req.applicable:
            continue
        if req.status != RequirementStatus.VERIFIED:
            with trail.tracking(req, actor=actor, action="requirement.verify", reason=f"Verified by {audit}"):
                req.status = RequirementStatus.VERIFIED
                req.save()
        link_evidence(req, audit, actor=actor, note="Verified by internal audit")
        done.append(req)
    return done


# --- readiness snapshots ---------------------------------------------------------------------------


@transaction.atomic
def record_snapshot(organization: Any, figures: dict[str, Any], *, day: Any = None) -> ReadinessSnapshot:
    """Keep the day's readiness figures for the trend (a system write: no person acts)."""
    today = day or timezone.localdate()
    data = {
        "overall": round(float(figures["overall"]), 4),
        "groups": {g["group"]: round(float(g["score"]), 4) for g in figures["groups"]},
        "applicable": figures["applicable"],
        "done": figures["done"],
        "gaps": figures["gap_count"],
    }
    with audit.context("job"):
        snap = (
            ReadinessSnapshot.objects.select_for_update()
            .filter(organization=organization, date=today)
            .first()
        )
        if snap is None:
            snap = ReadinessSnapshot(organization=organization, date=today, **data)
            with audit.tracking(snap, actor=None, action="readinesssnapshot.create"):
                snap.save()
        elif any(getattr(snap, k) != v for k, v in data.items()):
            with audit.tracking(snap, actor=None, action="readinesssnapshot.update"):
                for k, v in data.items():
                    setattr(snap, k, v)
                snap.save()
    return snap


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


def delete_legacy_procedure(obj: LegacyProcedure, *, actor: Any, reason: str = "") -> None:
    delete_record(obj, actor=actor, reason=reason)


# --- import ----------------------------------------------------------------------------------------


@transaction.atomic
def import_statuses(organization: Any, rows: Iterable[dict[str, Any]], *, actor: Any) -> int:
    """Apply parsed rows (clause, status, owner, target_date, notes); all or nothing.

    Rows are validated by ``transfer.parse_rows``; this function writes them through
    ``save_requirement_for_clause`` so each change has its audit event. Returns the number of changed rows.
    """
    changed = 0
    for row in rows:
        clause = _clause(row["clause"])
        req = audit.lock(requirement_for(organization, clause, actor=actor))
        data = {k: row[k] for k in REQUIREMENT_FIELDS if k in row and row[k] != getattr(req, k)}
        if data:
            update_requirement(req, actor=actor, data=data, reason="Imported from a status file")
            changed += 1
    return changed


# --- evidence pack jobs ----------------------------------------------------------------------------

# One progress poll does at most this much work (the PDF step alone may take longer on a large index).
PACK_CHUNK_STEPS = 20
PACK_CHUNK_SECONDS = 0.8


@transaction.atomic
def start_pack_job(organization: Any, *, actor: Any) -> PackJob:
    """Queue an evidence pack for the button; the progress polls build it (``advance_pack_job``)."""
    ensure_allowed(actor, organization, "add", PackJob)
    job = PackJob(organization=organization, created_by=actor)
    with audit.tracking(job, actor=actor, action="packjob.create"):
        job.save()
    job.file.save(f"evidence-pack-{organization.slug}-{job.pk}.zip", ContentFile(b""), save=False)
    job.save(update_fields=["file"])
    return job


def advance_pack_job(job: PackJob, *, actor: Any) -> PackJob:
    """Run the next bounded chunk of the pack and save the progress; never raises for a broken build.

    Progress saves are not audited (they are a counter); the start, the end and a failure are.
    """
    organization = job.organization
    ensure_allowed(actor, organization, "change", job)
    try:
        with transaction.atomic():
            job = PackJob.objects.select_for_update().filter(organization=organization).get(pk=job.pk)
            if job.finished:
                return job
            _run_pack_chunk(job, actor=actor)
        return job
    except Exception as exc:  # a broken pack is a failed job with a message, never a server error
        logger.exception("evidence pack job %s failed", job.pk)
        return _fail_pack_job(job, actor=actor, message=f"The pack could not be built: {exc}")


def _run_pack_chunk(job: PackJob, *, actor: Any) -> None:
    from qualitas.standards import pack

    organization = job.organization
    storage, name = job.file.storage, job.file.name
    with storage.open(name, "r+b") as fh, zipfile.ZipFile(fh, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        if job.status == PackJobStatus.PENDING or not job.plan:
            job.plan = pack.begin(organization, zf)
            job.status = PackJobStatus.RUNNING
            job.started_at = timezone.now()
            job.total_steps = pack.total_steps(job.plan)
            job.done_steps = 1
            job.current_label = "index.html"
        else:
            label = job.current_label

            def progress(step: str, _done: int, _total: int) -> None:
                nonlocal label
                label = step

            job.done_steps = pack.advance(
                organization,
                zf,
                job.plan,
                job.done_steps,
                max_steps=PACK_CHUNK_STEPS,
                seconds=PACK_CHUNK_SECONDS,
                progress=progress,
            )
            job.current_label = label[:300]
    if job.done_steps >= job.total_steps:
        job.status = PackJobStatus.DONE
        job.finished_at = timezone.now()
        counts = pack.counts(job.plan)
        job.message = f"{counts['clauses']} applicable clauses, {counts['files']} files" + (
            f", {counts['missing']} unreadable" if counts["missing"] else ""
        )
        audit.record(
            job,
            actor=actor,
            action="packjob.done",
            changes={"status": [PackJobStatus.RUNNING, PackJobStatus.DONE], "summary": [None, job.message]},
        )
    job.save()


@transaction.atomic
def _fail_pack_job(job: PackJob, *, actor: Any, message: str) -> PackJob:
    job = PackJob.objects.select_for_update().filter(organization=job.organization).get(pk=job.pk)
    if job.finished:
        return job
    with audit.tracking(job, actor=actor, action="packjob.fail"):
        job.status = PackJobStatus.FAILED
        job.message = message[:1000]
        job.finished_at = timezone.now()
        job.save()
    return job
