"""Demo actions: a realistic to-do list for the quality team, some overdue, some done. The content is
in ``actions/data/demo.toml``; this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.actions import services
from qualitas.core.datafiles import load as load_data


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    demo = load_data("actions", "demo")
    today = timezone.localdate()
    actor = people["quality"]
    for row in demo["open"]:
        services.create_action(
            organization=org,
            actor=actor,
            data={
                "title": row["title"],
                "kind": row["kind"],
                "priority": row["priority"],
                "owner": people[row["owner"]],
                "due_date": today + dt.timedelta(days=row["due_in"]),
                "description": demo["description"],
            },
        )
    for row in demo["done"]:
        owner = row["owner"]
        action = services.create_action(
            organization=org,
            actor=actor,
            data={
                "title": row["title"],
                "owner": people[owner],
                "due_date": today - dt.timedelta(days=rng.randint(10, 40)),
            },
        )
        services.complete_action(action, actor=people[owner], note=row["note"])
