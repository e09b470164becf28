"""Planning: processes (tens) and their interactions, risks and opportunities; then the objectives and
KPIs of ``kpis.py``."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections import Counter as Tally
from typing import Any

from qualitas.accounts.choices import Role
from qualitas.bench.generators.common import (
    DAY,
    History,
    created,
    people,
    raise_counters,
    spread,
    stamp,
    working_time,
    yearly_numbers,
)
from qualitas.bench.generators.kpis import objectives_and_kpis

PROCESSES = [
    ("management", "MGT", "Management review and strategy", "5.1, 5.3, 9.3"),
    ("management", "MGT", "Internal audit", "9.2"),
    ("management", "MGT", "Risk and opportunity management", "6.1"),
    ("management", "MGT", "Improvement and corrective action", "10.2, 10.3"),
    ("management", "MGT", "Document control", "7.5"),
    ("core", "COR", "Sales and contract review", "8.2"),
    ("core", "COR", "Production planning", "8.5.1"),
    ("core", "COR", "CNC turning", "8.5.1"),
    ("core", "COR", "CNC milling", "8.5.1"),
    ("core", "COR", "Grinding", "8.5.1"),
    ("core", "COR", "Heat treatment", "8.4, 8.5.1"),
    ("core", "COR", "Surface coating", "8.4, 8.5.1"),
    ("core", "COR", "Assembly", "8.5.1"),
    ("core", "COR", "Final inspection and release", "8.6, 8.7"),
    ("core", "COR", "Packing and shipping", "8.5.4, 8.5.5"),
    ("core", "COR", "Design and development", "8.3"),
    ("core", "COR", "Customer service and complaints", "8.2.1, 9.1.2"),
    ("support", "SUP", "Purchasing", "8.4"),
    ("support", "SUP", "Incoming inspection", "8.4.2"),
    ("support", "SUP", "Warehouse and logistics", "8.5.4"),
    ("support", "SUP", "Maintenance", "7.1.3"),
    ("support", "SUP", "Calibration", "7.1.5"),
    ("support", "SUP", "Training and competence", "7.2, 7.3"),
    ("support", "SUP", "IT and data", "7.1.3, 7.5.3"),
    ("support", "SUP", "Facilities and energy", "7.1.4"),
    ("support", "SUP", "Tooling", "7.1.3"),
    ("support", "SUP", "Supplier development", "8.4.3"),
]
HALLS = ["hall A", "hall B", "plant 2", "hall C", "hall D", "plant 3"]
RISK_HAZARDS = [
    "Breakdown of the key machine",
    "Single-source supplier cannot deliver",
    "Loss of a key skill when an expert retires",
    "Wrong drawing revision used on the shop floor",
    "Measuring equipment out of calibration",
    "Customer changes the specification late",
    "Material certificate does not match the heat",
    "Cyber attack stops the ERP",
    "Energy price spike",
    "Flooding of the basement store",
    "New customer requirement not flowed down",
    "Late detection of tool wear",
    "Packaging damage in transit",
    "Operator error at setup",
    "Regulation on substances changes",
]
OPPORTUNITIES = [
    "Automate loading with a robot cell",
    "Offer surface coating in-house",
    "Qualify a second supplier",
    "Digital work instructions at the machine",
    "Predictive maintenance from spindle data",
    "Heat recovery from the compressors",
    "Cross-train operators on two machines",
    "Enter the medical market",
]
RISK_TREATMENTS = [("reduce", 60), ("avoid", 10), ("transfer", 8), ("accept", 22)]
OPPORTUNITY_TREATMENTS = [("pursue", 50), ("enhance", 25), ("share", 10), ("ignore", 15)]
REVIEW_NOTES = ["", "", "Still relevant; controls in place.", "Checked in the process meeting."]
CLOSE_REASONS = [
    "Treatment complete and effective; the risk no longer applies.",
    "The process was changed; the cause is gone.",
    "Merged into a broader risk of the same process.",
]


def generate_planning(ctx: Any) -> int:
    """Processes (tens), ``scale.records`` risks and opportunities, objectives and KPIs (hundreds at
    M) and about ``scale.records`` KPI measurements, with the alert actions the service raises when
    a new value crosses a threshold. Returns the number of risks."""
    rng = ctx.rng("planning")
    processes = _processes(ctx, rng)
    risks = _risks(ctx, rng, processes)
    objectives_and_kpis(ctx, rng, processes)
    return risks


def _processes(ctx: Any, rng: random.Random) -> list[Any]:
    from qualitas.planning.models import Process, ProcessInteraction

    n = max(10, min(80, 10 + ctx.scale.people // 20))
    owners = people(ctx, Role.PROCESS_OWNER, Role.QUALITY_MANAGER)
    numbers: Tally[str] = Tally()
    rows, t = [], ctx.start
    for i in range(n):
        kind, prefix, name, clauses = PROCESSES[i % len(PROCESSES)]
        if i >= len(PROCESSES):
            name = f"{name} ({HALLS[(i // len(PROCESSES) - 1) % len(HALLS)]})"
        numbers[prefix] += 1
        t += dt.timedelta(minutes=rng.uniform(2, 15))
        rows.append(
            stamp(
                ctx,
                Process(
                    code=f"{prefix}-{numbers[prefix]:02d}",
                    name=name,
                    process_type=kind,
                    owner_id=owners[i % len(owners)].pk,
                    purpose=f"{name}: deliver its outputs on time and right the first time.",
                    inputs="Orders\nDrawings\nMaterial" if kind == "core" else "Requests\nData",
                    outputs="Parts\nRecords" if kind == "core" else "Decisions\nRecords",
                    customers="External customers" if kind == "core" else "Internal processes",
                    resources="Machines, trained operators, ERP",
                    clauses=clauses,
                ),
                t,
                t,
                ctx.admin,
            )
        )
    ctx.bulk_insert(Process, rows, desc="processes")
    for p in rows:
        ctx.event(p.created_at, actor=ctx.admin, action="process.create", obj=p, changes=created(p))
    core = [p for p in rows if p.process_type == "core"]
    pairs = {(a.pk, b.pk): (a, b) for a, b in itertools.pairwise(core)}
    for p in rows:
        if p.process_type != "core" and core:
            target = rng.choice(core)
            pairs.setdefault((p.pk, target.pk), (p, target))
    links = []
    for source, target in pairs.values():
        t += dt.timedelta(minutes=rng.uniform(1, 5))
        link = ProcessInteraction(
            source=source, target=target, description=f"{source.name} → {target.name}"[:200]
        )
        links.append(stamp(ctx, link, t, t, ctx.admin))
    ctx.bulk_insert(ProcessInteraction, links, desc="process interactions")
    for link in links:
        ctx.event(
            link.created_at,
            actor=ctx.admin,
            action="processinteraction.create",
            obj=link,
            changes=created(link),
        )
    ctx.counts["processes"] = len(rows)
    return rows


RISK_INITIAL = {
    "residual_likelihood": None,
    "residual_impact": None,
    "residual_score": None,
    "residual_level": "",
    "last_reviewed": None,
    "status": "open",
    "accepted_by_id": None,
    "accepted_at": None,
    "effectiveness": "not_evaluated",
    "effectiveness_note": "",
}


def _risks(ctx: Any, rng: random.Random, processes: list[Any]) -> int:
    """Risks and opportunities over the years: rated, treated (residual rating), accepted by the
    quality manager, reviewed yearly (``record_risk_review``), about half closed."""
    from qualitas.planning.models import Risk
    from qualitas.planning.scoring import level_of

    contributors = people(ctx, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR)
    deciders = people(ctx, Role.QUALITY_MANAGER)
    owner = ctx.owner_picker(rng, contributors)
    reference = yearly_numbers(ctx, "RO")
    rows, plans = [], []
    for t0 in spread(rng, ctx.start + DAY, ctx.end, ctx.scale.records):
        is_risk = rng.random() < 0.8
        who = owner()
        creator = who if rng.random() < 0.6 else rng.choice(contributors)
        process = rng.choice(processes) if processes and rng.random() < 0.85 else None
        likelihood, impact = rng.choices(range(1, 6), (15, 30, 30, 17, 8))[0], rng.randint(1, 5)
        options = RISK_TREATMENTS if is_risk else OPPORTUNITY_TREATMENTS
        treatment = rng.choices([o for o, _w in options], [w for _o, w in options])[0]
        passive = treatment in ("accept", "ignore")
        score, level = level_of(likelihood, impact, 5)
        title = rng.choice(RISK_HAZARDS) if is_risk else rng.choice(OPPORTUNITIES)
        risk = Risk(
            reference=reference(t0),
            kind="risk" if is_risk else "opportunity",
            title=f"{title} ({process.name})" if process else title,
            description="Raised in the process review." if rng.random() < 0.5 else "",
            source="process" if process else "other",
            process_id=process.pk if process else None,
            likelihood=likelihood,
            impact=impact,
            inherent_score=score,
            inherent_level=level,
            level=level,
            treatment=treatment,
            treatment_plan="" if passive else "Actions planned in the process meeting.",
            owner_id=who.pk,
            review_date=(t0 + dt.timedelta(days=365)).date(),
        )
        history = History(**RISK_INITIAL, level=level, review_date=risk.review_date)
        step, state = history.step, history.state
        t = t0
        if not passive and rng.random() < 0.8:
            t += dt.timedelta(days=rng.uniform(20, 120))
            if t < ctx.end:  # update_risk with the residual rating after treatment
                rl, ri = max(1, likelihood - rng.randint(0, 2)), max(1, impact - rng.randint(0, 1))
                rscore, rlevel = level_of(rl, ri, 5)
                step(
                    t,
                    who,
                    "risk.update",
                    residual_likelihood=rl,
                    residual_impact=ri,
                    residual_score=rscore,
                    residual_level=rlevel,
                    level=rlevel,
                )
        if passive or rng.random() < 0.15:
            t += dt.timedelta(days=rng.uniform(3, 40))
            if t < ctx.end:
                decider = rng.choice(deciders)
                step(t, decider, "risk.accept", status="accepted", accepted_by_id=decider.pk, accepted_at=t)
        closing = t0 + dt.timedelta(days=rng.uniform(90, 1100)) if rng.random() < 0.55 else None
        while True:  # yearly reviews, a few weeks before they fall due; a few are left overdue
            when = working_time(rng, state["review_date"] - dt.timedelta(days=rng.randint(0, 25)))
            if when <= t or when >= ctx.end or (closing and when >= closing) or rng.random() < 0.04:
                break
            rated = rng.choices(["effective", "partly", "not_effective"], (70, 25, 5))[0]
            note = rng.choice(REVIEW_NOTES)
            step(
                when,
                who,
                "risk.review",
                note,
                last_reviewed=when.date(),
                review_date=when.date() + dt.timedelta(days=365),
                effectiveness=state["effectiveness"] if passive else rated,
                effectiveness_note=note or state["effectiveness_note"],
            )
            t = when
        if closing and t < closing < ctx.end:
            step(closing, rng.choice(deciders), "risk.close", rng.choice(CLOSE_REASONS), status="closed")
        history.apply(risk)
        stamp(ctx, risk, t0, history.last or t0, creator)
        risk.version = 1 + len(history.steps)
        rows.append(risk)
        plans.append((creator, history))
    ctx.bulk_insert(Risk, rows, desc="risks and opportunities")
    raise_counters(ctx, reference.used)  # type: ignore[attr-defined]
    for risk, (creator, history) in zip(rows, plans, strict=True):
        ctx.event(
            risk.created_at,
            actor=creator,
            action="risk.create",
            obj=risk,
            changes=created(risk, **history.initial),
        )
        history.emit(ctx, risk)
    return len(rows)
