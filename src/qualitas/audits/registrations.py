"""What the audit area contributes to cross-area features: readiness evidence (9.2) and the
management review input "audit results" (9.3.2 c) 6))."""

from __future__ import annotations

from collections import Counter
from typing import Any, cast

from django.urls import reverse


def summarize_evidence(organization: Any) -> dict[str, Any]:
    from qualitas.audits.choices import DONE_STATES
    from qualitas.audits.models import Audit, AuditProgramme

    done = Audit.objects.filter(organization=organization, status__in=DONE_STATES).order_by(
        "-reported_on", "-pk"
    )
    items = [
        (str(p), p.get_absolute_url())
        for p in AuditProgramme.objects.filter(organization=organization).order_by("-period_start")[:3]
    ]
    items += [(f"{a} (report)", reverse("audits:audit_report", args=[a.pk])) for a in done[:7]]
    return {"count": done.count(), "url": reverse("audits:audit_list") + "?status=reported", "items": items}


def pack_items(organization: Any) -> list[tuple[str, str, str | None]]:
    from qualitas.audits.choices import DONE_STATES
    from qualitas.audits.models import Audit

    return [
        (f"Audit report {a}", reverse("audits:audit_report", args=[a.pk]), None)
        for a in Audit.objects.filter(organization=organization, status__in=DONE_STATES)
    ]


def audit_results_input(organization: Any, start: Any, end: Any) -> dict[str, Any]:
    from qualitas.audits.choices import DONE_STATES, NC_RESULTS, FindingStatus, Result
    from qualitas.audits.models import Audit, Finding

    audits = list(
        Audit.objects.filter(
            organization=organization, status__in=DONE_STATES, reported_on__gte=start, reported_on__lte=end
        ).order_by("reported_on")
    )
    findings = list(Finding.objects.filter(organization=organization, audit__in=audits))
    kinds = Counter(f.kind for f in findings)
    open_ncs = Finding.objects.filter(
        organization=organization, kind__in=NC_RESULTS, status=FindingStatus.OPEN
    ).count()
    planned = (
        Audit.objects.filter(organization=organization, planned_start__gte=start, planned_start__lte=end)
        .exclude(status="cancelled")
        .count()
    )
    labels = [label for value, label in Result.choices if value in kinds]
    values = [kinds[value] for value, _label in Result.choices if value in kinds]
    return {
        "summary": (
            f"{len(audits)} internal audit(s) reported in the period with {len(findings)} finding(s); "
            f"{open_ncs} nonconformity finding(s) still await verified closure."
        )
        if audits or open_ncs
        else "",
        "figures": [
            ("Audits reported", len(audits)),
            ("Audits planned in the period", planned),
            ("Major nonconformities", kinds.get(Result.MAJOR_NC, 0)),
            ("Minor nonconformities", kinds.get(Result.MINOR_NC, 0)),
            ("Observations and OFIs", kinds.get(Result.OBSERVATION, 0) + kinds.get(Result.OFI, 0)),
            ("Open nonconformity findings (all audits)", open_ncs),
        ],
        "items": [(str(a), a.get_absolute_url()) for a in audits[:10]],
        "chart": {"type": "bar", "labels": labels, "series": values} if values else None,
    }


def reminders_job(organization: Any, today: Any) -> str:
    """Reminder actions for audits and management reviews starting within 14 days (idempotent)."""
    from qualitas.audits.reminders import create_reminders

    return f"{len(create_reminders(organization, days=14))} reminder action(s) created"


def register_background() -> None:
    from django.utils.translation import gettext_lazy as _

    from qualitas.core.registry import ScheduledJob, registry

    registry.schedules.setdefault(
        "audits.reminders",
        ScheduledJob(
            "audits.reminders",
            cast(
                str,
                _("Actions for audits and reviews starting within 14 days"),
            ),
            reminders_job,
        ),
    )
