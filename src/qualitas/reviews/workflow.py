from typing import Any

from qualitas.core.workflow import Transition, Workflow
from qualitas.reviews.choices import ReviewStatus as S
from qualitas.reviews.models import MANAGERS


def _ready_to_minute(review: Any) -> str:
    if not review.conclusions.strip():
        return "Write the overall conclusion before freezing the minutes."
    if review.held_on is None:
        return "Record the date the review was held."
    return ""


REVIEW_WORKFLOW = Workflow(
    field="status",
    transitions=[
        Transition("start", (S.PLANNED,), S.IN_PROGRESS, MANAGERS, label="Open the meeting"),
        Transition(
            "minute",
            (S.IN_PROGRESS,),
            S.MINUTED,
            MANAGERS,
            label="Freeze the minutes",
            guard=_ready_to_minute,
        ),
        Transition("close", (S.MINUTED,), S.CLOSED, MANAGERS, style="secondary"),
        Transition("cancel", (S.PLANNED,), S.CANCELLED, MANAGERS, reason_required=True, style="danger"),
    ],
)
