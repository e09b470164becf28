from qualitas.accounts.choices import Role
from qualitas.actions.choices import ActionStatus as S
from qualitas.core.workflow import Transition, Workflow

MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR})


def _needs_note(action: object) -> str:
    return (
        "" if getattr(action, "completion_note", "").strip() else "Describe what was done before completing."
    )


ACTION_WORKFLOW = Workflow(
    field="status",
    owner_field="owner",
    transitions=[
        Transition("start", (S.OPEN,), S.IN_PROGRESS, MANAGERS, owner_may=True, style="secondary"),
        Transition("complete", (S.OPEN, S.IN_PROGRESS), S.DONE, MANAGERS, owner_may=True, guard=_needs_note),
        Transition(
            "reopen", (S.DONE, S.CANCELLED), S.OPEN, MANAGERS, reason_required=True, style="secondary"
        ),
        Transition(
            "cancel", (S.OPEN, S.IN_PROGRESS), S.CANCELLED, MANAGERS, reason_required=True, style="danger"
        ),
    ],
)
