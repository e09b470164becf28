"""Demo actions: a realistic to-do list for the quality team, some overdue, some done."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.actions import services
from qualitas.actions.choices import ActionKind, Priority

TASKS = [
    ("quality", "Update the calibration schedule for the new CMM", ActionKind.TASK, Priority.HIGH, -5),
    ("quality", "Prepare the management review agenda", ActionKind.TASK, Priority.NORMAL, 12),
    (
        "quality",
        "Brief the new inspector on the final inspection procedure",
        ActionKind.TASK,
        Priority.NORMAL,
        3,
    ),
    ("production", "Replace worn collet on lathe L3", ActionKind.CORRECTION, Priority.URGENT, -2),
    ("production", "Add poka-yoke fixture for bracket orientation", ActionKind.PREVENTIVE, Priority.HIGH, 20),
    (
        "production",
        "Review the set-up checklist for the 5-axis centre",
        ActionKind.IMPROVEMENT,
        Priority.NORMAL,
        30,
    ),
    (
        "purchasing",
        "Re-evaluate the heat-treatment supplier after two late deliveries",
        ActionKind.CORRECTIVE,
        Priority.HIGH,
        -9,
    ),
    (
        "purchasing",
        "Collect updated ISO 9001 certificates from key suppliers",
        ActionKind.TASK,
        Priority.NORMAL,
        45,
    ),
    ("auditor", "Plan the purchasing process audit", ActionKind.TASK, Priority.NORMAL, 14),
    ("operator", "Clean and label the quarantine rack", ActionKind.CORRECTION, Priority.NORMAL, 1),
    ("operator", "Read the revised deburring work instruction", ActionKind.TASK, Priority.LOW, 6),
    ("operator2", "Record first-off inspection for order 4711", ActionKind.TASK, Priority.HIGH, 0),
    ("director", "Approve the budget for a second CMM", ActionKind.IMPROVEMENT, Priority.NORMAL, 25),
]

DONE = [
    ("quality", "Archive last year's inspection records", "Moved to the records archive; index updated."),
    (
        "production",
        "Retrain night shift on the torque procedure",
        "Training held 14 people; attendance on file.",
    ),
    (
        "purchasing",
        "Send the drawing revision C to the coating supplier",
        "Sent by e-mail; receipt confirmed.",
    ),
]


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    today = timezone.localdate()
    actor = people["quality"]
    for owner, title, kind, priority, due_in in TASKS:
        services.create_action(
            organization=org,
            actor=actor,
            data={
                "title": title,
                "kind": kind,
                "priority": priority,
                "owner": people[owner],
                "due_date": today + dt.timedelta(days=due_in),
                "description": "Created during the weekly quality meeting.",
            },
        )
    for owner, title, note in DONE:
        action = services.create_action(
            organization=org,
            actor=actor,
            data={
                "title": title,
                "owner": people[owner],
                "due_date": today - dt.timedelta(days=rng.randint(10, 40)),
            },
        )
        services.complete_action(action, actor=people[owner], note=note)
