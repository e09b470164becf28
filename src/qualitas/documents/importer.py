"""Bulk import of an existing document register (CSV or XLSX): parse, preview with per-row errors,
then import everything in one transaction — or nothing when any row fails."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core.permissions import ensure_allowed
from qualitas.documents import services
from qualitas.documents.choices import DocumentType
from qualitas.documents.models import Document

COLUMNS = [
    "code",
    "title",
    "type",
    "owner",
    "process",
    "revision",
    "effective_date",
    "review_interval_months",
    "tags",
    "clauses",
]
REQUIRED = ("code", "title", "owner")
MAX_ROWS = 5000
TYPE_LOOKUP = {
    **{v: v for v in DocumentType.values},
    **{str(label).lower(): v for v, label in DocumentType.choices},
    "wi": DocumentType.WORK_INSTRUCTION,
    "sop": DocumentType.PROCEDURE,
}


@dataclass
class ImportRow:
    line: int
    raw: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def read_table(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows as dicts with lower-case headers; CSV (UTF-8, comma or semicolon) or XLSX."""
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(
                {"file": f"This is not a readable XLSX file ({exc.__class__.__name__})."}
            ) from None
        rows = [
            [
                "" if c is None else (c.isoformat()[:10] if isinstance(c, (dt.date, dt.datetime)) else str(c))
                for c in row
            ]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "Save the CSV file as UTF-8."}) from None
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    rows = [r for r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise ValidationError({"file": "The file has no rows."})
    headers = [str(h).strip().lower().replace(" ", "_") for h in rows[0]]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ValidationError(
            {"file": f"Missing columns: {', '.join(missing)}. Expected: {', '.join(COLUMNS)}."}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError({"file": f"At most {MAX_ROWS} rows per import."})
    return [{h: str(v).strip() for h, v in zip(headers, r, strict=False)} for r in rows[1:]]


def validate(organization: Any, table: list[dict[str, str]]) -> list[ImportRow]:
    from qualitas.planning.models import Process

    processes = {p.code.lower(): p for p in Process.objects.filter(organization=organization)}
    existing = set(Document.objects.filter(organization=organization).values_list("code", flat=True))
    seen: set[str] = set()
    out = []
    for i, raw in enumerate(table, start=2):
        row = ImportRow(line=i, raw=raw)
        code, title = raw.get("code", ""), raw.get("title", "")
        if not code:
            row.errors.append("code is empty")
        elif code in existing:
            row.errors.append(f"code {code} already exists")
        elif code in seen:
            row.errors.append(f"code {code} appears twice in the file")
        seen.add(code)
        if not title:
            row.errors.append("title is empty")
        doc_type = TYPE_LOOKUP.get((raw.get("type") or "procedure").lower())
        if doc_type is None:
            row.errors.append(f"unknown type “{raw.get('type')}”")
        owner = services.get_user_by_name(organization, raw.get("owner", "")) if raw.get("owner") else None
        if owner is None:
            row.errors.append(f"owner “{raw.get('owner', '')}” is not a member (use the user name)")
        process = None
        if raw.get("process"):
            process = processes.get(raw["process"].lower())
            if process is None:
                row.errors.append(f"process {raw['process']} does not exist")
        effective = None
        if raw.get("effective_date"):
            try:
                effective = dt.date.fromisoformat(raw["effective_date"][:10])
            except ValueError:
                row.errors.append("effective_date must be YYYY-MM-DD")
        interval = 24
        if raw.get("review_interval_months"):
            try:
                interval = int(float(raw["review_interval_months"]))
                if not 1 <= interval <= 120:
                    raise ValueError
            except ValueError:
                row.errors.append("review_interval_months must be a whole number from 1 to 120")
        if len(title) > 200 or len(code) > 40:
            row.errors.append("code or title too long")
        row.data = {
            "code": code,
            "title": title,
            "doc_type": doc_type,
            "owner": owner,
            "process": process,
            "label": (raw.get("revision") or "")[:10],
            "effective_date": effective,
            "review_interval_months": interval,
            "tags": raw.get("tags", "")[:200],
            "clauses": raw.get("clauses", "")[:200],
        }
        out.append(row)
    return out


@transaction.atomic
def import_documents(*, organization: Any, actor: Any, table: list[dict[str, str]]) -> list[Document]:
    """All or nothing: any row error raises ValidationError listing the rows, and nothing is written."""
    ensure_allowed(actor, organization, "import", Document)
    rows = validate(organization, table)
    bad = [r for r in rows if r.errors]
    if bad:
        raise ValidationError({"file": [f"row {r.line}: {'; '.join(r.errors)}" for r in bad[:50]]})
    reason = "Imported from the existing document register"
    created = []
    for row in rows:
        data = dict(row.data)
        effective = data.pop("effective_date")
        data["change_reason"] = reason
        document = services.create_document(organization=organization, actor=actor, data=data, reason=reason)
        if effective is not None:
            services.record_external_approval(
                document.revisions.get(), actor=actor, effective_date=effective, reason=reason
            )
        created.append(document)
    return created
