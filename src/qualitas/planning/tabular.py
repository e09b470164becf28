"""CSV/XLSX for the planning registers: export any register; import KPI measurements and the processes,
risks, context issues, interested parties, objectives and KPI definitions registers (all or nothing,
with row-level errors)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse

from qualitas.core.tabular.export import table_response
from qualitas.core.tabular.imports import people_of
from qualitas.planning.models import Kpi

MAX_ROWS = 50_000


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime, int, float)):
        return value
    return str(value)


def export_response(
    name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str
) -> HttpResponse:
    """A register's download, written (and its formula-like text made inert) by core's writer."""
    fmt = "xlsx" if fmt == "xlsx" else "csv"
    return table_response(  # type: ignore[return-value]
        f"{name}-{dt.date.today().isoformat()}.{fmt}",
        headers,
        ([_plain(v) for v in row] for row in rows),
        fmt,
        sheet=name,
    )


# register -> (headers, row function, queryset hints)
def _owner(o: Any) -> str:
    return o.owner.display_name if getattr(o, "owner", None) else ""


REGISTERS: dict[str, tuple[str, list[str], Callable[[Any], list[Any]], tuple[str, ...]]] = {
    "processes": (
        "Process",
        [
            "code",
            "name",
            "type",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "customers",
            "resources",
            "clauses",
            "active",
        ],
        lambda p: [
            p.code,
            p.name,
            p.process_type,
            _owner(p),
            p.purpose,
            p.inputs,
            p.outputs,
            p.customers,
            p.resources,
            p.clauses,
            p.is_active,
        ],
        ("owner",),
    ),
    "risks": (
        "Risk",
        [
            "reference",
            "kind",
            "title",
            "source",
            "process",
            "likelihood",
            "impact",
            "inherent score",
            "inherent level",
            "residual likelihood",
            "residual impact",
            "residual score",
            "residual level",
            "treatment",
            "owner",
            "review date",
            "status",
            "accepted by",
            "effectiveness",
        ],
        lambda r: [
            r.reference,
            r.kind,
            r.title,
            r.source,
            r.process.code if r.process else "",
            r.likelihood,
            r.impact,
            r.inherent_score,
            r.inherent_level,
            r.residual_likelihood,
            r.residual_impact,
            r.residual_score,
            r.residual_level,
            r.treatment,
            _owner(r),
            r.review_date,
            r.status,
            r.accepted_by.display_name if r.accepted_by else "",
            r.effectiveness,
        ],
        ("owner", "process", "accepted_by"),
    ),
    "objectives": (
        "Objective",
        ["reference", "title", "target", "owner", "due date", "status", "process", "resources"],
        lambda o: [
            o.reference,
            o.title,
            o.target,
            _owner(o),
            o.due_date,
            o.status,
            o.process.code if o.process else "",
            o.resources,
        ],
        ("owner", "process"),
    ),
    "kpis": (
        "Kpi",
        [
            "code",
            "name",
            "unit",
            "direction",
            "target",
            "warning",
            "alarm",
            "frequency",
            "owner",
            "process",
            "objective",
        ],
        lambda k: [
            k.code,
            k.name,
            k.unit,
            k.direction,
            k.target,
            k.warning,
            k.alarm,
            k.frequency,
            _owner(k),
            k.process.code if k.process else "",
            k.objective.reference if k.objective else "",
        ],
        ("owner", "process", "objective"),
    ),
    "measurements": (
        "Measurement",
        ["kpi", "period", "value", "status", "note", "source"],
        lambda m: [m.kpi.code, m.period, m.value, m.status, m.note, m.source],
        ("kpi",),
    ),
    "context": (
        "ContextIssue",
        ["title", "type", "category", "climate relevant", "impact", "review date", "active"],
        lambda c: [
            c.title,
            c.issue_type,
            c.category,
            c.climate_relevant,
            c.impact,
            c.review_date,
            c.is_active,
        ],
        (),
    ),
    "parties": (
        "InterestedParty",
        [
            "name",
            "category",
            "internal",
            "needs",
            "expectations",
            "requirements",
            "climate related",
            "monitoring",
            "review date",
        ],
        lambda p: [
            p.name,
            p.category,
            p.is_internal,
            p.needs,
            p.expectations,
            p.requirements,
            p.climate_related,
            p.monitoring,
            p.review_date,
        ],
        (),
    ),
}


# --- import of measurements ----------------------------------------------------------------------


def _read_raw(upload: Any) -> list[tuple[Any, ...]]:
    """Non-empty rows of a CSV or XLSX upload, the header first."""
    name = (getattr(upload, "name", "") or "").lower()
    raw = upload.read()
    if name.endswith(".xlsx") or raw[:2] == b"PK":
        from qualitas.core.spreadsheet import worksheet_rows

        try:
            rows = worksheet_rows(raw, sheet="first")
        except Exception:  # any unreadable workbook is the same error to the user
            raise ValidationError({"file": "This is not a readable XLSX workbook."}) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "Save the CSV as UTF-8."}) from None
        dialect: Any = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t")
        try:
            rows = [tuple(r) for r in csv.reader(io.StringIO(text), dialect)]
        except csv.Error as exc:
            raise ValidationError({"file": f"The CSV file could not be read: {exc}."}) from None
    rows = [r for r in rows if any(c is not None and c != "" for c in r)]
    if not rows:
        raise ValidationError({"file": "The file is empty."})
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError({"file": f"At most {MAX_ROWS} rows per file."})
    return rows


def read_table(upload: Any) -> list[dict[str, Any]]:
    """Rows of a measurements upload as dicts keyed by lower-case header."""
    rows = _read_raw(upload)
    headers = [str(h or "").strip().lower() for h in rows[0]]
    missing = {"kpi", "period", "value"} - set(headers)
    if missing:
        raise ValidationError(
            {
                "file": f"Missing column(s): {', '.join(sorted(missing))}. "
                "The first row names the columns kpi, period, value and optionally note."
            }
        )
    return [dict(zip(headers, r, strict=False)) for r in rows[1:]]


def parse_period(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%d.%m.%Y", "%Y/%m/%d", "%Y/%m"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (use YYYY-MM or YYYY-MM-DD)")


def parse_value(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value or "").strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"“{value}” is not a number") from None


def rows_for_service(
    organization: Any, table: list[dict[str, Any]], kpis: dict[str, Kpi] | None = None
) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    """Parse table rows into service rows; errors are keyed by file row number (header = row 1)."""
    if kpis is None:
        kpis = {k.code.lower(): k for k in Kpi.objects.filter(organization=organization)}
    rows, errors = [], {}
    # Each distinct KPI code and period text is resolved once (periods repeat for every KPI).
    codes: dict[Any, tuple[str, Kpi | None]] = {}
    periods: dict[Any, dt.date | ValueError] = {}
    for n, row in enumerate(table, start=2):
        problems = []
        raw_code = row.get("kpi")
        key = raw_code if raw_code.__class__ is str else (raw_code.__class__, raw_code)
        found = codes.get(key)
        if found is None:
            code = str(raw_code or "").strip()
            found = codes[key] = (code, kpis.get(code.lower()))
        code, kpi = found
        if kpi is None:
            problems.append(f"unknown KPI “{code}”")
        raw_period = row.get("period")
        key = raw_period if raw_period.__class__ is str else (raw_period.__class__, raw_period)
        period = periods.get(key)
        if period is None:
            try:
                period = periods[key] = parse_period(raw_period)
            except ValueError as exc:
                period = periods[key] = exc
        if isinstance(period, ValueError):
            problems.append(str(period))
        raw_value = row.get("value")
        try:
            value = float(raw_value) if raw_value.__class__ in (str, float, int) else parse_value(raw_value)
        except ValueError:
            try:
                value = parse_value(raw_value)
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            errors[n] = problems
            continue
        rows.append(
            {"kpi": kpi, "period": period, "value": value, "note": str(row.get("note") or ""), "_row": n}
        )
    return rows, errors


def import_measurements(organization: Any, upload: Any, *, actor: Any) -> int:
    """All or nothing: any bad row and nothing is written; errors name the file's row numbers."""
    from qualitas.planning.choices import MeasurementSource
    from qualitas.planning.services import MeasurementErrors, record_measurements

    table = read_table(upload)
    rows, errors = rows_for_service(organization, table)
    if errors:
        raise MeasurementErrors(errors)
    try:
        created = record_measurements(
            organization,
            actor=actor,
            source=MeasurementSource.IMPORT,
            rows=[{k: v for k, v in r.items() if k != "_row"} for r in rows],
        )
    except MeasurementErrors as exc:  # renumber batch rows to file rows
        raise MeasurementErrors({rows[n - 1]["_row"]: msgs for n, msgs in exc.rows.items()}) from None
    return len(created)


