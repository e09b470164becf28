"""All writes of the audit area."""

from __future__ import annotations

import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.audits import queries
from qualitas.audits.choices import NC_RESULTS, AuditStatus, FindingStatus, Result
from qualitas.audits.logic import clause_covers, priority
from qualitas.audits.models import (
    Audit,
    Auditor,
    AuditProgramme,
    CalendarSubscription,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
)
from qualitas.audits.workflow import AUDIT_WORKFLOW
from qualitas.core import audit as trail
from qualitas.core.exceptions import TransitionError
from qualitas.core.models import is_active_member
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    create_record,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)

BANK_PATH = Path(__file__).parent / "data" / "question_bank.json"


# --- programme -----------------------------------------------------------------------------------


def create_programme(*, organization: Any, actor: Any, data: dict[str, Any]) -> AuditProgramme:
    return create_record(AuditProgramme, organization=organization, actor=actor, data=data)


def update_programme(
    programme: AuditProgramme,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> AuditProgramme:
    return update_record(programme, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_programme(programme: AuditProgramme, *, actor: Any, reason: str = "") -> None:
    if programme.audits.exists():
        raise ValidationError("The programme has audits; cancel or move them first.")
    delete_record(programme, actor=actor, reason=reason)


# --- auditors ------------------------------------------------------------------------------------


def create_auditor(*, organization: Any, actor: Any, data: dict[str, Any]) -> Auditor:
    ensure_member(organization, data.get("user"), "user")
    if Auditor.objects.filter(organization=organization, user=data.get("user")).exists():
        raise ValidationError({"user": "This person is already in the auditor register."})
    return create_record(Auditor, organization=organization, actor=actor, data=data)


def update_auditor(
    auditor: Auditor,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Auditor:
    ensure_member(auditor.organization, data.get("user"), "user")
    return update_record(auditor, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_auditor(auditor: Auditor, *, actor: Any, reason: str = "") -> None:
    if auditor.led_audits.exists() or auditor.team_audits.exists():
        raise ValidationError("The auditor is named on audits; mark them inactive instead.")
    delete_record(auditor, actor=actor, reason=reason)


# --- audits --------------------------------------------------------------------------------------


def _check_audit(organization: Any, data: dict[str, Any]) -> None:
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        raise ValidationError({"planned_end": "The audit cannot end before it starts."})
    ensure_member(organization, data.get("auditees"), "auditees")
    programme = data.get("programme")
    if programme is not None and start and not (programme.period_start <= start <= programme.period_end):
        raise ValidationError(
            {
                "planned_start": f"The date lies outside the programme period "
                f"({programme.period_start} – {programme.period_end})."
            }
        )


def _with_priority(
    organization: Any, data: dict[str, Any], exclude_audit: int | None = None
) -> dict[str, Any]:
    processes = data.get("processes")
    if processes is None:
        return data
    inputs = queries.priority_inputs(organization, [p.pk for p in processes], exclude_audit=exclude_audit)
    level, _score, reason = priority(inputs)
    return {**data, "priority": level, "priority_reason": reason[:300]}


@transaction.atomic
def create_audit(*, organization: Any, actor: Any, data: dict[str, Any]) -> Audit:
    ensure_allowed(actor, organization, "add", Audit)
    _check_audit(organization, data)
    data = _with_priority(organization, dict(data))
    return create_numbered(Audit, organization=organization, actor=actor, data=data, prefix="AUD")


def _open_audit(audit: Audit) -> None:
    if audit.status in (AuditStatus.CLOSED, AuditStatus.CANCELLED):
        raise ValidationError("A closed or cancelled audit is retained evidence and cannot change.")


def update_audit(
    audit: Audit, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Audit:
    def checked(fresh: Audit, data: dict[str, Any]) -> dict[str, Any]:
        _open_audit(fresh)
        _check_audit(
            fresh.organization, {"programme": fresh.programme, "planned_start": fresh.planned_start, **data}
        )
        return _with_priority(fresh.organization, dict(data), exclude_audit=fresh.pk)

    return update_record(
        audit, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=checked
    )


def delete_audit(audit: Audit, *, actor: Any, reason: str = "") -> None:
    def planned_without_findings(fresh: Audit) -> None:
        if fresh.status != AuditStatus.PLANNED or fresh.findings.exists():
            raise ValidationError("Only a planned audit without findings can be deleted; cancel it instead.")

    delete_record(audit, actor=actor, reason=reason, check=planned_without_findings)


@transaction.atomic
def transition_audit(
    audit: Audit,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Audit:
    with workflow_step(
        audit, AUDIT_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        if name == "report":
            audit.reported_on = timezone.localdate()
    if name == "report":
        _mark_clauses_verified(audit, actor=actor)
    return audit


def verified_clause_numbers(audit: Audit) -> list[str]:
    """The audit's criteria that were audited without a nonconformity."""
    nc_clauses = {
        n for n in audit.findings.filter(kind__in=NC_RESULTS).values_list("clause__number", flat=True) if n
    }
    nc_clauses |= {
        n for n in audit.items.filter(result__in=NC_RESULTS).values_list("clause__number", flat=True) if n
    }
    audited = {
        n
        for n in audit.items.exclude(result__in=("", Result.NOT_AUDITED)).values_list(
            "clause__number", flat=True
        )
        if n
    }
    numbers = []
    for clause in audit.criteria.all().order_by("sort_key"):
        has_question = any(clause_covers(a, clause.number) for a in audited) or not audit.items.exists()
        if has_question and not any(clause_covers(n, clause.number) for n in nc_clauses):
            numbers.append(clause.number)
    return numbers


def _mark_clauses_verified(audit: Audit, *, actor: Any) -> None:
    try:
        from qualitas.standards.services import mark_verified_by_audit
    except ImportError:  # the standards area has not landed its service yet
        return
    numbers = verified_clause_numbers(audit)
    if numbers:
        mark_verified_by_audit(audit.organization, clause_numbers=numbers, audit=audit, actor=actor)


@transaction.atomic
def send_audit_plan(audit: Audit, *, actor: Any) -> list[str]:
    """Mail the audit plan to the auditees and the audit team (after commit); returns the addresses."""
    ensure_allowed(actor, audit.organization, "change", audit)
    recipients = sorted(
        {u.email for u in audit.auditees.all() if u.email}
        | {a.user.email for a in audit.team.all().select_related("user") if a.user.email}
        | ({audit.lead_auditor.user.email} if audit.lead_auditor and audit.lead_auditor.user.email else set())
    )
    if not recipients:
        raise ValidationError("Nobody to send the plan to: add auditees with an e-mail address.")
    with trail.tracking(audit, actor=actor, action="audit.send_plan"):
        audit.plan_sent_at = timezone.now()
        audit.save(update_fields=["plan_sent_at"])
    pk = audit.pk
    transaction.on_commit(lambda: _mail_plan(pk, recipients))
    return recipients


def _mail_plan(audit_pk: int, recipients: list[str]) -> None:
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string

    from qualitas.audits.reports import plan_context

    audit = Audit.objects.select_related("organization", "lead_auditor__user", "programme").get(pk=audit_pk)
    context = plan_context(audit)
    text = render_to_string("audits/mail/audit_plan.txt", context)
    html = render_to_string("audits/mail/audit_plan.html", context)
    message = EmailMultiAlternatives(f"Audit plan {audit.reference}: {audit.title}", text, to=recipients)
    message.attach_alternative(html, "text/html")
    message.send()


# --- checklist -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def question_bank() -> dict[str, list[str]]:
    data = json.loads(BANK_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def questions_for_clause(number: str) -> list[str]:
    bank = question_bank()
    parts = number.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in bank:
            return list(bank[key])
    return []


def checklist_plan(audit: Audit) -> list[dict[str, Any]]:
    """The questions a generated checklist holds: per criterion clause (its own or its nearest
    parent's questions, each family once) and per process."""
    plan: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for clause in audit.criteria.all().order_by("sort_key"):
        for q in questions_for_clause(clause.number):
            if (q, "") not in seen:
                seen.add((q, ""))
                plan.append({"clause": clause, "process": None, "question": q})
        if not questions_for_clause(clause.number):
            plan.append(
                {
                    "clause": clause,
                    "process": None,
                    "question": f"How is {clause.number} {clause.title} met? Show the evidence.",
                }
            )
    for process in audit.processes.all():
        for q in question_bank().get("process", []):
            plan.append({"clause": None, "process": process, "question": q})
    return plan


@transaction.atomic
def generate_checklist(audit: Audit, *, actor: Any, template: ChecklistTemplate | None = None) -> int:
    """Append generated questions (or a template's) to the audit's checklist; returns how many."""
    trail.lock(audit)
    ensure_allowed(actor, audit.organization, "change", audit)
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.PREPARED, AuditStatus.IN_PROGRESS):
        raise ValidationError("The checklist of a reported audit is part of the report and cannot change.")
    if template is not None:
        assert_same_organization(audit.organization, {"template": template})
        from qualitas.standards.models import Clause

        numbers = {q.get("clause") for q in template.questions if q.get("clause")}
        clauses = {
            c.number: c for c in Clause.objects.filter(number__in=numbers, standard__code=queries.STANDARD)
        }
        plan = [
            {"clause": clauses.get(q.get("clause") or ""), "process": None, "question": q["question"]}
            for q in template.questions
            if q.get("question")
        ]
    else:
        plan = checklist_plan(audit)
    existing = {(i.question, i.process_id) for i in audit.items.all()}
    position = audit.items.order_by("-position").values_list("position", flat=True).first() or 0
    created = 0
    for entry in plan:
        key = (entry["question"], entry["process"].pk if entry["process"] else None)
        if key in existing:
            continue
        existing.add(key)
        position += 1
        item = ChecklistItem(
            organization=audit.organization,
            audit=audit,
            position=position,
            clause=entry["clause"],
            process=entry["process"],
            question=entry["question"],
            created_by=actor,
        )
        with trail.tracking(item, actor=actor, action="checklistitem.create"):
            item.save()
        created += 1
    trail.record(
        audit,
        actor=actor,
        action="audit.generate_checklist",
        changes={
            "checklist": [
                None,
                f"{created} questions added" + (f" from template {template}" if template else ""),
            ]
        },
    )
    return created


def _check_item(audit: Audit, data: dict[str, Any]) -> None:
    """The audit, locked and read again, still takes checklist changes."""
    trail.lock(audit)
    if audit.status in (AuditStatus.REPORTED, AuditStatus.CLOSED, AuditStatus.CANCELLED):
        raise ValidationError("The checklist of a reported, closed or cancelled audit cannot change.")


@transaction.atomic
def create_checklist_item(*, organization: Any, actor: Any, data: dict[str, Any]) -> ChecklistItem:
    audit = data["audit"]
    _check_item(audit, data)
    if "position" not in data or not data["position"]:
        data = {
            **data,
            "position": (audit.items.order_by("-position").values_list("position", flat=True).first() or 0)
            + 1,
        }
    return create_record(ChecklistItem, organization=organization, actor=actor, data=data)


@transaction.atomic
def update_checklist_item(
    item: ChecklistItem,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ChecklistItem:
    """Edit a question or record its result; a nonconformity result raises a finding (and a
    nonconformity in the improvement area), an observation or OFI a finding."""
    data = {k: v for k, v in data.items() if k != "audit"}
    _check_item(item.audit, data)
    item = update_record(item, actor=actor, data=data, expected_version=expected_version, reason=reason)
    if item.result in (Result.MINOR_NC, Result.MAJOR_NC, Result.OBSERVATION, Result.OFI) and not (
        item.findings.exists()
    ):
        create_finding(
            organization=item.organization,
            actor=actor,
            data={
                "audit": item.audit,
                "item": item,
                "kind": item.result,
                "clause": item.clause,
                "process": item.process,
                "statement": item.notes.strip() or item.question,
                "evidence": item.evidence,
            },
        )
    return item


@transaction.atomic
def delete_checklist_item(item: ChecklistItem, *, actor: Any, reason: str = "") -> None:
    _check_item(item.audit, {})
    if item.findings.exists():
        raise ValidationError("The question has a finding; keep it as evidence.")
    delete_record(item, actor=actor, reason=reason)


@transaction.atomic
def save_as_template(audit: Audit, *, actor: Any, name: str, description: str = "") -> ChecklistTemplate:
    questions = [
        {"clause": i.clause.number if i.clause_id else "", "question": i.question}
        for i in audit.items.select_related("clause")
    ]
    if not questions:
        raise ValidationError({"name": "The checklist is empty."})
    if ChecklistTemplate.objects.filter(organization=audit.organization, name=name).exists():
        raise ValidationError({"name": "A template with this name exists."})
    return create_record(
        ChecklistTemplate,
        organization=audit.organization,
        actor=actor,
        data={"name": name, "description": description, "questions": questions},
    )


def create_template(*, organization: Any, actor: Any, data: dict[str, Any]) -> ChecklistTemplate:
    return create_record(ChecklistTemplate, organization=organization, actor=actor, data=data)


def update_template(
    template: ChecklistTemplate,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ChecklistTemplate:
    return update_record(template, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_template(template: ChecklistTemplate, *, actor: Any, reason: str = "") -> None:
    delete_record(template, actor=actor, reason=reason)


# --- findings ------------------------------------------------------------------------------------


@transaction.atomic
def create_finding(*, organization: Any, actor: Any, data: dict[str, Any]) -> Finding:
    """Record a finding; a nonconformity finding raises a nonconformity, linked both ways."""
    ensure_allowed(actor, organization, "add", Finding)
    audit = Audit.objects.select_for_update().get(pk=data["audit"].pk)
    assert_same_organization(organization, data)
    if audit.organization_id != organization.pk:
        raise ValidationError({"audit": "This record belongs to another organization."})
    if audit.status in (AuditStatus.CLOSED, AuditStatus.CANCELLED):
        raise ValidationError({"audit": "Findings cannot be added to a closed or cancelled audit."})
    n = Finding.objects.filter(organization=organization, audit=audit).count() + 1
    kind = data.get("kind")
    finding = Finding(
        organization=organization,
        created_by=actor,
        reference=f"{audit.reference}-F{n:02d}",
        status=FindingStatus.OPEN if kind in NC_RESULTS else FindingStatus.NOTED,
        **{k: v for k, v in data.items() if k != "status"},
    )
    finding.full_clean()
    with trail.tracking(finding, actor=actor, action="finding.create"):
        finding.save()
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
            f"clause {finding.clause.number}" if finding.clause_id else "",
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


# --- calendar ------------------------------------------------------------------------------------


@transaction.atomic
def calendar_subscription(organization: Any, *, actor: Any, reset: bool = False) -> CalendarSubscription:
    """The member's calendar address (created on first use; ``reset`` makes the old one stop working)."""
    if actor is None or not is_active_member(organization, actor):
        raise TransitionError("Only a member has a calendar address.")
    sub = CalendarSubscription.objects.filter(organization=organization, user=actor).first()
    if sub is None:
        sub = CalendarSubscription(
            organization=organization, user=actor, created_by=actor, token=secrets.token_urlsafe(32)
        )
        with trail.tracking(sub, actor=actor, action="calendarsubscription.create"):
            sub.save()
    elif reset:
        with trail.tracking(sub, actor=actor, action="calendarsubscription.reset"):
            sub.token = secrets.token_urlsafe(32)
            sub.save()
    return sub
