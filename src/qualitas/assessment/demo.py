"""Demo: two completed ISO 9004 self-assessments a year apart at Northwind. Progress shows on the
elements chosen as priorities the first time, and competence declined after a key trainer left."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.assessment import queries, services
from qualitas.assessment.models import Criterion, Element

FIRST = {
    "5.2": 3,
    "5.3": 2,
    "6.2": 2,
    "7.2": 3,
    "7.3": 3,
    "7.4": 2,
    "8.2": 3,
    "8.3": 3,
    "8.4": 3,
    "9.2.2": 2,
    "9.2.3": 2,
    "9.2.4": 3,
    "9.3": 2,
    "9.4": 3,
    "9.5.2": 3,
    "9.5.3": 3,
    "9.6": 2,
    "9.7": 1,
    "10.2": 2,
    "10.3": 2,
    "10.4": 2,
    "10.5": 3,
    "10.6": 1,
    "10.7": 2,
    "11.2": 2,
    "11.3": 2,
    "11.4": 1,
}
FIRST_PRIORITIES = {"10.6": 3, "11.2": 4, "9.6": 4}
SECOND_CHANGES = {"10.6": 3, "11.2": 3, "9.6": 3, "10.2": 3, "9.2.4": 2}
ASSESSORS = [
    ("director", "Top management"),
    ("quality", "Quality"),
    ("production", "Production"),
    ("purchasing", "Purchasing and supply"),
    ("auditor", "Internal audit"),
    ("operator2", "Inspection"),
]
PLAN = {
    "10.6": (
        "Repeat the ISO 9004 self-assessment every year with the same team",
        "quality",
        "Second assessment planned and held with the same six assessors.",
    ),
    "11.2": (
        "Review every corrective action for effectiveness at the monthly quality meeting",
        "quality",
        "Standing agenda item since March; effectiveness checks recorded on each action.",
    ),
    "9.6": ("Introduce quarterly scorecards for the five key suppliers", "purchasing", ""),
}
REASONS = {
    "10.6": "First structured self-assessment; nothing comparable before.",
    "11.2": "Corrective actions exist but effectiveness is rarely checked; several recurrences last year.",
    "9.6": "Suppliers are approved once and then only chased when late.",
    "9.2.4": "The senior setter who ran on-the-job training retired; no replacement plan yet.",
}


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
    *,
    title: str,
    date: dt.date,
    levels: dict[str, int],
    targets: dict[str, int],
    summary: str,
) -> Any:
    facilitator = people["quality"]
    a = services.create_assessment(
        organization=org,
        actor=facilitator,
        data={
            "title": title,
            "date": date,
            "mode": "detailed",
            "facilitator": facilitator,
            "scope": "Northwind Precision Parts, both sites: machining, turning and grinding, "
            "purchasing, quality.",
        },
    )
    for username, perspective in ASSESSORS:
        services.add_assessor(a, actor=facilitator, user=people[username], perspective=perspective)
    services.transition_assessment(a, "start_rating", actor=facilitator)
    elements = list(queries.elements_in_scope(a))
    for username, _p in ASSESSORS:
        user = people[username]
        bias = 1 if username == "director" else 0
        entries = []
        for e in elements:
            base = levels[e.number]
            level = min(5, max(1, base + bias + rng.choice((-1, 0, 0, 0, 1))))
            speaks = username in ("production", "operator2") and level < base
            comment = REASONS.get(e.number, "") if speaks else ""
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
                "reasoning": REASONS.get(e.number, "Agreed after discussion of the spread."),
            }
            for e in elements
        ],
    )
    services.transition_assessment(a, "complete", actor=facilitator, note=summary)
    return a


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    today = timezone.localdate()
    first = _run(
        org,
        people,
        rng,
        title="Annual maturity self-assessment",
        date=today - dt.timedelta(days=380),
        levels=FIRST,
        targets=FIRST_PRIORITIES,
        summary="Solid processes; weak at learning from our own data. Priorities: self-assessment, "
        "effective corrective action, supplier development.",
    )
    results = {r.element.number: r for r in first.results.select_related("element")}
    for number, (title, owner, note) in PLAN.items():
        action = services.plan_improvement(
            results[number],
            actor=people["quality"],
            data={"title": title, "owner": people[owner], "due_date": first.date + dt.timedelta(days=240)},
        )
        if note:
            from qualitas.actions import services as actions

            actions.complete_action(action, actor=people[owner], note=note)
    second = _run(
        org,
        people,
        rng,
        title="Annual maturity self-assessment",
        date=today - dt.timedelta(days=15),
        levels={**FIRST, **SECOND_CHANGES},
        targets={"9.2.4": 3, "9.6": 4, "11.4": 3},
        summary="Self-assessment, corrective action and supplier management moved up; competence "
        "slipped after a retirement and is the new priority.",
    )
    result = second.results.get(element__number="9.2.4")
    services.plan_improvement(
        result,
        actor=people["quality"],
        data={
            "title": "Train two new setters as on-the-job trainers",
            "owner": people["production"],
            "due_date": today + dt.timedelta(days=120),
        },
    )