# --- import of registers (processes, risks, context, parties, objectives, KPIs) -------------------


class RowErrors(ValidationError):
    """Row-level errors of a register import; ``rows`` maps the file row number to its messages."""

    def __init__(self, rows: dict[int, list[str]]) -> None:
        self.rows = rows
        super().__init__({"rows": [f"Row {n}: {'; '.join(m)}" for n, m in sorted(rows.items())]})


_people = people_of  # members by user name, full name or e-mail (core.tabular.imports)


def _text(row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value).strip()


def _bool(row: dict[str, Any], name: str, default: bool) -> bool:
    value = _text(row, name).lower()
    if not value:
        return default
    if value in ("yes", "y", "true", "1", "x", "ja"):
        return True
    if value in ("no", "n", "false", "0", "nein"):
        return False
    raise ValueError(f"{name}: say yes or no")


def _date(row: dict[str, Any], name: str) -> dt.date | None:
    value = row.get(name)
    return None if value in (None, "") else parse_period(value)


def _choice(row: dict[str, Any], name: str, choices: Any, default: str = "") -> str:
    value = _text(row, name).lower()
    if not value:
        return default
    for key, label in choices:
        if value in (str(key).lower(), str(label).lower()):
            return str(key)
    raise ValueError(f"{name}: “{value}” is not one of {', '.join(str(k) for k, _l in choices)}")


