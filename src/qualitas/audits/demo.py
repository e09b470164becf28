"""Demo internal audits: a three-year programme in progress, audits done with checklists, findings
that became nonconformities, audits still to come. The content is in ``audits/data/demo.toml``; this
module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qualitas.audits import services
from qualitas.core.datafiles import load as load_data


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.planning.models import Process
    from qualitas.standards.models import Clause

    today = timezone.localdate()
    quality, auditor_user = people["quality"], people["auditor"]
    processes = list(Process.objects.filter(organization=org, is_active=True).order_by("code"))
    if not processes:
        return
    demo = load_data("audits", "demo")
    auditors = {}
    own: dict[str, list[Any]] = {}
    for row in demo["auditors"]:
        user = people[row["user"]]
        own[row["user"]] = [p for p in processes if p.owner_id == user.pk]
        data = {
            "user": user,
            "qualifications": row["qualifications"],
            "trained_on": today - dt.timedelta(days=row["trained_days_ago"]),
        }
        if "training_due_in" in row:
            data["training_due"] = today + dt.timedelta(days=row["training_due_in"])
        data["own_processes"] = own[row["user"]]
        auditors[row["user"]] = services.create_auditor(organization=org, actor=quality, data=data)
    sofia, maria, lena = auditors["auditor"], auditors["quality"], auditors["purchasing"]
    start = dt.date(today.year - 1, 1, 1)
    programme = services.create_programme(
        organization=org,
        actor=quality,
        data={
            "title": demo["programme"]["title"],
            "period_start": start,
            "period_end": dt.date(today.year + 1, 12, 31),
            "objectives": demo["programme"]["objectives"],
            "method": demo["programme"]["method"],
        },
    )
    span = (programme.period_end - start).days
    done_cutoff = today - dt.timedelta(days=20)
    for n, process in enumerate(processes[:8]):
        planned = start + dt.timedelta(days=int(span * (n + 0.5) / 8))
        numbers = demo["criteria"][n % len(demo["criteria"])]
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
        kinds = [f for f in demo["findings"] if f["audit"] == n]
        for j, item in enumerate(items):
            result, notes = "conforming", ""
            if kinds and j == 0:
                result, notes = kinds[0]["result"], kinds[0]["notes"]
            services.update_checklist_item(
                item,
                actor=auditor_user,
                data={
                    "result": result,
                    "notes": notes,
                    "evidence": rng.choice(demo["evidence"]),
                },
            )
        services.update_audit(
            audit,
            actor=auditor_user,
            data={
                "summary": f"The {process.name.lower()} process is run as described "
                "and its records are complete" + (", with the finding noted below." if kinds else "."),
                "strengths": rng.choice(demo["strengths"]),
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
