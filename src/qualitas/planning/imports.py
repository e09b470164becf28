"""Registers in from CSV and XLSX: the processes, risks, context issues, interested parties, objectives
and KPI definitions registers (``core.tabular.imports``: every row checked, then all rows or none),
and the KPI values (read by core's reader, written in one batch by ``services.record_measurements``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qualitas.core.errors import error_list
from qualitas.core.tabular.imports import Cell, CellError, ImportColumn, ImportRow, ImportSpec, Parser, text
from qualitas.core.tabular.reading import column_name, read_upload
from qualitas.planning import choices as c
from qualitas.planning import services
from qualitas.planning.models import ContextIssue, InterestedParty, Kpi, Objective, Process, Risk

# --- how a cell is read: the message names the column first ("owner: …") --------------------------


def parse_period(value: Any) -> dt.date:
    text_value = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y-%m", "%d.%m.%Y", "%Y/%m/%d", "%Y/%m"):
        try:
            return dt.datetime.strptime(text_value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(text)s” is not a date (use YYYY-MM or YYYY-MM-DD)") % {"text": text_value})


def parse_value(value: Any) -> float:
    raw = str(value or "").strip().replace(" ", "")
    if "," in raw and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a number") % {"value": value}) from None


def _refuse(cell: Cell, message: str) -> CellError:
    return CellError(f"{cell.column}: {message}")


def number() -> Parser:
    def parse(cell: Cell) -> float:
        try:
            return parse_value(cell.value)
        except ValueError as exc:
            raise _refuse(cell, str(exc)) from None

    return parse


def whole() -> Parser:
    def parse(cell: Cell) -> int:
        try:
            return int(float(cell.value))
        except ValueError:
            raise _refuse(cell, _("“%(value)s” is not a whole number") % {"value": cell.value}) from None

    return parse


def day() -> Parser:
    def parse(cell: Cell) -> dt.date:
        try:
            return parse_period(cell.value)
        except ValueError as exc:
            raise _refuse(cell, str(exc)) from None

    return parse


def yes_no() -> Parser:
    def parse(cell: Cell) -> bool:
        value = cell.value.lower()
        if value in ("yes", "y", "true", "1", "x", "ja"):
            return True
        if value in ("no", "n", "false", "0", "nein"):
            return False
        raise _refuse(cell, _("say yes or no"))

    return parse


def one_of(choices: Sequence[tuple[Any, Any]]) -> Parser:
    """A choice by its value or label, any case."""

    def parse(cell: Cell) -> str:
        value = cell.value.lower()
        for key, label in choices:
            if value in (str(key).lower(), str(label).lower()):
                return str(key)
        codes = ", ".join(str(k) for k, _l in choices)
        raise _refuse(cell, _("“%(value)s” is not one of %(codes)s") % {"value": value, "codes": codes})

    return parse


def person() -> Parser:
    def parse(cell: Cell) -> Any:
        key = cell.value.lower()
        found = cell.lookups["people"].get(key)
        if found is None:
            raise _refuse(cell, _("“%(key)s” is not a member of this organization") % {"key": key})
        return found

    return parse


def named(lookup: str, missing: Any) -> Parser:
    """A record by its code or reference in ``lookups()[lookup]``; ``missing`` names the unknown one."""

    def parse(cell: Cell) -> Any:
        found = cell.lookups[lookup].get(cell.value.lower())
        if found is None:
            raise _refuse(cell, missing % {"code": cell.value})
        return found

    return parse


def process() -> Parser:
    return named("processes", gettext_lazy("no process with the code “%(code)s”"))


def objective() -> Parser:
    return named("objectives", gettext_lazy("no objective with the reference “%(code)s”"))


def words(header: str, key: str = "", required: bool = False) -> ImportColumn:
    return ImportColumn(header, key=key, required=required, parse=text(), default="")


def yes_no_column(header: str, key: str, default: bool) -> ImportColumn:
    return ImportColumn(header, key=key, parse=yes_no(), default=default)


# --- the registers -------------------------------------------------------------------------------


class PlanningImport(ImportSpec):
    """Planning's registers look people up by user name, full name or e-mail and processes by code."""

    back_url_name = ""

    def lookups(self, organization: Any) -> dict[str, Any]:
        processes = Process.objects.filter(organization=organization)
        return {**super().lookups(organization), "processes": {p.code.lower(): p for p in processes}}

    @property
    def required(self) -> list[str]:
        return [col.header for col in self.columns if col.required]

    @property
    def optional(self) -> list[str]:
        return [col.header for col in self.columns if not col.required]