def _float(row: dict[str, Any], name: str, required: bool = False) -> float | None:
    value = row.get(name)
    if value is None or str(value).strip() == "":
        if required:
            raise ValueError(f"{name}: required")
        return None
    try:
        return parse_value(value)
    except ValueError:
        raise ValueError(f"{name}: “{str(value).strip()}” is not a number") from None


def _int(row: dict[str, Any], name: str) -> int | None:
    value = _text(row, name)
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(f"{name}: “{value}” is not a whole number") from None


IMPORT_COLUMNS: dict[str, tuple[str, list[str], list[str]]] = {
    # register: (title, required columns, optional columns)
    "processes": (
        "processes",
        ["code", "name"],
        [
            "type",
            "owner",
            "purpose",
            "inputs",
            "outputs",
            "customers",
            "resources",
            "documents",
            "clauses",
            "active",
        ],
    ),
    "risks": (
        "risks and opportunities",
        ["title", "likelihood", "impact", "owner"],
        [
            "kind",
            "description",
            "source",
            "process",
            "treatment",
            "treatment plan",
            "residual likelihood",
            "residual impact",
            "review date",
        ],
    ),
    "context": (
        "context issues",
        ["title", "category"],
        ["type", "description", "impact", "climate relevant", "review date", "active"],
    ),
    "parties": (
        "interested parties",
        ["name"],
        [
            "category",
            "internal",
            "needs",
            "expectations",
            "requirements",
            "climate related",
            "monitoring",
            "review date",
        ],
    ),
    "objectives": (
        "quality objectives",
        ["title", "target", "owner"],
        ["description", "strategy", "process", "due date", "resources", "evaluation", "status"],
    ),
    "kpis": (
        "KPI definitions",
        ["code", "name", "target", "owner"],
        [
            "description",
            "unit",
            "direction",
            "warning",
            "alarm",
            "frequency",
            "process",
            "objective",
            "active",
        ],
    ),
}


