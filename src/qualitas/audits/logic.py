"""Pure rules of the audit programme: coverage arithmetic, impartiality, priority. No database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def clause_covers(audited: str, column: str) -> bool:
    """An audited clause covers a matrix column when it is the column or lies inside it
    (auditing 7.1.5 covers the column 7.1) — or when the column lies inside it (auditing 8.4 covers 8.4.1)."""
    return audited == column or audited.startswith(column + ".") or column.startswith(audited + ".")


@dataclass(frozen=True)
class AuditCoverage:
    """What one audit of the cycle covers."""

    process_ids: frozenset[int]
    clause_numbers: frozenset[str]
    done: bool  # reported or closed


@dataclass
class Coverage:
    process_ids: list[int]
    clause_numbers: list[str]
    # cells[i][j]: audits covering process i and clause j (planned + done), and how many are done
    planned: list[list[int]] = field(default_factory=list)
    done: list[list[int]] = field(default_factory=list)

    @property
    def clauses_covered(self) -> list[str]:
        return [c for j, c in enumerate(self.clause_numbers) if any(row[j] for row in self.planned)]

    @property
    def clause_gaps(self) -> list[str]:
        return [c for j, c in enumerate(self.clause_numbers) if not any(row[j] for row in self.planned)]

    @property
    def process_gaps(self) -> list[int]:
        return [p for i, p in enumerate(self.process_ids) if not any(self.planned[i])]

    @property
    def cells_total(self) -> int:
        return len(self.process_ids) * len(self.clause_numbers)

    @property
    def cells_planned(self) -> int:
        return sum(1 for row in self.planned for v in row if v)

    @property
    def cells_done(self) -> int:
        return sum(1 for row in self.done for v in row if v)

    def share(self, part: int, whole: int) -> float | None:
        return None if whole == 0 else part / whole

    @property
    def clause_share(self) -> float | None:
        return self.share(len(self.clauses_covered), len(self.clause_numbers))

    @property
    def process_share(self) -> float | None:
        return self.share(len(self.process_ids) - len(self.process_gaps), len(self.process_ids))


def coverage(
    process_ids: Sequence[int], clause_numbers: Sequence[str], audits: Iterable[AuditCoverage]
) -> Coverage:
    """The processes × clauses matrix of one cycle.

    A cell counts an audit when the audit names the process and a clause that covers the column.
    An audit without processes counts for every process (a system audit); one without clauses
    counts for no clause (criteria must be named to count as coverage).
    """
    result = Coverage(list(process_ids), list(clause_numbers))
    result.planned = [[0] * len(clause_numbers) for _ in process_ids]
    result.done = [[0] * len(clause_numbers) for _ in process_ids]
    index = {p: i for i, p in enumerate(process_ids)}
    for audit in audits:
        rows = (
            [index[p] for p in audit.process_ids if p in index] if audit.process_ids else list(index.values())
        )
        cols = [
            j for j, c in enumerate(clause_numbers) if any(clause_covers(a, c) for a in audit.clause_numbers)
        ]
        for i in rows:
            for j in cols:
                result.planned[i][j] += 1
                if audit.done:
                    result.done[i][j] += 1
    return result


def impartiality_warnings(
    *,
    auditor_name: str,
    auditor_user_id: int,
    own_process_ids: Iterable[int],
    audited: Sequence[tuple[int, str, int | None]],
) -> list[str]:
    """Warnings when an auditor would audit their own work.

    ``audited`` lists (process id, process name, owner user id) of the audit's processes. An auditor
    audits their own area when a process is one of their own processes or they own it.
    """
    own = set(own_process_ids)
    warnings = []
    for pid, name, owner_id in audited:
        if pid in own:
            warnings.append(f"{auditor_name} works in {name}: they should not audit their own area.")
        elif owner_id is not None and owner_id == auditor_user_id:
            warnings.append(f"{auditor_name} owns {name}: they should not audit their own process.")
    return warnings


RISK_LEVEL_POINTS = {"critical": 4, "very_high": 4, "high": 3, "medium": 2, "moderate": 2, "low": 1}


@dataclass(frozen=True)
class PriorityInputs:
    risk_points: int = 0  # sum of the process's open risks, weighted by level
    open_nonconformities: int = 0
    previous_nc_findings: int = 0  # nonconformity findings of earlier audits of the process
    never_audited: bool = False


def priority(inputs: PriorityInputs) -> tuple[str, int, str]:
    """(level, score, reason). Risk weighs most; past nonconformities and an area never audited
    raise the priority."""
    score = inputs.risk_points + 2 * inputs.open_nonconformities + 2 * inputs.previous_nc_findings
    if inputs.never_audited:
        score += 2
    parts = []
    if inputs.risk_points:
        parts.append(f"risk points {inputs.risk_points}")
    if inputs.open_nonconformities:
        parts.append(f"{inputs.open_nonconformities} open nonconformities")
    if inputs.previous_nc_findings:
        parts.append(f"{inputs.previous_nc_findings} nonconformities found in earlier audits")
    if inputs.never_audited:
        parts.append("not audited before")
    level = "high" if score >= 8 else "medium" if score >= 3 else "low"
    return level, score, ", ".join(parts) or "no risks, nonconformities or earlier findings recorded"
