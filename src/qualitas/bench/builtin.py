"""Built-in bench registrations: actions (generator and targets), the audit trail, home, export."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from qualitas.accounts.choices import Role
from qualitas.bench.registry import BenchGenerator, BenchRegistry, ListTarget, OperationTarget, PageTarget

VERBS = [
    "Recalibrate",
    "Replace",
    "Update",
    "Check",
    "Retrain",
    "Inspect",
    "Clean",
    "Review",
    "Repair",
    "Verify",
    "Order",
    "Document",
    "Adjust",
    "Validate",
    "Audit",
    "Label",
    "Measure",
    "Analyse",
]
THINGS = [
    "torque wrench",
    "gauge block set",
    "CMM probe",
    "work instruction WI-{n}",
    "spindle bearing",
    "supplier certificate",
    "coolant filter",
    "control plan CP-{n}",
    "first-article report",
    "hardness tester",
    "packaging spec",
    "fixture F-{n}",
    "operator training record",
    "scrap bin labels",
    "calibration sticker",
    "drawing revision",
    "heat-treatment log",
    "deburring station",
    "incoming inspection plan",
    "SPC chart",
]
PLACES = [
    "line {n}",
    "cell {n}",
    "plant 2",
    "goods-in",
    "paint shop",
    "assembly",
    "lab",
    "warehouse",
    "shipping",
]
NOTES = [
    "Done, evidence attached.",
    "Replaced and verified with a test run.",
    "Checked: within tolerance.",
    "Instruction updated and operators briefed.",
    "Completed during the weekly maintenance window.",
]
REASONS = [
    "Duplicate of another action.",
    "No longer relevant after the line was moved.",
    "Covered by the corrective action of the related nonconformity.",
]
# (kind, weight), (priority, weight)
KINDS = [("task", 50), ("correction", 15), ("corrective", 20), ("preventive", 8), ("improvement", 7)]
PRIORITIES = [("low", 15), ("normal", 60), ("high", 20), ("urgent", 5)]


def generate_actions(ctx: Any) -> int:
    """``scale.records`` actions over the years of history: most done, a realistic open backlog."""
    from qualitas.actions.models import Action
    from qualitas.core import audit

    rng = ctx.rng("actions")
    n = ctx.scale.records
    owner = ctx.owner_picker(rng)
    managers = ctx.with_role(Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR) or [ctx.admin]
    start, end = ctx.start, ctx.end
    span = (end - start).total_seconds()
    times = sorted(start + dt.timedelta(seconds=rng.random() * span) for _ in range(n))
    kinds, kind_w = zip(*KINDS, strict=True)
    prios, prio_w = zip(*PRIORITIES, strict=True)
    today = ctx.until
    org_id = ctx.organization.pk
    per_year: Counter[int] = Counter()
    actions: list[Action] = []
    plans: list[tuple[Any, ...]] = []
    for created in times:
        per_year[created.year] += 1
        who = owner()
        creator = who if rng.random() < 0.3 else rng.choice(managers)
        due = (created + dt.timedelta(days=rng.choice((7, 14, 14, 30, 30, 30, 60, 90)))).date()
        title = f"{rng.choice(VERBS)} {rng.choice(THINGS)} at {rng.choice(PLACES)}".replace(
            "{n}", str(rng.randint(1, 40))
        )
        age = (today - created.date()).days
        # Old actions are mostly finished; the last weeks hold the open backlog (some overdue).
        p_done = 0.0 if age < 3 else min(0.93, 0.25 + age / 120)
        roll = rng.random()
        started_at = done_at = cancelled_at = None
        if roll < p_done:
            status = "done"
            started_at = created + dt.timedelta(hours=rng.uniform(2, 72)) if rng.random() < 0.6 else None
            done_at = (started_at or created) + dt.timedelta(
                days=rng.uniform(0.5, max(1.0, min(age - 1, 80)))
            )
        elif roll < p_done + 0.03:
            status = "cancelled"
            cancelled_at = created + dt.timedelta(days=rng.uniform(0.5, max(1.0, min(age - 1, 30))))
        elif rng.random() < 0.4 and age >= 1:
            status = "in_progress"
            started_at = created + dt.timedelta(hours=rng.uniform(1, max(2.0, min(age * 24 - 1, 240))))
        else:
            status = "open"
        last = max(t for t in (created, started_at, done_at, cancelled_at) if t is not None)
        version = 1 + sum(t is not None for t in (started_at, done_at, cancelled_at))
        note = rng.choice(NOTES) if status == "done" else ""
        completed = done_at.replace(microsecond=done_at.microsecond // 1000 * 1000) if done_at else None
        actions.append(
            Action(
                organization_id=org_id,
                created_at=created,
                updated_at=last,
                created_by_id=creator.pk,
                version=version,
                reference=f"ACT-{created.year}-{per_year[created.year]:04d}",
                title=title,
                description=""
                if rng.random() < 0.7
                else f"Raised at the {rng.choice(PLACES)} morning meeting.",
                kind=rng.choices(kinds, kind_w)[0],
                owner_id=who.pk,
                due_date=due,
                priority=rng.choices(prios, prio_w)[0],
                status=status,
                completed_at=completed,
                completion_note=note,
            )
        )
        plans.append((creator, who, started_at, done_at, cancelled_at))
    ctx.bulk_insert(Action, actions, desc="actions")
    ctx.set_counters("ACT", dict(per_year))
    for action, (creator, who, started_at, done_at, cancelled_at) in zip(actions, plans, strict=True):
        after = audit.snapshot(action, with_m2m=False)
        after.update(status="open", completed_at=None, completion_note="")
        ctx.event(
            action.created_at,
            actor=creator,
            action="action.create",
            obj=action,
            changes=audit.diff({}, after),
        )
        status = "open"
        if started_at is not None:
            ctx.event(
                started_at,
                actor=who,
                action="action.start",
                obj=action,
                changes={"status": [status, "in_progress"]},
            )
            status = "in_progress"
        if done_at is not None:
            ctx.event(
                done_at,
                actor=who,
                action="action.complete",
                obj=action,
                changes={
                    "completed_at": [None, audit.to_jsonable(action.completed_at)],
                    "completion_note": ["", action.completion_note],
                    "status": [status, "done"],
                },
            )
        if cancelled_at is not None:
            ctx.event(
                cancelled_at,
                actor=rng.choice(managers),
                action="action.cancel",
                obj=action,
                changes={"status": [status, "cancelled"]},
                reason=rng.choice(REASONS),
            )
    return len(actions)


def verify_rate(org: Any) -> tuple[int, str]:
    import os

    from qualitas.core.audit import verify_chain

    result = verify_chain(org, jobs=min(2, os.cpu_count() or 1))  # as `qualitas audit verify` does
    if not result.ok:
        raise RuntimeError(
            f"the audit chain of {org.slug} is broken at #{result.broken_seq}: {result.problem}"
        )
    return result.checked, "events"


def export_rate(org: Any) -> tuple[int, str]:
    from qualitas.core.transfer import export_organization

    with tempfile.TemporaryDirectory() as tmp:
        counts = export_organization(org, Path(tmp) / "export.zip")
    return sum(counts.values()), "records"


def register(reg: BenchRegistry) -> None:
    from qualitas.actions.models import Action
    from qualitas.core.models import AuditEvent

    reg.add(
        BenchGenerator("actions", "Actions (tasks)", generate_actions, order=90),
        ListTarget(
            "actions",
            "Actions",
            Action,
            page_url="actions:action_list",
            api_url="action-list",
            detail_url="actions:action",
            api_detail_url="action-detail",
            filters={"status": "open", "priority": "high"},
            page_sort="-due_date",
            api_sort="-due_date",
            search="torque",
        ),
        ListTarget(
            "audit_events",
            "Audit trail",
            AuditEvent,
            page_url="core:audit_trail",
            api_url="auditevent-list",
            api_detail_url="auditevent-detail",
            filters={"action": "action.complete"},
            search="",
            api_lookup="seq",
        ),
        PageTarget("home", "Home (dashboard tiles)", "core:home", kind="dashboard"),
        OperationTarget("audit_verify", "audit verify", verify_rate, repeat=3),
        OperationTarget("export", "export (ZIP)", export_rate, repeat=1),
    )
