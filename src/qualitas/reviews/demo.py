"""Demo management reviews: two held and minuted (their decisions partly done), the next one planned.
The content is in ``reviews/data/demo.toml``; this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.core.datafiles import load as load_data
from qualitas.reviews import services


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.actions.services import complete_action

    demo = load_data("reviews", "demo")
    today = timezone.localdate()
    quality, director = people["quality"], people["director"]
    attendees = [people[k] for k in ("quality", "director", "production", "purchasing")]
    for held in demo["reviews"]:
        planned = today - dt.timedelta(days=held["days_ago"])
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
                "agenda": demo["agenda"],
            },
        )
        services.transition_review(review, "start", actor=quality)
        for minute in demo["minutes"]:
            services.save_minute(review, actor=quality, key=minute["key"], text=minute["text"])
        for row in held["decisions"]:
            output = services.create_output(
                organization=org,
                actor=quality,
                data={
                    "review": review,
                    "kind": row["kind"],
                    "decision": row["decision"],
                    "owner": people[row["owner"]],
                    "due_date": planned + dt.timedelta(days=row["due_in"]),
                },
            )
            if row["done"] and output.action is not None:
                complete_action(output.action, actor=people[row["owner"]], note=row["note"])
        services.update_review(review, actor=quality, data={"conclusions": held["conclusions"]})
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
