"""The audit plan (mail) and the audit report (PDF)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from qualitas.audits.choices import Result
from qualitas.audits.models import Audit


def plan_context(audit: Audit) -> dict[str, Any]:
    return {
        "audit": audit,
        "organization": audit.organization,
        "processes": list(audit.processes.all()),
        "clauses": list(audit.criteria.all().order_by("sort_key")),
        "sites": list(audit.sites.all()),
        "team": list(audit.team.all().select_related("user")),
        "auditees": list(audit.auditees.all()),
        "question_count": audit.items.count(),
    }


def report_context(audit: Audit) -> dict[str, Any]:
    items = list(audit.items.select_related("clause", "process"))
    findings = list(audit.findings.select_related("clause", "process", "nc_type"))
    counts = Counter(i.result for i in items)
    return {
        **plan_context(audit),
        "items": items,
        "findings": findings,
        "nc_findings": [f for f in findings if f.is_nonconformity],
        "other_findings": [f for f in findings if not f.is_nonconformity],
        "result_counts": [(label, counts.get(value, 0)) for value, label in Result.choices],
        "generated_at": timezone.now(),
    }


def report_html(audit: Audit) -> str:
    return render_to_string("audits/audit_report_pdf.html", report_context(audit))


def report_pdf(audit: Audit) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(audit)).write_pdf()
