"""Demo: Northwind machines parts to customer drawings, so it chose the production scope (8.3 not
applicable). About 60 % ready, with the gaps a real mid-way company has: context and risks still thin,
management review not yet held, a few requirements without owner or with passed target dates. The
content is in ``standards/data/demo/readiness.toml`` (not in ``data/`` itself, where every file is a
catalog); this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.apps import apps
from django.utils import timezone

from qualitas.core.datafiles import load as load_data
from qualitas.standards import queries, readiness, services
from qualitas.standards.choices import LEGACY_1994


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    demo = load_data("standards", "demo/readiness")
    actor = people["quality"]
    today = timezone.localdate()
    services.save_scope(
        org, actor=actor, data=dict(demo["scope"]), design_justification=demo["design_justification"]
    )
    for row in demo["requirements"]:
        clause = queries.clauses().get(number=row["clause"])
        req = services.requirement_for(org, clause, actor=actor)
        data: dict[str, Any] = {"status": row["status"], "notes": row.get("notes", "")}
        if "owner" in row:
            data["owner"] = people[row["owner"]]
        if "target_in" in row:
            data["target_date"] = today + dt.timedelta(days=row["target_in"])
        services.update_requirement(req, actor=actor, data=data)
    for row in demo["legacy_procedures"]:
        services.create_legacy_procedure(
            organization=org,
            actor=actor,
            data={
                "reference": row["reference"],
                "title": row["title"],
                "element": queries.clauses(LEGACY_1994).get(number=row["element"]),
                "notes": "From the 2003 quality manual; to be rewritten per process.",
            },
        )
    # The trend: figures of the past weeks, rising toward today's.
    figures = readiness.compute(org)
    now = figures["overall"]
    for weeks in range(12, 0, -1):
        day = today - dt.timedelta(weeks=weeks)
        value = max(0.05, now - weeks * 0.035 + rng.uniform(-0.01, 0.01))
        services.record_snapshot(
            org,
            {
                **figures,
                "overall": value,
                "groups": [{**g, "score": max(0.0, g["score"] - weeks * 0.03)} for g in figures["groups"]],
            },
            day=day,
        )
    services.record_snapshot(org, figures)


def link_demo_evidence(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    """Runs after the other areas: link a few of their records as evidence (generic links)."""
    actor = people["quality"]
    for row in load_data("standards", "demo/readiness")["evidence"]:
        try:
            model = apps.get_model(row["app"], row["model"])
        except LookupError:
            continue
        records = list(model.objects.filter(organization=org).order_by("pk")[:2])
        for number in row["clauses"]:
            req = services.requirement_for(org, queries.clauses().get(number=number), actor=actor)
            for record in records:
                services.link_evidence(
                    req, record, actor=actor, note="Linked during certification preparation"
                )