def _row_data(
    register: str,
    row: dict[str, Any],
    people: dict[str, Any],
    processes: dict[str, Any],
    objectives: dict[str, Any] | None = None,
) -> dict:
    from qualitas.planning import choices as c

    def person(name: str, required: bool = False) -> Any:
        key = _text(row, name).lower()
        if not key:
            if required:
                raise ValueError(f"{name}: required")
            return None
        if key not in people:
            raise ValueError(f"{name}: “{key}” is not a member of this organization")
        return people[key]

    if register == "processes":
        return {
            "code": _text(row, "code"),
            "name": _text(row, "name"),
            "process_type": _choice(row, "type", c.ProcessType.choices, c.ProcessType.CORE),
            "owner": person("owner"),
            "purpose": _text(row, "purpose"),
            "inputs": _text(row, "inputs"),
            "outputs": _text(row, "outputs"),
            "customers": _text(row, "customers"),
            "resources": _text(row, "resources"),
            "related_documents": _text(row, "documents"),
            "clauses": _text(row, "clauses"),
            "is_active": _bool(row, "active", True),
        }

    def process() -> Any:
        code = _text(row, "process").lower()
        if code and code not in processes:
            raise ValueError(f"process: no process with the code “{_text(row, 'process')}”")
        return processes.get(code)

    if register == "objectives":
        return {
            "title": _text(row, "title"),
            "target": _text(row, "target"),
            "owner": person("owner", required=True),
            "description": _text(row, "description"),
            "strategy": _text(row, "strategy"),
            "process": process(),
            "due_date": _date(row, "due date"),
            "resources": _text(row, "resources"),
            "evaluation": _text(row, "evaluation"),
            "status": _choice(row, "status", c.ObjectiveStatus.choices, c.ObjectiveStatus.ACTIVE),
        }
    if register == "kpis":
        ref = _text(row, "objective").lower()
        if ref and ref not in (objectives or {}):
            raise ValueError(f"objective: no objective with the reference “{_text(row, 'objective')}”")
        return {
            "code": _text(row, "code"),
            "name": _text(row, "name"),
            "description": _text(row, "description"),
            "unit": _text(row, "unit"),
            "direction": _choice(row, "direction", c.Direction.choices, c.Direction.HIGHER),
            "target": _float(row, "target", required=True),
            "warning": _float(row, "warning"),
            "alarm": _float(row, "alarm"),
            "frequency": _choice(row, "frequency", c.Frequency.choices, c.Frequency.MONTHLY),
            "owner": person("owner", required=True),
            "process": process(),
            "objective": (objectives or {}).get(ref),
            "is_active": _bool(row, "active", True),
        }
    if register == "risks":
        return {
            "kind": _choice(row, "kind", c.RiskKind.choices, c.RiskKind.RISK),
            "title": _text(row, "title"),
            "description": _text(row, "description"),
            "source": _choice(row, "source", c.RiskSource.choices, c.RiskSource.OTHER),
            "process": process(),
            "likelihood": _int(row, "likelihood"),
            "impact": _int(row, "impact"),
            "treatment": _choice(row, "treatment", c.Treatment.choices),
            "treatment_plan": _text(row, "treatment plan"),
            "residual_likelihood": _int(row, "residual likelihood"),
            "residual_impact": _int(row, "residual impact"),
            "owner": person("owner", required=True),
            "review_date": _date(row, "review date"),
        }
    if register == "context":
        return {
            "title": _text(row, "title"),
            "category": _choice(row, "category", c.IssueCategory.choices),
            "issue_type": _choice(row, "type", c.IssueType.choices, c.IssueType.EXTERNAL),
            "description": _text(row, "description"),
            "impact": _text(row, "impact"),
            "climate_relevant": _bool(row, "climate relevant", False),
            "review_date": _date(row, "review date"),
            "is_active": _bool(row, "active", True),
        }
    return {
        "name": _text(row, "name"),
        "category": _choice(row, "category", c.PartyCategory.choices, c.PartyCategory.OTHER),
        "is_internal": _bool(row, "internal", False),
        "needs": _text(row, "needs"),
        "expectations": _text(row, "expectations"),
        "requirements": _text(row, "requirements"),
        "climate_related": _bool(row, "climate related", False),
        "monitoring": _text(row, "monitoring"),
        "review_date": _date(row, "review date"),
    }


def import_register(organization: Any, register: str, upload: Any, *, actor: Any) -> int:
    """Create one record per row through the area's services, all or nothing (one transaction)."""
    from django.db import transaction

    from qualitas.planning import services
    from qualitas.planning.models import Objective, Process

    creators = {
        "processes": services.create_process,
        "risks": services.create_risk,
        "context": services.create_context_issue,
        "parties": services.create_party,
        "objectives": services.create_objective,
        "kpis": services.create_kpi,
    }
    _title, required, _optional = IMPORT_COLUMNS[register]
    table = read_rows(upload, required)
    people = _people(organization)
    processes = {p.code.lower(): p for p in Process.objects.filter(organization=organization)}
    objectives = (
        {o.reference.lower(): o for o in Objective.objects.filter(organization=organization)}
        if register == "kpis"
        else {}
    )
    errors: dict[int, list[str]] = {}
    with transaction.atomic():
        for n, row in enumerate(table, start=2):
            try:
                data = _row_data(register, row, people, processes, objectives)
            except ValueError as exc:
                errors[n] = [str(exc)]
                continue
            try:
                with transaction.atomic():
                    obj = creators[register](organization=organization, actor=actor, data=data)
            except ValidationError as exc:
                msgs = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                errors[n] = [
                    f"{k.replace('_', ' ')}: {'; '.join(v)}" if k and k != "__all__" else "; ".join(v)
                    for k, v in msgs.items()
                ]
                continue
            if register == "processes":
                processes[obj.code.lower()] = obj
        if errors:
            raise RowErrors(errors)
    return len(table)


def read_rows(upload: Any, required: list[str]) -> list[dict[str, Any]]:
    """Rows of a CSV/XLSX upload keyed by lower-case header, with the required columns checked."""
    rows = _read_raw(upload)
    headers = [str(h or "").strip().lower() for h in rows[0]]
    missing = set(required) - set(headers)
    if missing:
        raise ValidationError({"file": f"Missing column(s): {', '.join(sorted(missing))}."})
    return [dict(zip(headers, r, strict=False)) for r in rows[1:]]
