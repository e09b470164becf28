"""The requirement status file out (CSV or XLSX); it comes back in through ``imports.StatusImport``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qualitas.core.tabular.export import table_response
from qualitas.standards import queries
from qualitas.standards.choices import RequirementStatus

COLUMNS = ["clause", "title", "applicable", "status", "owner", "target_date", "notes"]
MAX_ROWS = 2000


@dataclass
class ParseResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def export_rows(organization: Any) -> list[list[str]]:
    reqs = {r.clause_id: r for r in queries.requirements(organization)}
    out = [COLUMNS]
    for clause in queries.auditable_clauses():
        r = reqs.get(clause.pk)
        out.append(
            [
                clause.number,
                clause.title,
                "yes" if r is None or r.applicable else "no",
                r.status if r else RequirementStatus.NOT_STARTED,
                r.owner.username if r and r.owner else "",
                r.target_date.isoformat() if r and r.target_date else "",
                r.notes if r else "",
            ]
        )
    return out


def export_response(organization: Any, fmt: str) -> Any:
    """The statuses as CSV or XLSX (core's writer: formula-like text is made inert)."""
    rows = export_rows(organization)
    return table_response(
        f"requirements-{organization.slug}-{dt.date.today():%Y%m%d}.{fmt}",
        rows[0],
        rows[1:],
        fmt,
        sheet="Requirements",
        widths=(9, 50, 11, 14, 16, 12, 60),
    )
