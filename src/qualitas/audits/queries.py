"""Read side of the audit area: coverage, priorities, hours, open findings. Reads of other areas are
defensive: an area that is absent (or has no data yet) contributes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db.models import QuerySet

from qualitas.audits.choices import DONE_STATES, NC_RESULTS, AuditStatus, FindingStatus, Result
from qualitas.audits.logic import AuditCoverage, Coverage, PriorityInputs, clause_covers, coverage
from qualitas.audits.models import Audit, Auditor, AuditProgramme, Finding

STANDARD = "iso9001-2015"
CLOSED_WORDS = {"closed", "verified", "effective", "done", "cancelled", "rejected"}
BANK_PATH = Path(__file__).parent / "data" / "question_bank.json"


def _model(app: str, name: str) -> Any:
    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def _field_names(model: Any) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def catalog_clauses(organization: Any) -> list[Any]:
    """The clauses an organization must meet: its applicable ones if the standards area says so,
    else the whole ISO 9001 catalog (empty while the catalog is not loaded)."""
    try:
        from qualitas.standards import queries as standards_queries

        return list(standards_queries.applicable_clauses(organization))
    except Exception:
        Clause = _model("standards", "Clause")
        if Clause is None:
            return []
        return list(Clause.objects.filter(standard__code=STANDARD).order_by("sort_key"))


def clause_columns(organization: Any) -> list[tuple[str, str]]:
    """Two-level clause numbers (4.1 … 10.3) with titles: the columns of the coverage matrix."""
    clauses = catalog_clauses(organization)
    titles = {c.number: c.title for c in clauses}
    Clause = _model("standards", "Clause")
    seen: dict[str, str] = {}
    for c in clauses:
        parts = c.number.split(".")
        if len(parts) < 2 or not parts[0].isdigit() or int(parts[0]) < 4:
            continue
        key = ".".join(parts[:2])
        if key not in seen:
            seen[key] = titles.get(key, "")
    missing = [k for k, v in seen.items() if not v]
    if missing and Clause is not None:
        for c in Clause.objects.filter(standard__code=STANDARD, number__in=missing):
            seen[c.number] = c.title
    return sorted(seen.items(), key=lambda kv: tuple(int(p) for p in kv[0].split(".")))


def active_processes(organization: Any) -> list[Any]:
    Process = _model("planning", "Process")
    if Process is None:
        return []
    return list(Process.objects.filter(organization=organization, is_active=True).order_by("code"))


def programme_coverage(programme: AuditProgramme) -> tuple[Coverage, list[Any], list[tuple[str, str]]]:
    org = programme.organization
    processes = active_processes(org)
    columns = clause_columns(org)
    audits = (
        Audit.objects.filter(organization=org, programme=programme)
        .exclude(status=AuditStatus.CANCELLED)
        .prefetch_related("processes", "criteria")
    )
    data = [
        AuditCoverage(
            frozenset(p.pk for p in a.processes.all()),
            frozenset(c.number for c in a.criteria.all()),
            a.status in DONE_STATES,
        )
        for a in audits
    ]
    return coverage([p.pk for p in processes], [c for c, _t in columns], data), processes, columns


# --- priority ------------------------------------------------------------------------------------


def risk_points(organization: Any, process_ids: list[int]) -> dict[int, int]:
    """Open risks per process, weighted by level, if the planning area registers risks."""
    from qualitas.audits.logic import RISK_LEVEL_POINTS

    Risk = _model("planning", "Risk")
    points: dict[int, int] = defaultdict(int)
    if Risk is None or "process" not in _field_names(Risk):
        return points
    names = _field_names(Risk)
    qs = Risk.objects.filter(organization=organization, process_id__in=process_ids)
    for risk in qs:
        status = str(getattr(risk, "status", "") or "")
        if status in CLOSED_WORDS:
            continue
        value: Any = None
        for attr in ("level", "rating", "risk_level", "score"):
            if attr in names or hasattr(risk, attr):
                value = getattr(risk, attr, None)
                if callable(value):
                    value = value()
                if value is not None:
                    break
        if isinstance(value, (int, float, Decimal)):
            v = float(value)  # a 1-4 level, or a likelihood x severity score up to 25
            points[risk.process_id] += max(1, int(v)) if v <= 4 else 4 if v >= 15 else 3 if v >= 9 else 2
        else:
            points[risk.process_id] += RISK_LEVEL_POINTS.get(str(value or "").lower(), 1)
    return points


def open_nonconformities_per_process(organization: Any, process_ids: list[int]) -> dict[int, int]:
    NC = _model("improvement", "Nonconformity")
    counts: dict[int, int] = defaultdict(int)
    if NC is None or "process" not in _field_names(NC):
        return counts
    fields = _field_names(NC)
    for pid, status in NC.objects.filter(organization=organization, process_id__in=process_ids).values_list(
        "process_id", "status" if "status" in fields else "process_id"
    ):
        if str(status) not in CLOSED_WORDS:
            counts[pid] += 1
    return counts


def priority_inputs(
    organization: Any, process_ids: list[int], *, exclude_audit: int | None = None
) -> PriorityInputs:
    if not process_ids:
        return PriorityInputs()
    risks = risk_points(organization, process_ids)
    ncs = open_nonconformities_per_process(organization, process_ids)
    previous = Finding.objects.filter(
        organization=organization, process_id__in=process_ids, kind__in=NC_RESULTS
    )
    audited_before = Audit.objects.filter(
        organization=organization, processes__in=process_ids, status__in=DONE_STATES
    )
    if exclude_audit:
        previous = previous.exclude(audit_id=exclude_audit)
        audited_before = audited_before.exclude(pk=exclude_audit)
    return PriorityInputs(
        risk_points=sum(risks.values()),
        open_nonconformities=sum(ncs.values()),
        previous_nc_findings=previous.count(),
        never_audited=not audited_before.exists(),
    )


# --- auditors ------------------------------------------------------------------------------------


def hours_per_auditor(
    organization: Any, *, programme: AuditProgramme | None = None, since: dt.date | None = None
) -> dict[int, Decimal]:
    """Planned hours per auditor (as lead or team member), cancelled audits excluded."""
    qs = Audit.objects.filter(organization=organization).exclude(status=AuditStatus.CANCELLED)
    if programme is not None:
        qs = qs.filter(programme=programme)
    if since is not None:
        qs = qs.filter(planned_start__gte=since)
    hours: dict[int, Decimal] = defaultdict(Decimal)
    for audit in qs.prefetch_related("team"):
        people = {a.pk for a in audit.team.all()}
        if audit.lead_auditor_id:
            people.add(audit.lead_auditor_id)
        for pk in people:
            hours[pk] += audit.planned_hours
    return hours


def audit_impartiality(audit: Audit) -> list[str]:
    from qualitas.audits.logic import impartiality_warnings

    audited = [(p.pk, str(p), p.owner_id) for p in audit.processes.all()]
    auditors = list(audit.team.all().select_related("user").prefetch_related("own_processes"))
    if audit.lead_auditor_id and all(a.pk != audit.lead_auditor_id for a in auditors):
        lead = (
            Auditor.objects.filter(pk=audit.lead_auditor_id)
            .select_related("user")
            .prefetch_related("own_processes")
            .first()
        )
        if lead is not None:
            auditors.append(lead)
    warnings: list[str] = []
    for a in auditors:
        warnings += impartiality_warnings(
            auditor_name=str(a.user),
            auditor_user_id=a.user_id,
            own_process_ids=[p.pk for p in a.own_processes.all()],
            audited=audited,
        )
    return warnings


# --- findings ------------------------------------------------------------------------------------


def open_findings(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    return qs.filter(status=FindingStatus.OPEN, kind__in=NC_RESULTS)


def upcoming(organization: Any, days: int) -> QuerySet[Audit]:
    from django.utils import timezone

    today = timezone.localdate()
    return Audit.objects.filter(
        organization=organization,
        status__in=(AuditStatus.PLANNED, AuditStatus.PREPARED),
        planned_start__gte=today,
        planned_start__lte=today + dt.timedelta(days=days),
    )


# --- checklist questions and verified clauses ----------------------------------------------------


@lru_cache(maxsize=1)
def question_bank() -> dict[str, list[str]]:
    data = json.loads(BANK_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def questions_for_clause(number: str) -> list[str]:
    bank = question_bank()
    parts = number.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in bank:
            return list(bank[key])
    return []


def checklist_plan(audit: Audit) -> list[dict[str, Any]]:
    """The questions a generated checklist holds: per criterion clause (its own or its nearest
    parent's questions, each family once) and per process."""
    plan: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for clause in audit.criteria.all().order_by("sort_key"):
        for q in questions_for_clause(clause.number):
            if (q, "") not in seen:
                seen.add((q, ""))
                plan.append({"clause": clause, "process": None, "question": q})
        if not questions_for_clause(clause.number):
            plan.append(
                {
                    "clause": clause,
                    "process": None,
                    "question": f"How is {clause.number} {clause.title} met? Show the evidence.",
                }
            )
    for process in audit.processes.all():
        for q in question_bank().get("process", []):
            plan.append({"clause": None, "process": process, "question": q})
    return plan


def verified_clause_numbers(audit: Audit) -> list[str]:
    """The audit's criteria that were audited without a nonconformity."""
    nc_clauses = {
        n for n in audit.findings.filter(kind__in=NC_RESULTS).values_list("clause__number", flat=True) if n
    }
    nc_clauses |= {
        n for n in audit.items.filter(result__in=NC_RESULTS).values_list("clause__number", flat=True) if n
    }
    audited = {
        n
        for n in audit.items.exclude(result__in=("", Result.NOT_AUDITED)).values_list(
            "clause__number", flat=True
        )
        if n
    }
    numbers = []
    for clause in audit.criteria.all().order_by("sort_key"):
        has_question = any(clause_covers(a, clause.number) for a in audited) or not audit.items.exists()
        if has_question and not any(clause_covers(n, clause.number) for n in nc_clauses):
            numbers.append(clause.number)
    return numbers
