from typing import Any

from qualitas.audits.choices import AuditStatus as S
from qualitas.audits.models import AUDIT_TEAM, MANAGERS
from qualitas.core.workflow import Transition, Workflow


def _ready_to_prepare(audit: Any) -> str:
    if audit.lead_auditor_id is None:
        return "Name a lead auditor before the audit is prepared."
    if not audit.items.exists():
        return "Generate or write the checklist before the audit is prepared."
    return ""


def _ready_to_report(audit: Any) -> str:
    pending = audit.items.filter(result="").count()
    if pending:
        return (
            f"{pending} checklist question(s) have no result yet "
            "(use “Not audited” where a question was skipped)."
        )
    if not audit.summary.strip():
        return "Write the summary of the audit before reporting it."
    return ""


AUDIT_WORKFLOW = Workflow(
    field="status",
    transitions=[
        Transition("prepare", (S.PLANNED,), S.PREPARED, AUDIT_TEAM, guard=_ready_to_prepare),
        Transition("start", (S.PREPARED,), S.IN_PROGRESS, AUDIT_TEAM),
        Transition(
            "report",
            (S.IN_PROGRESS,),
            S.REPORTED,
            AUDIT_TEAM,
            label="Complete and report",
            guard=_ready_to_report,
        ),
        Transition("close", (S.REPORTED,), S.CLOSED, AUDIT_TEAM, style="secondary"),
        Transition("reopen", (S.REPORTED,), S.IN_PROGRESS, MANAGERS, reason_required=True, style="secondary"),
        Transition(
            "cancel", (S.PLANNED, S.PREPARED), S.CANCELLED, MANAGERS, reason_required=True, style="danger"
        ),
    ],
)
