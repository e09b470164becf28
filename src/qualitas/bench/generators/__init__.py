"""Bench data generators for planning (processes, risks, objectives, KPIs and their measurements),
document control (documents, revisions, signatures, periodic reviews) and standards (the ISO 9001
requirements and their evidence links), registered in ``bench/areas.py`` when the area is installed.

Each generator builds its rows in memory, inserts them with ``ctx.bulk_insert`` and queues the audit
events the services would have written for the same history (same action names, same field-level
changes as ``audit.tracking`` computes them). All randomness comes from ``ctx.rng(key)``, so the same
seed and ``--until`` give the same organization.

Order matters only where records point at others: planning runs after actions (its KPI alerts are
actions numbered on from the actions' counters), documents after planning (they name processes),
requirements last (evidence links point at records of every area).
"""

from qualitas.bench.generators.common import History, changes, created
from qualitas.bench.generators.documents import generate_documents
from qualitas.bench.generators.planning import generate_planning
from qualitas.bench.generators.standards import generate_requirements

__all__ = [
    "History",
    "changes",
    "created",
    "generate_documents",
    "generate_planning",
    "generate_requirements",
]
