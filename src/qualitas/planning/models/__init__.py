"""Planning and performance records: context, interested parties, identity and policy, processes,
risks and opportunities, objectives, KPIs and their measurements (ISO 9001 4, 5.2, 6.1, 6.2, 9.1)."""

# In the order of the data model (docs/data-model.md and the organization export follow it).
# isort: off
from qualitas.planning.models.common import CONTRIBUTORS, PLANNERS, OwnerMayChange, PlanningSettings
from qualitas.planning.models.processes import Process, ProcessInteraction
from qualitas.planning.models.context import (
    ContextIssue,
    Identity,
    InterestedParty,
    PolicyCommunication,
    QualityPolicy,
)
from qualitas.planning.models.risks import Risk
from qualitas.planning.models.kpis import Kpi, Measurement, Objective
# isort: on

__all__ = [
    "CONTRIBUTORS",
    "PLANNERS",
    "ContextIssue",
    "Identity",
    "InterestedParty",
    "Kpi",
    "Measurement",
    "Objective",
    "OwnerMayChange",
    "PlanningSettings",
    "PolicyCommunication",
    "Process",
    "ProcessInteraction",
    "QualityPolicy",
    "Risk",
]
