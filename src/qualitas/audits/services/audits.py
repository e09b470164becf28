"""Audits: plan, priority, workflow and the plan sent to the auditees."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.audits import queries
from qualitas.audits.choices import AuditStatus
from qualitas.audits.logic import priority
from qualitas.audits.models import Audit
from qualitas.audits.workflow import AUDIT_WORKFLOW
from qualitas.core import audit as trail
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    create_numbered,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)

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


def _mark_clauses_verified(audit: Audit, *, actor: Any) -> None:
    try:
        from qualitas.standards.services import mark_verified_by_audit
    except ImportError:  # the standards area has not landed its service yet
        return
    numbers = queries.verified_clause_numbers(audit)
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