class ProcessImport(PlanningImport):
    key = "processes"
    model = Process
    noun = gettext_lazy("processes")
    back_url_name = "planning:process_list"
    create_service = staticmethod(services.create_process)
    columns = [
        ImportColumn("code", required=True, unique=True, parse=text()),
        words("name", required=True),
        ImportColumn(
            "type", key="process_type", parse=one_of(c.ProcessType.choices), default=c.ProcessType.CORE
        ),
        ImportColumn("owner", parse=person()),
        *(words(name) for name in ("purpose", "inputs", "outputs", "customers", "resources")),
        words("documents", key="related_documents"),
        words("clauses"),
        yes_no_column("active", "is_active", True),
    ]


class RiskImport(PlanningImport):
    key = "risks"
    model = Risk
    noun = gettext_lazy("risks and opportunities")
    back_url_name = "planning:risk_list"
    create_service = staticmethod(services.create_risk)
    columns = [
        words("title", required=True),
        ImportColumn("likelihood", required=True, parse=whole()),
        ImportColumn("impact", required=True, parse=whole()),
        ImportColumn("owner", required=True, parse=person()),
        ImportColumn("kind", parse=one_of(c.RiskKind.choices), default=c.RiskKind.RISK),
        words("description"),
        ImportColumn("source", parse=one_of(c.RiskSource.choices), default=c.RiskSource.OTHER),
        ImportColumn("process", parse=process()),
        ImportColumn("treatment", parse=one_of(c.Treatment.choices), default=""),
        words("treatment plan", key="treatment_plan"),
        ImportColumn("residual likelihood", key="residual_likelihood", parse=whole()),
        ImportColumn("residual impact", key="residual_impact", parse=whole()),
        ImportColumn("review date", key="review_date", parse=day()),
    ]

    def lookups(self, organization: Any) -> dict[str, Any]:
        return {**super().lookups(organization), "size": services.get_settings(organization).matrix_size}

    def clean_row(self, row: ImportRow, lookups: dict[str, Any]) -> None:
        try:
            services.check_risk(Risk(**row.data), lookups["size"])
        except ValidationError as exc:
            row.errors.extend(error_list(exc))


class ContextImport(PlanningImport):
    key = "context"
    model = ContextIssue
    noun = gettext_lazy("context issues")
    back_url_name = "planning:contextissue_list"
    columns = [
        words("title", required=True),
        ImportColumn("category", required=True, parse=one_of(c.IssueCategory.choices)),
        ImportColumn(
            "type", key="issue_type", parse=one_of(c.IssueType.choices), default=c.IssueType.EXTERNAL
        ),
        words("description"),
        words("impact"),
        yes_no_column("climate relevant", "climate_relevant", False),
        ImportColumn("review date", key="review_date", parse=day()),
        yes_no_column("active", "is_active", True),
    ]


class PartyImport(PlanningImport):
    key = "parties"
    model = InterestedParty
    noun = gettext_lazy("interested parties")
    back_url_name = "planning:interestedparty_list"
    columns = [
        words("name", required=True),
        ImportColumn("category", parse=one_of(c.PartyCategory.choices), default=c.PartyCategory.OTHER),
        yes_no_column("internal", "is_internal", False),
        *(words(name) for name in ("needs", "expectations", "requirements")),
        yes_no_column("climate related", "climate_related", False),
        words("monitoring"),
        ImportColumn("review date", key="review_date", parse=day()),
    ]


class ObjectiveImport(PlanningImport):
    key = "objectives"
    model = Objective
    noun = gettext_lazy("quality objectives")
    back_url_name = "planning:objective_list"
    help = gettext_lazy(
        "Each objective gets the next reference number; a reference column in the file is "
        "ignored, so a file exported from this register adds copies rather than updating."
    )
    create_service = staticmethod(services.create_objective)
    columns = [
        words("title", required=True),
        words("target", required=True),
        ImportColumn("owner", required=True, parse=person()),
        words("description"),
        words("strategy"),
        ImportColumn("process", parse=process()),
        ImportColumn("due date", key="due_date", parse=day()),
        words("resources"),
        words("evaluation"),
        ImportColumn("status", parse=one_of(c.ObjectiveStatus.choices), default=c.ObjectiveStatus.ACTIVE),
    ]


