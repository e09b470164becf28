"""The corrective-action loop as a state machine, with the gates the product enforces."""

from __future__ import annotations

from typing import Any

from qualitas.accounts.choices import CONTRIBUTORS, Role
from qualitas.core.workflow import Transition, Workflow
from qualitas.improvement.choices import NCStatus as S
from qualitas.improvement.choices import OpportunityStatus as O

VERIFIERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.AUDITOR})
MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


def _containment_recorded(nc: Any) -> str:
    return "" if nc.containment.strip() else "Record the immediate correction (containment) first."


def _root_cause_found(nc: Any) -> str:
    from qualitas.improvement import queries

    if nc.cause_category_id is None:
        return "Choose a root-cause category first."
    if not nc.root_cause.strip() and not queries.has_structured_analysis(nc):
        return "State the root cause or record a 5 Whys chain or an Ishikawa root first."
    return ""


def _has_corrective_action(nc: Any) -> str:
    from qualitas.improvement import queries

    return "" if queries.corrective_actions(nc).exists() else "Plan at least one corrective action first."


def _no_open_action(nc: Any) -> str:
    from qualitas.improvement import queries

    n = queries.open_actions(nc).count()
    return f"{n} action(s) are still open: complete or cancel them first." if n else ""


NC_WORKFLOW = Workflow(
    field="status",
    owner_field="owner",
    transitions=[
        Transition(
            "contain", (S.REPORTED,), S.CONTAINMENT, CONTRIBUTORS, label="Start containment", owner_may=True
        ),
        Transition(
            "analyse",
            (S.CONTAINMENT,),
            S.ANALYSIS,
            CONTRIBUTORS,
            label="Start root-cause analysis",
            owner_may=True,
            guard=_containment_recorded,
        ),
        Transition(
            "plan",
            (S.ANALYSIS,),
            S.ACTION_PLAN,
            CONTRIBUTORS,
            label="Root cause found: plan actions",
            owner_may=True,
            guard=_root_cause_found,
        ),
        Transition(
            "implement",
            (S.ACTION_PLAN,),
            S.IMPLEMENTATION,
            CONTRIBUTORS,
            label="Start implementation",
            owner_may=True,
            guard=_has_corrective_action,
        ),
        Transition(
            "verify",
            (S.IMPLEMENTATION,),
            S.VERIFICATION,
            CONTRIBUTORS,
            label="Ready for verification",
            owner_may=True,
            guard=_no_open_action,
        ),
        # The verdict: effective closes the loop, not effective reopens it at root-cause analysis.
        Transition(
            "close",
            (S.VERIFICATION,),
            S.CLOSED,
            VERIFIERS,
            label="Verified effective: close",
            guard=_no_open_action,
        ),
        Transition(
            "not_effective",
            (S.VERIFICATION,),
            S.ANALYSIS,
            VERIFIERS,
            label="Not effective: reopen",
            reason_required=True,
            style="danger",
        ),
        Transition(
            "cancel",
            (S.REPORTED, S.CONTAINMENT, S.ANALYSIS, S.ACTION_PLAN, S.IMPLEMENTATION, S.VERIFICATION),
            S.CANCELLED,
            MANAGERS,
            reason_required=True,
            style="danger",
        ),
    ],
)

OPPORTUNITY_WORKFLOW = Workflow(
    field="status",
    owner_field="owner",
    transitions=[
        Transition("accept", (O.PROPOSED,), O.PLAN, CONTRIBUTORS, label="Accept: start a PDCA project"),
        Transition("reject", (O.PROPOSED,), O.REJECTED, CONTRIBUTORS, reason_required=True, style="danger"),
        Transition(
            "do",
            (O.PLAN,),
            O.DO,
            CONTRIBUTORS,
            label="Plan done: do",
            owner_may=True,
            guard=lambda o: "" if o.plan_notes.strip() else "Write the plan first.",
        ),
        Transition(
            "check",
            (O.DO,),
            O.CHECK,
            CONTRIBUTORS,
            label="Done: check results",
            owner_may=True,
            guard=lambda o: "" if o.do_notes.strip() else "Record what was done first.",
        ),
        Transition(
            "act",
            (O.CHECK,),
            O.ACT,
            CONTRIBUTORS,
            label="Checked: act",
            owner_may=True,
            guard=lambda o: "" if o.check_notes.strip() else "Record the check results first.",
        ),
        Transition(
            "finish",
            (O.ACT,),
            O.DONE,
            CONTRIBUTORS,
            label="Finish the project",
            owner_may=True,
            guard=lambda o: "" if o.act_notes.strip() else "Record how the change is standardised first.",
        ),
        Transition(
            "reopen", (O.DONE, O.REJECTED), O.PROPOSED, MANAGERS, reason_required=True, style="secondary"
        ),
    ],
)
