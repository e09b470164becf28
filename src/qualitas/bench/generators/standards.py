"""Standards: the scope statement, one requirement per auditable ISO 9001 clause, evidence links."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from qualitas.accounts.choices import Role
from qualitas.bench.generators.common import MS, History, created, people, stamp, working_time

# Clause number prefix -> the records that prove it (besides the documents that name the clause).
EVIDENCE_MODELS = {
    "4.4": "planning.process",
    "6.1": "planning.risk",
    "6.2": "planning.objective",
    "9.1.1": "planning.kpi",
    "9.1.3": "planning.kpi",
    "8.7": "improvement.nonconformity",
    "10.2": "improvement.nonconformity",
    "10.1": "actions.action",
    "10.3": "actions.action",
}
REQUIREMENT_NOTES = [
    "Covered by the procedure and its records.",
    "Evidence reviewed in the management review.",
    "Implemented in all processes; records in the system.",
]


def generate_requirements(ctx: Any) -> int:
    """The scope statement and one requirement per auditable ISO 9001 clause (what a real
    organization holds: ``ensure_requirements`` creates exactly these, about 65), brought from "not
    started" to implemented or verified over the first years, and evidence links from them to
    generated records (``scale.records / 20``, thousands at M). Returns the number of requirements."""
    from qualitas.standards import queries
    from qualitas.standards.models import EvidenceLink, Requirement, ScopeStatement

    rng = ctx.rng("requirements")
    clauses = list(queries.auditable_clauses())
    if not clauses:
        return 0
    admin, managers = ctx.admin, people(ctx, Role.QUALITY_MANAGER)
    owner_of = ctx.owner_picker(rng, people(ctx, Role.QUALITY_MANAGER, Role.PROCESS_OWNER, Role.AUDITOR))
    setup = ctx.start + dt.timedelta(days=1, hours=1)
    production = rng.random() < 0.5
    scope = ScopeStatement(
        profile="production" if production else "full",
        statement="Machining of turned and milled parts to customer drawings at two sites."
        + (" Design is the customer's." if production else ""),
        sites="Headquarters\nPlant 2",
        products_services="Turned parts\nMilled parts\nAssemblies",
        outsourced_design=False,
    )
    ctx.bulk_insert(ScopeStatement, [stamp(ctx, scope, setup, setup, admin)], desc="scope")
    ctx.event(setup, actor=admin, action="scopestatement.create", obj=scope, changes=created(scope))
    rows, plans = [], []
    for k, clause in enumerate(clauses, 1):
        t0 = setup + k * MS
        req = Requirement(clause=clause)
        history = History(applicable=True, justification="", status="not_started", owner_id=None)
        history.initial.update(target_date=None, notes="")
        history.state.update(target_date=None, notes="")
        if production and clause.number.startswith("8.3."):  # apply_profile("production")
            history.step(
                setup + (len(clauses) + k) * MS,
                admin,
                "requirement.applicability",
                "Scope profile: production",
                applicable=False,
                justification="We machine to customer drawings; design is the customer's.",
            )
        else:
            t = setup + dt.timedelta(days=rng.uniform(3, 90))
            owner = owner_of()
            target = (t + dt.timedelta(days=rng.uniform(60, 300))).date()
            if t < ctx.end:
                history.step(
                    t,
                    rng.choice(managers),
                    "requirement.update",
                    status="in_progress",
                    owner_id=owner.pk,
                    target_date=target,
                )
            t = working_time(rng, target + dt.timedelta(days=rng.randint(-40, 30)))
            if t < ctx.end and history.steps and rng.random() < 0.93:
                history.step(
                    t, owner, "requirement.update", status="implemented", notes=rng.choice(REQUIREMENT_NOTES)
                )
                t += dt.timedelta(days=rng.uniform(30, 400))
                if t < ctx.end and rng.random() < 0.3:
                    auditor = rng.choice(people(ctx, Role.AUDITOR, Role.QUALITY_MANAGER))
                    history.step(
                        t, auditor, "requirement.update", "Confirmed in the internal audit", status="verified"
                    )
        history.apply(req)
        stamp(ctx, req, t0, history.last or t0, admin)
        req.version = 1 + len(history.steps)
        rows.append(req)
        plans.append(history)
    ctx.bulk_insert(Requirement, rows, desc="requirements")
    for req, history in zip(rows, plans, strict=True):
        ctx.event(
            req.created_at,
            actor=admin,
            action="requirement.create",
            obj=req,
            changes=created(req, **history.initial),
        )
        history.emit(ctx, req)
    links = _evidence_links(ctx, rng, [(r, h) for r, h in zip(rows, plans, strict=True) if r.applicable])
    ctx.bulk_insert(EvidenceLink, [link for link, *_ in links], desc="evidence links")
    for link, actor, evidence in links:
        ctx.event(link.created_at, actor=actor, action="evidencelink.create", obj=link, changes=created(link))
        ctx.event(
            link.created_at + MS,
            actor=actor,
            action="requirement.evidence_add",
            obj=link.requirement,
            changes={"evidence": [None, evidence]},
        )
    ctx.counts["evidence links"] = len(links)
    return len(rows)


def _evidence_links(ctx: Any, rng: random.Random, requirements: list[tuple[Any, History]]) -> list[Any]:
    """``link_evidence`` from requirements to records that prove them: the documents naming the
    clause, and the registers each clause is about (risks for 6.1, KPIs for 9.1, ...)."""
    from qualitas.standards.models import EvidenceLink

    org = ctx.organization
    wanted = ctx.scale.part(0.05, minimum=10)
    candidates: dict[str, list[tuple[str, int, dt.datetime]]] = {}
    if apps.is_installed("qualitas.documents"):
        from qualitas.documents.models import Document

        for pk, clauses, when in (
            Document.objects.filter(organization=org, status="effective")
            .order_by("pk")
            .values_list("pk", "clauses", "created_at")
        ):
            for number in clauses.replace(";", ",").split(","):
                candidates.setdefault(number.strip(), []).append(("documents.document", pk, when))
    cache: dict[str, list[tuple[str, int, dt.datetime]]] = {}
    for req, _h in requirements:
        for prefix, label in EVIDENCE_MODELS.items():
            if req.clause.number == prefix or req.clause.number.startswith(prefix + "."):
                if label not in cache:
                    app_label = label.split(".")[0]
                    model = apps.get_model(label) if apps.is_installed(f"qualitas.{app_label}") else None
                    rows = (
                        model.objects.filter(organization=org).order_by("pk").values_list("pk", "created_at")
                        if model is not None
                        else []
                    )
                    cache[label] = [(label, pk, when) for pk, when in rows]
                candidates.setdefault(req.clause.number, []).extend(cache[label])
    usable = [(req, h) for req, h in requirements if candidates.get(req.clause.number)]
    if not usable:
        return []
    by_pk = {p.pk: p for p in ctx.people}
    managers = people(ctx, Role.QUALITY_MANAGER)
    chosen: dict[str, set[int]] = {}
    plans = []
    for i, (req, history) in enumerate(usable):
        pool = candidates[req.clause.number]
        quota = wanted // len(usable) + (1 if i < wanted % len(usable) else 0)
        for index in sorted(rng.sample(range(len(pool)), min(quota, len(pool)))):
            label, pk, when = pool[index]
            t = max(when, req.created_at) + dt.timedelta(days=rng.uniform(1, 120))
            if t >= ctx.end:
                continue
            actor = by_pk.get(history.state["owner_id"]) or rng.choice(managers)
            chosen.setdefault(label, set()).add(pk)
            plans.append((req, label, pk, t, actor))
    labels = {
        label: {pk: str(obj) for pk, obj in apps.get_model(label).objects.in_bulk(sorted(pks)).items()}
        for label, pks in chosen.items()
    }
    types = {label: ContentType.objects.get_for_model(apps.get_model(label)) for label in chosen}
    links = []
    for req, label, pk, t, actor in sorted(plans, key=lambda p: p[3]):
        ct, text = types[label], labels[label][pk]
        link = EvidenceLink(requirement=req, content_type_id=ct.pk, object_id=pk, target_label=text[:300])
        links.append((stamp(ctx, link, t, t, actor), actor, f"{ct.app_label}.{ct.model}:{pk} {text}"))
    return links
