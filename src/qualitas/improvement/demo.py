"""Demo data: a year of nonconformities in a precision-machining shop, entered from the paper CAPA log.

The causes are weighted the way such shops see them (tool wear and set-up errors first), so the Pareto
chart says something; most old ones are closed with a verified verdict, one came back (recurrence),
a few lessons were published, and some improvement ideas run as PDCA projects. The content is in
``improvement/data/demo.toml``; this module turns its rows into records.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qualitas.actions import services as actions
from qualitas.core.datafiles import load as load_data
from qualitas.improvement import services
from qualitas.improvement.models import CauseCategory


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.planning.models import Process

    demo = load_data("improvement", "demo")
    causes = {row["name"]: row for row in demo["causes"]}
    today = timezone.localdate()
    qm, auditor = people["quality"], people["auditor"]
    services.seed_cause_categories(org, actor=qm)
    categories = {c.name: c for c in CauseCategory.objects.filter(organization=org)}
    processes = {p.code: p for p in Process.objects.filter(organization=org)}

    plan: list[tuple[str, dict[str, Any]]] = []
    for name, row in causes.items():
        templates = row["templates"]
        plan += [(name, templates[i % len(templates)]) for i in range(row["weight"])]
    rng.shuffle(plan)
    # Spread detections over the last year, oldest first.
    days = sorted(
        (rng.randint(3, 70) if i % 4 == 0 else rng.randint(45, 360) for i in range(len(plan))), reverse=True
    )
    used: set[tuple[str, str, str]] = set()
    closed_by_name: dict[str, Any] = {}
    recurrence_source = None

    for n, ((cause, template), age) in enumerate(zip(plan, days, strict=True)):
        proc_code, source = causes[cause]["process"], causes[cause]["source"]
        whys = [(why["why"], why["because"]) for why in template["whys"]]
        corrective, preventive = template["corrective"], template.get("preventive", "")
        disposition, cost = template.get("disposition", ""), template["cost"]
        product = rng.choice(demo["products"])
        while (cause, proc_code, product) in used:
            product = rng.choice(demo["products"])
        detected = today - dt.timedelta(days=age)
        used.add((cause, proc_code, product))
        reporter = people[demo["reporter_by_source"].get(source, "quality")]
        owner = people[demo["owner_by_process"].get(proc_code, "quality")]
        data = {
            "title": template["title"],
            "description": template["description"],
            "source": source,
            "severity": rng.choices(["minor", "major", "critical"], weights=[5, 4, 1])[0],
            "process": processes.get(proc_code),
            "product": product,
            "lot": f"L-{24000 + n * 7}",
            "quantity": Decimal(rng.randint(1, 60)),
            "detected_on": detected,
            "detected_by": reporter,
            "owner": owner,
            "due_date": detected + dt.timedelta(days=30),
            "cost": Decimal(rng.randint(*cost)) if cost[1] and rng.random() < 0.8 else None,
        }
        nc = services.open_nonconformity(organization=org, actor=reporter, data=data)
        if age < 6:
            continue  # just reported
        step = services.transition_nonconformity
        step(nc, "contain", actor=owner)
        step(nc, "analyse", actor=owner, note=template["containment"])
        if disposition:
            ref = f"CON-{detected.year}-{n:03d}" if disposition == "concession" else ""
            services.set_disposition(nc, actor=owner, disposition=disposition, concession_reference=ref)
            services.authorise_disposition(nc, actor=qm)
        if age < 12:
            continue  # analysis running
        for why, because in whys:
            services.add_why(nc, actor=owner, why=why, because=because)
        for cause_row in template["ishikawa"]:
            services.add_cause(
                nc,
                actor=owner,
                category=cause_row["category"],
                text=cause_row["text"],
                is_root=cause_row["root"],
            )
        services.set_root_cause(nc, actor=owner, cause_category=categories[cause], root_cause=whys[-1][1])
        nc.refresh_from_db()
        step(nc, "plan", actor=owner)
        historic = age > 60
        # Historic actions come from the paper log without dates; the ones done now were due about now;
        # the ones still running keep their real dates (some are overdue).
        if historic:
            due = None
        elif age >= 25:
            due = today + dt.timedelta(days=rng.randint(0, 7))
        else:
            due = detected + dt.timedelta(days=rng.randint(10, 30))
        planned = [
            services.add_nc_action(
                nc,
                actor=owner,
                data={"title": corrective, "kind": "corrective", "owner": owner, "due_date": due},
            )
        ]
        if preventive:
            planned.append(
                services.add_nc_action(
                    nc,
                    actor=owner,
                    data={"title": preventive, "kind": "preventive", "owner": owner, "due_date": due},
                )
            )
        step(nc, "implement", actor=owner)
        if age < 25:
            continue  # actions running, some overdue
        for action in planned:
            actions.complete_action(
                action, actor=owner, note=f"Done: {action.title.lower()}. Record on file."
            )
        step(nc, "verify", actor=owner)
        if age < 45:
            continue  # waiting for the verdict
        closed_on = min(detected + dt.timedelta(days=rng.randint(18, 50)), today - dt.timedelta(days=2))
        if n % 17 == 5:
            step(
                nc,
                "not_effective",
                actor=auditor,
                reason="The defect appeared again in the next lot.",
                at=_at(closed_on - dt.timedelta(days=5)),
            )
            nc.refresh_from_db()
            step(nc, "plan", actor=owner)
            extra = services.add_nc_action(
                nc,
                actor=owner,
                data={"title": "Extend the change to the second shift", "kind": "corrective", "owner": owner},
            )
            step(nc, "implement", actor=owner)
            actions.complete_action(extra, actor=owner, note="Second shift briefed; checklist signed.")
            step(nc, "verify", actor=owner)
        if rng.random() < 0.03:
            step(nc, "cancel", actor=qm, reason="Duplicate of an earlier report.")
            continue
        step(
            nc,
            "close",
            actor=auditor,
            at=_at(closed_on),
            note="Checked the next three lots: no repeat of the defect.",
        )
        closed_by_name.setdefault(cause, nc)
        if cause == "Tool wear" and recurrence_source is None and 80 <= age <= 200:
            recurrence_source = nc

    if recurrence_source is not None:
        # The same cause, process and product came back: flagged, and the closed one is questioned.
        back = services.open_nonconformity(
            organization=org,
            actor=people["operator2"],
            data={
                "title": recurrence_source.title + " (again)",
                "source": "inspection",
                "severity": "major",
                "process": recurrence_source.process,
                "product": recurrence_source.product,
                "lot": "L-25990",
                "quantity": Decimal(11),
                "detected_on": today - dt.timedelta(days=15),
                "owner": people["production"],
                "due_date": today + dt.timedelta(days=30),
                "cost": Decimal(640),
            },
        )
        services.transition_nonconformity(back, "contain", actor=people["production"])
        services.transition_nonconformity(
            back, "analyse", actor=people["production"], note="Lot blocked; bores checked 100 %."
        )
        services.set_root_cause(
            back,
            actor=people["production"],
            cause_category=categories["Tool wear"],
            root_cause="Tool-life counter reset by mistake after a program change.",
        )

    for row in demo["lessons"]:
        services.publish_lesson(
            organization=org,
            actor=qm,
            nonconformity=closed_by_name.get(row["cause"]),
            data={"title": row["title"], "summary": row["summary"], "tags": row["tags"]},
        )

    for row in demo["opportunities"]:
        _load_opportunity(org, people, rng, row, today)


def _load_opportunity(
    org: Any, people: dict[str, Any], rng: random.Random, row: dict[str, Any], today: dt.date
) -> None:
    """An improvement idea, taken through the PDCA steps up to its ``status``."""
    qm, title, status, plan_note = people["quality"], row["title"], row["status"], row["plan_notes"]
    opp = services.raise_opportunity(
        organization=org,
        actor=people[row["proposer"]],
        data={k: row[k] for k in ("title", "description", "expected_benefit")},
    )
    if status == "proposed":
        return
    services.update_opportunity(opp, actor=qm, data={"owner": people["production"], "plan_notes": plan_note})
    services.transition_opportunity(opp, "accept", actor=qm)
    order = ["do", "check", "act", "finish"]
    target = {"plan": 0, "do": 1, "check": 2, "act": 3, "done": 4}[status]
    notes = {
        "do": "",
        "check": "Done as planned.",
        "act": "Results as expected.",
        "finish": "Made standard.",
    }
    for name in order[:target]:
        services.transition_opportunity(opp, name, actor=qm, note=notes[name] or plan_note)
    if status in ("do", "act"):
        actions.create_action(
            organization=org,
            actor=qm,
            subject=opp,
            data={
                "title": f"Follow up: {title.lower()}",
                "kind": "improvement",
                "owner": people["production"],
                "due_date": today + dt.timedelta(days=rng.randint(5, 40)),
            },
        )
