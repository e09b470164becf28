"""Demo management reviews: two held and minuted (their decisions partly done), the next one planned."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.reviews import services

FIRST = [
    (
        "resources",
        "Buy a second coordinate measuring machine for plant 1.",
        "director",
        120,
        True,
        "CMM installed and qualified in week 14.",
    ),
    (
        "improvement",
        "Introduce SPC on the bore diameter of the bracket family.",
        "production",
        90,
        True,
        "X-bar/R charts in use since May.",
    ),
    (
        "qms_change",
        "Merge the two inspection procedures into one.",
        "quality",
        60,
        True,
        "Procedure QP-08 revision D released.",
    ),
    ("improvement", "Re-evaluate all suppliers of special processes.", "purchasing", 150, False, ""),
]
SECOND = [
    ("improvement", "Cut internal scrap of the turning cell by 20 %.", "production", 180, False, ""),
    ("resources", "Train two more internal auditors.", "quality", 120, True, "Two auditors certified."),
    ("qms_change", "Add climate-related issues to the context review.", "quality", 90, False, ""),
]


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.actions.services import complete_action

    today = timezone.localdate()
    quality, director = people["quality"], people["director"]
    attendees = [people[k] for k in ("quality", "director", "production", "purchasing")]
    for planned, decisions, conclusion in (
        (
            today - dt.timedelta(days=395),
            FIRST,
            "The QMS is suitable and effective; measuring capacity is the main constraint.",
        ),
        (
            today - dt.timedelta(days=30),
            SECOND,
            "The QMS is suitable, adequate and effective; scrap in turning needs attention.",
        ),
    ):
        review = services.create_review(
            organization=org,
            actor=quality,
            data={
                "title": f"Management review {planned.year}",
                "planned_date": planned,
                "held_on": planned,
                "interval_months": 12,
                "chair": director,
                "attendees": attendees,
                "agenda": "Inputs 9.3.2 a)–f), then decisions on improvement, changes and resources.",
            },
        )
        services.transition_review(review, "start", actor=quality)
        services.save_minute(
            review,
            actor=quality,
            key="previous_actions",
            text="Decisions of the previous review were discussed one by one.",
        )
        services.save_minute(
            review,
            actor=quality,
            key="audits.results",
            text="Audit programme on plan; nonconformities are being worked on.",
        )
        for kind, decision, owner, due_in, done, note in decisions:
            output = services.create_output(
                organization=org,
                actor=quality,
                data={
                    "review": review,
                    "kind": kind,
                    "decision": decision,
                    "owner": people[owner],
                    "due_date": planned + dt.timedelta(days=due_in),
                },
            )
            if done:
                complete_action(output.action, actor=people[owner], note=note)
        services.update_review(review, actor=quality, data={"conclusions": conclusion})
        services.transition_review(review, "minute", actor=quality)
        if planned < today - dt.timedelta(days=200):
            services.transition_review(review, "close", actor=quality)
    services.create_review(
        organization=org,
        actor=quality,
        data={
            "title": f"Management review {today.year + 1}",
            "planned_date": today + dt.timedelta(days=335),
            "interval_months": 12,
            "chair": director,
            "attendees": attendees,
        },
    )
