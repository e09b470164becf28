from qualitas.accounts.choices import WRITERS, Role
from qualitas.core.workflow import Transition, Workflow
from qualitas.planning.choices import PolicyStatus as P
from qualitas.planning.choices import RiskStatus as R

CONTRIBUTORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR})


def _has_treatment(risk: object) -> str:
    if not getattr(risk, "treatment", ""):
        return "Choose a treatment before accepting the risk or opportunity."
    return ""


# Acceptance of the remaining (residual) risk is the decision of an authorised role: the quality
# manager or an administrator. The owner may close or reopen, not accept.
RISK_WORKFLOW = Workflow(
    field="status",
    owner_field="owner",
    transitions=[
        Transition(
            "accept", (R.OPEN,), R.ACCEPTED, WRITERS, label="Accept residual level", guard=_has_treatment
        ),
        Transition(
            "reopen",
            (R.ACCEPTED, R.CLOSED),
            R.OPEN,
            CONTRIBUTORS,
            reason_required=True,
            owner_may=True,
            style="secondary",
        ),
        Transition("close", (R.OPEN, R.ACCEPTED), R.CLOSED, WRITERS, reason_required=True, style="secondary"),
    ],
)

POLICY_WORKFLOW = Workflow(
    field="status",
    transitions=[
        Transition("approve", (P.DRAFT,), P.APPROVED, WRITERS, label="Approve and publish"),
        Transition("withdraw", (P.APPROVED,), P.SUPERSEDED, WRITERS, reason_required=True, style="danger"),
    ],
)
