"""The statement of applicability: every ISO 9001 clause, applicable or not, with the justification."""

from __future__ import annotations

from typing import Any

from qualitas.standards import queries
from qualitas.standards.models import Requirement
from qualitas.standards.rules import implausible_reasons


def statement(organization: Any) -> dict[str, Any]:
    """Rows in reading order; a heading is applicable when any of its subclauses is (two queries)."""
    scope = queries.scope_of(organization)
    outsourced = bool(scope and scope.outsourced_design)
    reqs = {
        r.clause_id: r for r in Requirement.objects.filter(organization=organization).select_related("owner")
    }
    rows: list[dict[str, Any]] = []
    all_clauses = list(queries.clauses())
    leaf_state: dict[str, bool] = {}
    for c in all_clauses:
        if c.is_auditable:
            r = reqs.get(c.pk)
            leaf_state[c.number] = r is None or r.applicable
    for c in all_clauses:
        r = reqs.get(c.pk)
        if c.is_auditable:
            applicable = leaf_state[c.number]
            partial = False
        else:
            below = [v for n, v in leaf_state.items() if n.startswith(c.number + ".")]
            applicable = any(below)
            partial = applicable and not all(below)
        justification = r.justification if r is not None and not r.applicable else ""
        warnings = (
            implausible_reasons(c.number, outsourced_design=outsourced)
            if (c.is_auditable and not applicable)
            else []
        )
        rows.append(
            {
                "clause": c,
                "number": c.number,
                "title": c.title,
                "level": c.level,
                "auditable": c.is_auditable,
                "applicable": applicable,
                "partial": partial,
                "justification": justification,
                "warnings": warnings,
                "status": r.get_status_display() if r is not None and applicable and c.is_auditable else "",
                "documented_information": c.documented_information,
            }
        )
    excluded = [r for r in rows if r["auditable"] and not r["applicable"]]
    return {
        "scope": scope,
        "rows": rows,
        "excluded": excluded,
        "standard": queries.standard(),
        "warnings": [w for r in excluded for w in r["warnings"]],
    }
