from qualitas.accounts.choices import CONTRIBUTORS, Role
from qualitas.core.workflow import Transition, Workflow
from qualitas.production.choices import LotStatus as S

DECIDERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})

# Release is not a plain transition: it needs an electronic signature (services.release_lot).
LOT_WORKFLOW = Workflow(
    field="status",
    transitions=[
        Transition(
            "hold",
            (S.IN_PROCESS,),
            S.ON_HOLD,
            CONTRIBUTORS,
            label="Put on hold",
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "resume",
            (S.ON_HOLD,),
            S.IN_PROCESS,
            DECIDERS,
            label="Take off hold",
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "reject", (S.IN_PROCESS, S.ON_HOLD), S.REJECTED, DECIDERS, reason_required=True, style="danger"
        ),
    ],
)
