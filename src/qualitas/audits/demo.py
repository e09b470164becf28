"""Demo internal audits: a three-year programme in progress, audits done with checklists, findings
that became nonconformities, audits still to come."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qualitas.audits import services

CRITERIA = [
    ["8.4.1", "8.4.2", "8.4.3"],
    ["8.5.1", "8.5.2", "8.6", "8.7.1"],
    ["7.1.5.1", "7.1.5.2", "7.2"],
    ["7.5.1", "7.5.2", "7.5.3.1"],
    ["9.1.2", "9.1.3", "10.2.1"],
    ["8.2.1", "8.2.2", "8.2.3.1"],
    ["6.1.1", "6.2.1", "9.3.1"],
    ["7.1.3", "7.1.4", "7.3"],
]

NC_NOTES = {
    ("major_nc", 0): "The heat-treatment supplier delivered for eight months after its approval expired; "
    "no re-evaluation was recorded.",
    (
        "minor_nc",
        1,
    ): "Set-up sheet for part 4711 on lathe L3 was revision B; revision C was released on the 3rd.",
    ("minor_nc", 2): "Micrometer M-117 was in use four days after its calibration due date.",
    (
        "observation",
        3,
    ): "Document owners could show who approved each revision, but not always why it changed.",
    ("ofi", 4): "Complaint trends are analysed monthly; a Pareto by cause would show priorities faster.",
}


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.planning.models import Process
    from qualitas.standards.models import Clause

    today = timezone.localdate()
    quality, auditor_user = people["quality"], people["auditor"]
    processes = list(Process.objects.filter(organization=org, is_active=True).order_by("code"))
    if not processes:
        return
    own = {
        u: [p for p in processes if p.owner_id == people[u].pk] for u in ("quality", "purchasing", "auditor")
    }
    sofia = services.create_auditor(
        organization=org,
        actor=quality,
        data={
            "user": auditor_user,
            "qualifications": "ISO 9001 internal auditor course (3 days, 2023); six audits as co-auditor.",
            "trained_on": today - dt.timedelta(days=420),
            "training_due": today + dt.timedelta(days=310),
            "own_processes": own["auditor"],
        },
    )
    maria = services.create_auditor(
        organization=org,
        actor=quality,
        data={
            "user": quality,
            "qualifications": "Lead auditor ISO 9001 (IRCA-registered course, 2019).",
            "trained_on": today - dt.timedelta(days=700),
            "training_due": today + dt.timedelta(days=30),
            "own_processes": own["quality"],
        },
    )
    lena = services.create_auditor(
        organization=org,
        actor=quality,
        data={
            "user": people["purchasing"],
            "qualifications": "Internal auditor course (2 days, 2024).",
            "trained_on": today - dt.timedelta(days=200),
            "own_processes": own["purchasing"],
        },
    )
    start = dt.date(today.year - 1, 1, 1)
    programme = services.create_programme(
        organization=org,
        actor=quality,
        data={
            "title": "Internal audit programme",
            "period_start": start,
            "period_end": dt.date(today.year + 1, 12, 31),
            "objectives": "Audit every process and every applicable clause of ISO 9001 at least once in "
            "three years; high-risk processes every year.",
            "method": "Priority from the process risks, open nonconformities and the results of earlier "
            "audits. Follow-up audits verify that nonconformities were closed effectively.",
        },
    )
    span = (programme.period_end - start).days
    done_cutoff = today - dt.timedelta(days=20)
    for n, process in enumerate(processes[:8]):
        planned = start + dt.timedelta(days=int(span * (n + 0.5) / 8))
        numbers = CRITERIA[n % len(CRITERIA)]
        clauses = list(Clause.objects.filter(standard__code="iso9001-2015", number__in=numbers))
        lead = sofia if process not in own["auditor"] else maria
        team = [lena] if n % 3 == 0 and process not in own["purchasing"] else []
        auditees = [process.owner] if process.owner_id else []
        audit = services.create_audit(
            organization=org,
            actor=quality,
            data={
                "programme": programme,
                "title": f"{process.name} process audit",
                "processes": [process],
                "criteria": clauses,
                "planned_start": planned,
                "planned_end": planned + dt.timedelta(days=1),
                "planned_hours": Decimal(rng.choice([4, 6, 8])),
                "lead_auditor": lead,
                "team": team,
                "auditees": auditees,
                "scope": f"{process.name}: activities, records and interfaces of the last twelve months.",
            },
        )
        services.generate_checklist(audit, actor=auditor_user)
        if planned > today + dt.timedelta(days=3):
            if planned <= today + dt.timedelta(days=60):
                services.transition_audit(audit, "prepare", actor=auditor_user)
            continue
        services.transition_audit(audit, "prepare", actor=auditor_user)
        services.transition_audit(audit, "start", actor=auditor_user)
        if planned > done_cutoff:
            continue  # in progress
        items = list(audit.items.select_related("clause"))
        kinds = [k for (k, i) in NC_NOTES if i == n]
        for j, item in enumerate(items):
            result, notes = "conforming", ""
            if kinds and j == 0:
                result, notes = kinds[0], NC_NOTES[(kinds[0], n)]
            services.update_checklist_item(
                item,
                actor=auditor_user,
                data={
                    "result": result,
                    "notes": notes,
                    "evidence": rng.choice(
                        [
                            "Sampled three orders of the last quarter.",
                            "Interview with the shift lead; records on the shared drive.",
                            "Observed at the workstation.",
                            "Register reviewed on screen.",
                        ]
                    ),
                },
            )
        services.update_audit(
            audit,
            actor=auditor_user,
            data={
                "summary": f"The {process.name.lower()} process is run as described "
                "and its records are complete" + (", with the finding noted below." if kinds else "."),
                "strengths": rng.choice(
                    [
                        "Well-kept records and a motivated team.",
                        "Clear visual management at the workstations.",
                        "Process measures are reviewed every week.",
                    ]
                ),
                "conclusion": "The process is effective."
                if not kinds
                else "Effective once the finding is addressed.",
            },
        )
        services.transition_audit(audit, "report", actor=auditor_user)
        services.update_audit(
            audit, actor=auditor_user, data={"reported_on": min(planned + dt.timedelta(days=5), today)}
        )
        if planned < today - dt.timedelta(days=200):
            services.transition_audit(audit, "close", actor=quality)
    first = programme.audits.order_by("planned_start").first()
    if first is not None and first.findings.filter(kind="major_nc").exists():
        follow = services.create_audit(
            organization=org,
            actor=quality,
            data={
                "programme": programme,
                "title": f"Follow-up of {first.reference}",
                "follow_up_of": first,
                "processes": list(first.processes.all()),
                "criteria": list(first.criteria.all()),
                "planned_start": today + dt.timedelta(days=25),
                "planned_hours": Decimal(2),
                "lead_auditor": sofia,
                "scope": "Verify that the nonconformities of the earlier audit were closed effectively.",
            },
        )
        services.generate_checklist(follow, actor=auditor_user)
    services.calendar_subscription(org, actor=quality)
