"""Demo data of Northwind Precision Parts, a job shop that machines parts to customer drawings (it
does not design): context, interested parties, identity and policy, 14 processes with their
interactions, 30 risks and opportunities, 6 objectives and 15 KPIs with two years of monthly values.
The content is in ``planning/data/demo.toml``; this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.utils import timezone

from qualitas.core.datafiles import load as load_data
from qualitas.core.services import create_record
from qualitas.planning import services
from qualitas.planning.choices import Direction, Effectiveness, MeasurementSource, RiskKind, RiskSource
from qualitas.planning.models import ContextIssue, InterestedParty, Process


def _month(today: dt.date, back: int) -> dt.date:
    """The first day of the month ``back`` months before ``today`` (negative: in the future)."""
    y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(y, m + 1, 1)


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    demo = load_data("planning", "demo")
    today = timezone.localdate()
    qm, director = people["quality"], people["admin"]

    services.save_identity(org, actor=director, data=dict(demo["identity"]))
    policies = []
    for row in demo["policies"]:
        policy = services.create_policy(
            organization=org,
            actor=qm,
            data={
                "title": row["title"],
                "effective_from": today - dt.timedelta(days=row["days_ago"]),
                "text": row["text"],
            },
        )
        services.transition_policy(policy, "approve", actor=director, reason=row.get("reason", ""))
        policies.append(policy)
    policy = policies[-1]  # the newest approved policy is the one in force
    for row in demo["communications"]:
        services.add_communication(
            policy,
            actor=qm,
            data={
                "date": today - dt.timedelta(days=row["days_ago"]),
                "channel": row["channel"],
                "audience": row["audience"],
            },
        )

    issue_list = [
        create_record(
            ContextIssue,
            organization=org,
            actor=qm,
            data={
                **row,
                "impact": "Discussed in the management review; see linked risks.",
                "review_date": today + dt.timedelta(days=-20 if i == 3 else 60 + 10 * i),
            },
        )
        for i, row in enumerate(demo["context_issues"])
    ]
    party_list = [
        create_record(
            InterestedParty,
            organization=org,
            actor=qm,
            data={**row, "review_date": today + dt.timedelta(days=rng.randint(30, 300))},
        )
        for row in demo["parties"]
    ]

    procs = {}
    for row in demo["processes"]:
        procs[row["code"]] = create_record(
            Process,
            organization=org,
            actor=qm,
            members=("owner",),
            data={
                **row,
                "owner": people[row["owner"]],
                "inputs": row["inputs"].replace(", ", "\n"),
                "outputs": row["outputs"].replace(", ", "\n"),
            },
        )
    for row in demo["interactions"]:
        services.add_interaction(
            procs[row["source"]], actor=qm, target=procs[row["target"]], description=row["description"]
        )

    for n, row in enumerate(demo["risks"]):
        title, owner, treatment, residual = row["title"], row["owner"], row["treatment"], row.get("residual")
        data: dict[str, Any] = {
            **{k: row[k] for k in ("kind", "title", "source", "likelihood", "impact", "treatment")},
            "process": procs[row["process"]],
            "owner": people[owner],
            "review_date": today + dt.timedelta(days=(-15 - n) if n % 7 == 3 else 30 + 9 * n),
            "description": f"Identified in the {'risk workshop' if n % 2 else 'management review'}.",
        }
        if row["source"] == RiskSource.CONTEXT:
            data["context_issue"] = issue_list[n % len(issue_list)]
        elif row["source"] == RiskSource.PARTY:
            data["interested_party"] = party_list[n % len(party_list)]
        if residual:
            data["residual_likelihood"], data["residual_impact"] = residual
            data["treatment_plan"] = "Controls in place; see the treatment actions."
        risk = services.create_risk(organization=org, actor=qm, data=data)
        if treatment in ("reduce", "avoid", "pursue", "enhance") and n % 3 != 2:
            services.add_plan_action(
                risk,
                actor=qm,
                data={
                    "title": f"Treatment: {title[:60].lower()}",
                    "owner": people[owner],
                    "due_date": today + dt.timedelta(days=rng.randint(-20, 90)),
                },
            )
        if n % 5 == 0 and risk.kind == RiskKind.RISK:
            services.record_risk_review(
                risk,
                actor=qm,
                next_review=today + dt.timedelta(days=180),
                effectiveness=Effectiveness.EFFECTIVE if n % 10 == 0 else Effectiveness.PARTLY,
                note="Actions done; level confirmed.",
            )
        if treatment == "accept" or (residual and n % 4 == 0):
            services.transition_risk(
                risk, "accept", actor=qm, reason="Residual level within our risk appetite"
            )

    objectives = []
    for row in demo["objectives"]:
        owner, resources = row["owner"], row["resources"]
        obj = services.create_objective(
            organization=org,
            actor=qm,
            data={
                "title": row["title"],
                "target": row["target"],
                "owner": people[owner],
                "policy": policy,
                "process": procs[row["process"]],
                "due_date": _month(today, -row["months"]),
                "resources": resources,
                "strategy": "Growth with existing customers through reliability",
                "evaluation": "Monthly KPI review; yearly in the management review",
            },
        )
        services.add_plan_action(
            obj,
            actor=qm,
            data={
                "title": f"Plan step: {resources.split(';')[0]}",
                "owner": people[owner],
                "due_date": today + dt.timedelta(days=rng.randint(-10, 120)),
            },
        )
        objectives.append(obj)

    for row in demo["kpis"]:
        _load_kpi(org, people, rng, row, procs, objectives, today)


def _load_kpi(
    org: Any,
    people: dict[str, Any],
    rng: random.Random,
    row: dict[str, Any],
    procs: dict[str, Any],
    objectives: list[Any],
    today: dt.date,
) -> None:
    """One KPI and its 24 monthly values: ``start`` plus ``drift`` a month plus noise."""
    owner, unit, name = row["owner"], row["unit"], row["name"]
    kpi = services.create_kpi(
        organization=org,
        actor=people["quality"],
        data={
            **{k: row[k] for k in ("code", "name", "unit", "target", "warning", "alarm")},
            "direction": Direction(row["direction"]),
            "owner": people[owner],
            "process": procs[row["process"]],
            "objective": objectives[row["objective"]] if "objective" in row else None,
            "description": f"{name}, measured monthly from the ERP and quality records.",
        },
    )
    start, drift, noise = row["start"], row["drift"], row["noise"]
    rows = []
    for back in range(24, 0, -1):
        i = 24 - back
        value = start + drift * i + noise * (rng.random() - 0.5) * 2 + 0.4 * noise * math.sin(i / 2)
        if unit == "%":
            value = min(value, 100.0)
        value = max(value, 0.0)
        rows.append(
            {
                "kpi": kpi,
                "period": _month(today, back),
                "value": round(value, 2 if value < 50 else 1),
                "note": "",
            }
        )
    services.record_measurements(
        org,
        actor=people[owner] if owner != "auditor" else people["quality"],
        rows=rows,
        source=MeasurementSource.DEMO,
    )