class KpiImport(PlanningImport):
    key = "kpis"
    model = Kpi
    noun = gettext_lazy("KPI definitions")
    back_url_name = "planning:kpi_list"
    help = gettext_lazy(
        "A KPI code must be new. Warning and alarm thresholds lie on the worse side of the "
        "target. Import the objectives first, then the KPIs that name them; values go in "
        "through the separate KPI value import."
    )
    create_service = staticmethod(services.create_kpi)
    columns = [
        ImportColumn("code", required=True, unique=True, parse=text()),
        words("name", required=True),
        ImportColumn("target", required=True, parse=number()),
        ImportColumn("owner", required=True, parse=person()),
        words("description"),
        words("unit"),
        ImportColumn("direction", parse=one_of(c.Direction.choices), default=c.Direction.HIGHER),
        ImportColumn("warning", parse=number()),
        ImportColumn("alarm", parse=number()),
        ImportColumn("frequency", parse=one_of(c.Frequency.choices), default=c.Frequency.MONTHLY),
        ImportColumn("process", parse=process()),
        ImportColumn("objective", parse=objective()),
        yes_no_column("active", "is_active", True),
    ]

    def lookups(self, organization: Any) -> dict[str, Any]:
        found = Objective.objects.filter(organization=organization)
        return {**super().lookups(organization), "objectives": {o.reference.lower(): o for o in found}}

    def clean_row(self, row: ImportRow, lookups: dict[str, Any]) -> None:
        try:
            services.check_kpi(row.data)
        except ValidationError as exc:
            row.errors.extend(error_list(exc))


REGISTERS: dict[str, PlanningImport] = {
    spec.key: spec
    for spec in (
        ProcessImport(),
        RiskImport(),
        ContextImport(),
        PartyImport(),
        ObjectiveImport(),
        KpiImport(),
    )
}


# --- KPI values ----------------------------------------------------------------------------------

MAX_MEASUREMENT_ROWS = 50_000


def read_measurements(upload: Any) -> list[dict[str, str]]:
    """Rows of a KPI values upload keyed by column name; ``kpi``, ``period`` and ``value`` required."""
    rows = read_upload(upload.name or "", upload.read(), max_rows=MAX_MEASUREMENT_ROWS)
    headers = [column_name(h) for h in rows[0]]
    missing = {"kpi", "period", "value"} - set(headers)
    if missing:
        raise ValidationError(
            {
                "file": _(
                    "Missing column(s): %(missing)s. "
                    "The first row names the columns kpi, period, value and optionally note."
                )
                % {"missing": ", ".join(sorted(missing))}
            }
        )
    return [dict(zip(headers, r, strict=False)) for r in rows[1:]]


def rows_for_service(
    organization: Any, table: list[dict[str, str]], kpis: dict[str, Kpi] | None = None
) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    """Parse table rows into service rows; errors are keyed by file row number (header = row 1)."""
    if kpis is None:
        kpis = {k.code.lower(): k for k in Kpi.objects.filter(organization=organization)}
    rows, errors = [], {}
    # Each distinct KPI code and period text is resolved once (periods repeat for every KPI).
    periods: dict[str, dt.date | ValueError] = {}
    for n, row in enumerate(table, start=2):
        problems = []
        code = (row.get("kpi") or "").strip()
        kpi = kpis.get(code.lower())
        if kpi is None:
            problems.append(_("unknown KPI “%(code)s”") % {"code": code})
        raw_period = row.get("period") or ""
        period = periods.get(raw_period)
        if period is None:
            try:
                period = periods[raw_period] = parse_period(raw_period)
            except ValueError as exc:
                period = periods[raw_period] = exc
        if isinstance(period, ValueError):
            problems.append(str(period))
        value = 0.0
        try:
            value = parse_value(row.get("value"))
        except ValueError as exc:
            problems.append(str(exc))
        if problems:
            errors[n] = problems
            continue
        rows.append({"kpi": kpi, "period": period, "value": value, "note": row.get("note") or "", "_row": n})
    return rows, errors


def import_measurements(organization: Any, upload: Any, *, actor: Any) -> int:
    """All or nothing: any bad row and nothing is written; errors name the file's row numbers."""
    rows, errors = rows_for_service(organization, read_measurements(upload))
    if errors:
        raise services.MeasurementErrors(errors)
    try:
        created = services.record_measurements(
            organization,
            actor=actor,
            source=c.MeasurementSource.IMPORT,
            rows=[{k: v for k, v in r.items() if k != "_row"} for r in rows],
        )
    except services.MeasurementErrors as exc:  # renumber batch rows to file rows
        raise services.MeasurementErrors({rows[n - 1]["_row"]: m for n, m in exc.rows.items()}) from None
    return len(created)
