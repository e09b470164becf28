"""Demo: two completed ISO 9004 self-assessments a year apart at Northwind. Progress shows on the
elements chosen as priorities the first time, and competence declined after a key trainer left. The
content is in ``assessment/data/demo/self_assessments.toml`` (not in ``data/`` itself, where every
file is a catalog); this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.assessment import queries, services
from qualitas.assessment.models import Criterion, Element
from qualitas.core.datafiles import load as load_data


def _criteria_up_to(element: Element, level: int) -> list[int]:
    return list(
        Criterion.objects.filter(level__element=element, level__number__lte=level).values_list(
            "pk", flat=True
        )
    )


def _run(
    org: Any,
    people: dict[str, Any],
    rng: random.Random,
    demo: dict[str, Any],
    *,
    title: str,
    date: dt.date,
    levels: dict[str, int],
    targets: dict[str, int],
    summary: str,
) -> Any:
    facilitator, reasons = people["quality"], demo["reasons"]
    a = services.create_assessment(
        organization=org,
        actor=facilitator,
        data={
            "title": title,
            "date": date,
            "mode": "detailed",
            "facilitator": facilitator,
            "scope": demo["scope"],
        },
    )
    for row in demo["assessors"]:
        services.add_assessor(a, actor=facilitator, user=people[row["user"]], perspective=row["perspective"])
    services.transition_assessment(a, "start_rating", actor=facilitator)
    elements = list(queries.elements_in_scope(a))
    for row in demo["assessors"]:
        username = row["user"]
        user = people[username]
        bias = 1 if username == "director" else 0
        entries = []
        for e in elements:
            base = levels[e.number]
            level = min(5, max(1, base + bias + rng.choice((-1, 0, 0, 0, 1))))
            speaks = username in ("production", "operator2") and level < base
            comment = reasons.get(e.number, "") if speaks else ""
            entries.append(
                {
                    "element": e,
                    "met_criteria": _criteria_up_to(e, level) if level > 1 else None,
                    "level": level,
                    "comment": comment,
                }
            )
        services.save_ratings(a, actor=user, entries=entries, submit=True)
    services.transition_assessment(a, "open_consensus", actor=facilitator)
    services.record_consensus_many(
        a,
        actor=facilitator,
        entries=[
            {
                "element": e,
                "level": levels[e.number],
                "target_level": targets.get(e.number, min(5, levels[e.number] + 1)),
                "reasoning": reasons.get(e.number, "Agreed after discussion of the spread."),
            }
            for e in elements
        ],
    )
    services.transition_assessment(a, "complete", actor=facilitator, note=summary)
    return a


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    demo = load_data("assessment", "demo/self_assessments")
    today = timezone.localdate()
    plan = demo["first"]
    first = _run(
        org,
        people,
        rng,
        demo,
        title=plan["title"],
        date=today - dt.timedelta(days=plan["days_ago"]),
        levels=demo["levels"],
        targets=plan["targets"],
        summary=plan["summary"],
    )
    results = {r.element.number: r for r in first.results.select_related("element")}
    for row in demo["improvements"]:
        owner = people[row["owner"]]
        action = services.plan_improvement(
            results[row["element"]],
            actor=people["quality"],
            data={"title": row["title"], "owner": owner, "due_date": first.date + dt.timedelta(days=240)},
        )
        if row.get("note"):
            from qualitas.actions import services as actions

            actions.complete_action(action, actor=owner, note=row["note"])
    plan = demo["second"]
    second = _run(
        org,
        people,
        rng,
        demo,
        title=plan["title"],
        date=today - dt.timedelta(days=plan["days_ago"]),
        levels={**demo["levels"], **plan["changes"]},
        targets=plan["targets"],
        summary=plan["summary"],
    )
    row = demo["next_priority"]
    services.plan_improvement(
        second.results.get(element__number=row["element"]),
        actor=people["quality"],
        data={
            "title": row["title"],
            "owner": people[row["owner"]],
            "due_date": today + dt.timedelta(days=row["due_in"]),
        },
    )
