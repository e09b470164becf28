from typing import Any

from qualitas.accounts.choices import Role
from qualitas.assessment.choices import AssessmentStatus as S
from qualitas.core.workflow import Transition, Workflow

RUNNERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})


def _has_assessors(assessment: Any) -> str:
    return "" if assessment.assessors.exists() else "Invite at least one assessor before rating starts."


def _has_ratings(assessment: Any) -> str:
    return "" if assessment.ratings.exists() else "No assessor has rated anything yet."


def _consensus_complete(assessment: Any) -> str:
    from qualitas.assessment.queries import missing_consensus

    missing = missing_consensus(assessment)
    if missing:
        first = ", ".join(missing[:5])
        return f"Record the consensus level for every element first ({len(missing)} missing: {first})."
    return ""


ASSESSMENT_WORKFLOW = Workflow(
    field="status",
    owner_field="facilitator",
    transitions=[
        Transition(
            "start_rating",
            (S.DRAFT,),
            S.RATING,
            RUNNERS,
            label="Start rating",
            owner_may=True,
            guard=_has_assessors,
        ),
        Transition(
            "open_consensus",
            (S.RATING,),
            S.CONSENSUS,
            RUNNERS,
            label="Open consensus",
            owner_may=True,
            guard=_has_ratings,
        ),
        Transition(
            "back_to_rating",
            (S.CONSENSUS,),
            S.RATING,
            RUNNERS,
            label="Back to rating",
            owner_may=True,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "complete",
            (S.CONSENSUS,),
            S.COMPLETED,
            RUNNERS,
            label="Complete",
            owner_may=True,
            guard=_consensus_complete,
        ),
        Transition(
            "reopen",
            (S.COMPLETED,),
            S.CONSENSUS,
            RUNNERS,
            label="Reopen",
            reason_required=True,
            style="secondary",
        ),
    ],
)
