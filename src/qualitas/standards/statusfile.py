"""CSV and XLSX export and import of requirement statuses (row-level errors, all or nothing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from qualitas.core.tabular.export import table_response
from qualitas.standards import queries
from qualitas.standards.choices import ISO9001, RequirementStatus
from qualitas.standards.models import Clause, Requirement

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


def read_table(name: str, content: bytes) -> list[list[str]]:
    """Rows of a CSV or XLSX file as strings; raises ValueError with a readable message."""
    if name.lower().endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise ValueError("The file is not a readable XLSX workbook.") from exc
        ws = wb.worksheets[0]
        table = []
        for row in ws.iter_rows(values_only=True):
            table.append(
                [
                    "" if v is None else (v.date().isoformat() if isinstance(v, dt.datetime) else str(v))
                    for v in row
                ]
            )
        return table
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("The CSV file must be UTF-8 encoded.") from exc
    return list(csv.reader(io.StringIO(text)))


def _status(value: str) -> str | None:
    v = value.strip().lower()
    for code, label in RequirementStatus.choices:
        if v in (code, str(label).lower()):
            return code
    return None


def parse(organization: Any, table: list[list[str]]) -> ParseResult:
    """Validate every row; the caller writes nothing when ``errors`` is not empty."""
    result = ParseResult()
    if not table:
        result.errors.append((1, "The file is empty."))
        return result
    header = [h.strip().lower() for h in table[0]]
    if "clause" not in header:
        result.errors.append((1, "The first row must name the columns; 'clause' is missing."))
        return result
    if len(table) > MAX_ROWS + 1:
        result.errors.append((1, f"At most {MAX_ROWS} rows per file."))
        return result
    idx = {name: header.index(name) for name in COLUMNS if name in header}
    clauses = {c.number: c for c in Clause.objects.filter(standard__code=ISO9001)}
    na = set(
        Requirement.objects.filter(organization=organization, applicable=False).values_list(
            "clause__number", flat=True
        )
    )
    User = get_user_model()
    members = {
        u.username.lower(): u
        for u in User.objects.filter(memberships__organization=organization, memberships__is_active=True)
    }
    seen: set[str] = set()
    for line, raw in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in raw):
            continue

        def col(name: str, raw: list[str] = raw) -> str | None:
            i = idx.get(name)
            return None if i is None else (str(raw[i]).strip() if i < len(raw) else "")

        number = col("clause") or ""
        clause = clauses.get(number)
        if clause is None:
            result.errors.append((line, f"Unknown clause {number!r}."))
            continue
        if not clause.is_auditable:
            result.errors.append((line, f"{number} is a heading; give the status of its subclauses."))
            continue
        if number in seen:
            result.errors.append((line, f"Clause {number} appears twice."))
            continue
        seen.add(number)
        row: dict[str, Any] = {"clause": number}
        errors_before = len(result.errors)
        status = col("status")
        if status is not None:
            code = _status(status) if status else RequirementStatus.NOT_STARTED
            if code is None:
                result.errors.append(
                    (
                        line,
                        f"Unknown status {status!r}; use one of " + ", ".join(RequirementStatus.values) + ".",
                    )
                )
            elif number in na and code != RequirementStatus.NOT_STARTED:
                result.errors.append((line, f"{number} is not applicable; it cannot have a status."))
            else:
                row["status"] = code
        owner = col("owner")
        if owner is not None:
            if owner and owner.lower() not in members:
                result.errors.append((line, f"Owner {owner!r} is not a member of this organization."))
            else:
                row["owner"] = members.get(owner.lower()) if owner else None
        target = col("target_date")
        if target is not None:
            if target:
                try:
                    row["target_date"] = dt.date.fromisoformat(target[:10])
                except ValueError:
                    result.errors.append((line, f"Target date {target!r} is not a date (YYYY-MM-DD)."))
            else:
                row["target_date"] = None
        notes = col("notes")
        if notes is not None:
            row["notes"] = notes
        if len(result.errors) == errors_before:
            result.rows.append(row)
    return result
