"""Planning's objectives and KPIs with their measurements over the history, and the alert actions
``record_measurements`` raises when a value crosses a threshold."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter as Tally
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from qualitas.accounts.choices import Role
from qualitas.bench.generators.common import (
    History,
    J,
    add_months,
    changes,
    created,
    people,
    raise_counters,
    spread,
    stamp,
    working_time,
    yearly_numbers,
)

# (name, unit, direction, target, warning, alarm, mean, spread, decimals)
KPIS = [
    ("On-time delivery", "%", "higher", 95.0, 93.0, 88.0, 95.5, 2.2, 1),
    ("First pass yield", "%", "higher", 97.0, 96.0, 93.0, 97.2, 1.3, 1),
    ("Internal scrap rate", "%", "lower", 1.5, 2.0, 3.0, 1.4, 0.45, 2),
    ("Customer complaints", "", "lower", 3.0, 5.0, 8.0, 2.5, 1.8, 0),
    ("Customer PPM", "ppm", "lower", 150.0, 250.0, 400.0, 140.0, 70.0, 0),
    ("Supplier on-time delivery", "%", "higher", 93.0, 90.0, 85.0, 93.5, 3.0, 1),
    ("Supplier PPM", "ppm", "lower", 500.0, 800.0, 1200.0, 450.0, 220.0, 0),
    ("OEE", "%", "higher", 75.0, 70.0, 65.0, 76.0, 4.0, 1),
    ("Setup time", "min", "lower", 45.0, 55.0, 70.0, 44.0, 8.0, 0),
    ("Rework hours", "h", "lower", 20.0, 30.0, 45.0, 18.0, 7.0, 1),
    ("Nonconformity closure time", "days", "lower", 30.0, 40.0, 60.0, 28.0, 9.0, 0),
    ("Calibrations overdue", "", "lower", 0.0, 2.0, 5.0, 0.6, 1.1, 0),
    ("Training hours per employee", "h", "higher", 2.0, 1.5, 1.0, 2.2, 0.6, 1),
    ("Energy per part", "kWh", "lower", 1.8, 2.0, 2.3, 1.75, 0.15, 2),
    ("Cost of poor quality", "€", "lower", 8000.0, 11000.0, 15000.0, 7500.0, 2500.0, 0),
]
FREQUENCIES = [("weekly", 70), ("monthly", 25), ("quarterly", 5)]
PER = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
PERIOD_DAYS = {"weekly": 7, "monthly": 30.4, "quarterly": 91.3}
ALERT_NOTES = [
    "Cause found and removed; values back on target.",
    "Special cause: one-off customer return. No further action.",
    "Discussed in the weekly meeting; corrective action opened.",
]


def next_period(day: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return day + dt.timedelta(days=7)
    return add_months(day, {"monthly": 1, "quarterly": 3, "yearly": 12}[frequency])


def period_start(day: dt.date, frequency: str) -> dt.date:
    if frequency == "weekly":
        return day - dt.timedelta(days=day.weekday())
    if frequency == "quarterly":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if frequency == "yearly":
        return dt.date(day.year, 1, 1)
    return day.replace(day=1)


def objectives_and_kpis(ctx: Any, rng: random.Random, processes: list[Any]) -> None:
    from qualitas.actions.models import Action
    from qualitas.planning.models import Kpi, Measurement, Objective
    from qualitas.planning.scoring import crossed, kpi_status

    planners = people(ctx, Role.QUALITY_MANAGER, Role.PROCESS_OWNER)
    owner = ctx.owner_picker(rng, planners)
    recorders = [p for p in ctx.people if ctx.roles[p.pk] != Role.VIEWER] or [ctx.admin]
    # KPIs until their measurements over the history reach scale.records (most from the start).
    plans: list[tuple[dt.datetime, str, dt.date | None]] = []
    total = 0
    while total < ctx.scale.records * 1.02:  # 2 % of the entries are missed
        begin = ctx.start + dt.timedelta(days=rng.uniform(0, 30))
        if rng.random() < 0.4:
            begin = spread(rng, ctx.start, ctx.end - dt.timedelta(days=60), 1)[0]
        frequency = rng.choices([f for f, _w in FREQUENCIES], [w for _f, w in FREQUENCIES])[0]
        retired = None
        if rng.random() < 0.08:
            retired = (begin + (ctx.end - begin) * rng.uniform(0.4, 0.95)).date()
        last = retired or ctx.until
        periods = max(1, int((last - begin.date()).days / PERIOD_DAYS[frequency]))
        plans.append((begin, frequency, retired))
        total += periods
    plans.sort(key=lambda p: p[0])
    # Objectives: set every year in January, due at the end of the year.
    years = list(range(ctx.start.year, ctx.until.year + 1))
    per_year = max(1, math.ceil(len(plans) / 2 / len(years)))
    objective_ref = yearly_numbers(ctx, "OBJ")
    objectives: list[Any] = []
    obj_plans: list[tuple[Any, History]] = []
    for year in years:
        first = max(ctx.start, dt.datetime(year, 1, 5, 8, tzinfo=dt.UTC))
        for when in spread(rng, first, first + dt.timedelta(days=25), per_year):
            if when >= ctx.end:
                continue
            base = rng.choice(KPIS)
            process = rng.choice(processes) if processes else None
            due = dt.date(year, 12, 31)
            who = owner()
            obj = Objective(
                reference=objective_ref(when),
                title=f"Improve {base[0].lower()}" + (f" in {process.name}" if process else ""),
                description="Agreed in the management review.",
                strategy="Operational excellence",
                process_id=process.pk if process else None,
                owner_id=who.pk,
                target=f"{base[0]} {'≥' if base[2] == 'higher' else '≤'} {base[3]:g}{base[1]} by {due:%B %Y}",
                due_date=due,
                resources="Process team, 2 hours a week",
                evaluation="Monthly in the process meeting; yearly in the management review.",
                status="active",
            )
            closed = working_time(rng, due + dt.timedelta(days=rng.randint(5, 40)))
            history = History(status="active")
            if closed < ctx.end:  # update_objective at the year's review
                final = rng.choices(["achieved", "missed", "cancelled"], (60, 30, 10))[0]
                history.step(closed, who, "objective.update", status=final)
            history.apply(obj)
            stamp(ctx, obj, when, history.last or when, who)
            obj.version = 1 + len(history.steps)
            objectives.append(obj)
            obj_plans.append((who, history))
    ctx.bulk_insert(Objective, objectives, desc="objectives")
    raise_counters(ctx, objective_ref.used)  # type: ignore[attr-defined]
    for obj, (who, history) in zip(objectives, obj_plans, strict=True):
        ctx.event(
            obj.created_at,
            actor=who,
            action="objective.create",
            obj=obj,
            changes=created(obj, **history.initial),
        )
        history.emit(ctx, obj)
    kpis: list[Any] = []
    kpi_plans: list[tuple[float, float, int, dt.date | None, dt.datetime | None]] = []
    codes: Tally[str] = Tally()
    for begin, frequency, retired in plans:
        # Each indicator once per process (then once more per line): no two KPIs share a name.
        rounds, combo = divmod(len(kpis), len(KPIS) * max(1, len(processes)))
        name, unit, direction, target, warning, alarm, mean, sd, decimals = KPIS[combo % len(KPIS)]
        process = processes[(combo // len(KPIS)) % len(processes)] if processes else None
        abbrev = "".join(w[0] for w in name.replace("-", " ").split()).upper()
        codes[abbrev] += 1
        candidates = [
            o for o in objectives if o.created_at <= begin and o.process_id == getattr(process, "pk", None)
        ]
        objective = rng.choice(candidates[-5:]) if candidates and rng.random() < 0.5 else None
        who = owner()
        kpi = Kpi(
            code=f"{abbrev}-{codes[abbrev]:03d}",
            name=(f"{name} – {process.name}" if process else name)
            + (f" (line {rounds + 1})" if rounds else ""),
            description=f"{name} per {PER[frequency]}.",
            unit=unit,
            direction=direction,
            target=target,
            warning=warning,
            alarm=alarm,
            frequency=frequency,
            owner_id=who.pk,
            process_id=process.pk if process else None,
            objective_id=objective.pk if objective else None,
            is_active=retired is None,
        )
        kpi.owner = who
        retire_at = working_time(rng, retired) if retired else None
        stamp(ctx, kpi, begin, retire_at or begin, who)
        kpi.version = 2 if retired else 1
        kpis.append(kpi)
        kpi_plans.append((mean, sd, decimals, retired, retire_at))
    ctx.bulk_insert(Kpi, kpis, desc="KPIs")
    for kpi, (*_rest, retire_at) in zip(kpis, kpi_plans, strict=True):
        ctx.event(
            kpi.created_at,
            actor=kpi.owner,
            action="kpi.create",
            obj=kpi,
            changes=created(kpi, is_active=True),
        )
        if retire_at:
            ctx.event(
                retire_at,
                actor=kpi.owner,
                action="kpi.update",
                obj=kpi,
                changes=changes(is_active=(True, False)),
            )
    # Measurements: one value per period, recorded a few days after the period ends.
    kpi_type = ContentType.objects.get_for_model(Kpi)
    action_ref = yearly_numbers(ctx, "ACT")
    values, alerts = [], []
    for kpi, (mean, sd, decimals, _retired, retire_at) in zip(kpis, kpi_plans, strict=True):
        lag = 3 if kpi.frequency == "weekly" else 9
        period = period_start(kpi.created_at.date(), kpi.frequency)
        drift, previous = 0.0, None
        while True:
            following = next_period(period, kpi.frequency)
            when = working_time(rng, following + dt.timedelta(days=rng.randint(0, lag)))
            if when >= ctx.end or (retire_at and when >= retire_at):
                break
            drift = 0.7 * drift + rng.gauss(0, sd * 0.6)
            value = max(0.0, round(mean + drift + rng.gauss(0, sd * 0.5), decimals))
            if rng.random() < 0.02:  # a missed entry
                period = following
                continue
            status = kpi_status(
                value, direction=kpi.direction, target=kpi.target, warning=kpi.warning, alarm=kpi.alarm
            )
            actor = kpi.owner if rng.random() < 0.8 else rng.choice(recorders)
            m = Measurement(
                kpi=kpi,
                period=period,
                value=value,
                source="manual" if rng.random() < 0.85 else "import",
                status=status,
            )
            values.append((stamp(ctx, m, when, when, actor), actor))
            if crossed(previous, status):
                alerts.append(_alert(ctx, rng, kpi, m, status, when, actor, action_ref, kpi_type))
            previous, period = status, following
    ctx.bulk_insert(Measurement, [m for m, _a in values], desc="KPI measurements")
    for m, actor in values:
        ctx.event(
            m.created_at,
            actor=actor,
            action="measurement.create",
            obj=m,
            changes={
                "kpi": [None, m.kpi_id],
                "period": [None, m.period.isoformat()],
                "value": [None, J(m.value)],
                "source": [None, m.source],
            },
        )
    actions = [a for a, *_ in alerts]
    ctx.bulk_insert(Action, actions, desc="KPI alert actions")
    raise_counters(ctx, action_ref.used)  # type: ignore[attr-defined]
    for action, actor, done_at in alerts:
        ctx.event(
            action.created_at,
            actor=actor,
            action="action.create",
            obj=action,
            changes=created(action, status="open", completed_at=None, completion_note=""),
        )
        if done_at:
            ctx.event(
                done_at,
                actor=action.owner,
                action="action.complete",
                obj=action,
                changes=changes(
                    completed_at=(None, action.completed_at),
                    completion_note=("", action.completion_note),
                    status=("open", "done"),
                ),
            )
    ctx.counts["objectives"] = len(objectives)
    ctx.counts["KPIs"] = len(kpis)
    ctx.counts["KPI measurements"] = len(values)
    ctx.counts["KPI alert actions"] = len(actions)


def _alert(
    ctx: Any,
    rng: random.Random,
    kpi: Any,
    m: Any,
    status: str,
    when: dt.datetime,
    actor: Any,
    reference: Callable[[dt.datetime], str],
    kpi_type: Any,
) -> tuple[Any, Any, dt.datetime | None]:
    """The action ``planning.services._alert_if_crossed`` creates for the KPI's owner."""
    from qualitas.actions.models import Action

    off = status == "off_target"
    threshold = kpi.alarm if off else (kpi.warning if kpi.warning is not None else kpi.target)
    done_at = when + dt.timedelta(days=rng.uniform(1, 20))
    done = done_at < ctx.end and rng.random() < 0.9
    action = Action(
        reference=reference(when),
        title=(
            f"{kpi.code} {'off target' if off else 'at risk'}: "
            f"{m.value:g}{kpi.unit} for {m.period.isoformat()}"
        )[:200],
        description=(
            f"The {kpi.frequency} value of “{kpi.name}” crossed the "
            f"{'alarm' if off else 'warning'} threshold ({threshold:g}{kpi.unit}; target {kpi.target:g}"
            f"{kpi.unit}). Look into the cause and decide whether action is needed."
        ),
        kind="task",
        owner_id=kpi.owner_id,
        due_date=when.date() + dt.timedelta(days=7 if off else 14),
        priority="urgent" if off else "high",
        status="done" if done else "open",
        completed_at=done_at if done else None,
        completion_note=rng.choice(ALERT_NOTES) if done else "",
        subject_type_id=kpi_type.pk,
        subject_id=kpi.pk,
    )
    action.owner = kpi.owner
    stamp(ctx, action, when, done_at if done else when, actor)
    action.version = 2 if done else 1
    return action, actor, done_at if done else None
