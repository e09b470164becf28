"""The checklist: generated questions, results and templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.audits import queries
from qualitas.audits.choices import AuditStatus, Result
from qualitas.audits.models import Audit, ChecklistItem, ChecklistTemplate
from qualitas.audits.services.findings import create_finding
from qualitas.core import audit as trail
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import assert_same_organization, create_record, delete_record, update_record


@transaction.atomic
def generate_checklist(audit: Audit, *, actor: Any, template: ChecklistTemplate | None = None) -> int:
    """Append generated questions (or a template's) to the audit's checklist; returns how many."""
    trail.lock(audit)
    ensure_allowed(actor, audit.organization, "change", audit)
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.PREPARED, AuditStatus.IN_PROGRESS):
        raise ValidationError("The checklist of a reported audit is part of the report and cannot change.")
    if template is not None:
        assert_same_organization(audit.organization, {"template": template})
        from qualitas.standards import queries as standards

        numbers = {q.get("clause") for q in template.questions if q.get("clause")}
        clauses = {c.number: c for c in standards.clauses(queries.STANDARD).filter(number__in=numbers)}
        plan = [
            {"clause": clauses.get(q.get("clause") or ""), "process": None, "question": q["question"]}
            for q in template.questions
            if q.get("question")
        ]
    else:
        plan = queries.checklist_plan(audit)
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
