"""Demo: Northwind machines parts to customer drawings, so it chose the production scope (8.3 not
applicable). About 60 % ready, with the gaps a real mid-way company has: context and risks still thin,
management review not yet held, a few requirements without owner or with passed target dates."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.apps import apps
from django.utils import timezone

from qualitas.standards import queries, readiness, services
from qualitas.standards.choices import LEGACY_1994, RequirementStatus

S = RequirementStatus
# clause: (status, owner key or None, target in days from today or None, note)
PLAN: dict[str, tuple[str, str | None, int | None, str]] = {
    "4.1": (S.IN_PROGRESS, "director", -10, "SWOT drafted; climate-change relevance still to decide."),
    "4.2": (S.IN_PROGRESS, "quality", 20, "Customers and owners listed; regulators missing."),
    "4.3": (S.IMPLEMENTED, "quality", None, "Scope statement approved by the managing director."),
    "4.4.1": (S.IMPLEMENTED, "quality", None, "Process map v3 with owners."),
    "4.4.2": (S.NOT_STARTED, "quality", 30, ""),
    "5.1.1": (S.IN_PROGRESS, "director", 30, ""),
    "5.1.2": (S.IMPLEMENTED, "director", None, "Customer complaints reviewed monthly."),
    "5.2.1": (S.IMPLEMENTED, "director", None, "Quality policy signed."),
    "5.2.2": (S.VERIFIED, "quality", None, "Policy posted in both halls; covered in induction."),
    "5.3": (S.IMPLEMENTED, "director", None, "Organisation chart and responsibility matrix."),
    "6.1.1": (S.IN_PROGRESS, "quality", -5, "Risk register started for production only."),
    "6.1.2": (S.NOT_STARTED, "quality", 45, ""),
    "6.2.1": (S.IMPLEMENTED, "director", None, "Four objectives with KPIs."),
    "6.2.2": (S.IN_PROGRESS, "director", 14, ""),
    "6.3": (S.NOT_STARTED, None, None, ""),
    "7.1.1": (S.IN_PROGRESS, "director", 30, ""),
    "7.1.2": (S.IN_PROGRESS, "production", 30, "Shift plan per hall."),
    "7.1.3": (S.IMPLEMENTED, "production", None, "Preventive maintenance plan for all CNC machines."),
    "7.1.4": (S.IMPLEMENTED, "production", None, "Temperature logged in the measuring room."),
    "7.1.5.1": (S.VERIFIED, "quality", None, "Gauge register with 214 instruments."),
    "7.1.5.2": (S.IMPLEMENTED, "quality", None, "Accredited calibration lab for the CMM."),
    "7.1.6": (S.NOT_STARTED, None, 60, ""),
    "7.2": (S.IN_PROGRESS, "quality", -20, "Training matrix exists; effectiveness not evaluated."),
    "7.3": (S.IN_PROGRESS, "quality", 30, ""),
    "7.4": (S.NOT_STARTED, "quality", 40, ""),
    "7.5.1": (S.IN_PROGRESS, "quality", 30, ""),
    "7.5.2": (S.IMPLEMENTED, "quality", None, "Document control in Qualitas."),
    "7.5.3.1": (S.IMPLEMENTED, "admin", None, "Nightly backup, access rights per role."),
    "7.5.3.2": (S.IN_PROGRESS, "quality", 21, "Retention periods to define for customer drawings."),
    "8.1": (S.IMPLEMENTED, "production", None, "Control plans per part family."),
    "8.2.1": (S.IN_PROGRESS, "director", 30, ""),
    "8.2.2": (S.IN_PROGRESS, "director", 30, ""),
    "8.2.3.1": (S.VERIFIED, "director", None, "Contract review on every order."),
    "8.2.3.2": (S.IN_PROGRESS, "director", 30, ""),
    "8.2.4": (S.IN_PROGRESS, "director", -3, "Drawing revision changes not always passed to the shop floor."),
    "8.4.1": (S.IMPLEMENTED, "purchasing", None, "Approved supplier list, yearly evaluation."),
    "8.4.2": (S.IMPLEMENTED, "purchasing", None, "Incoming inspection for heat treatment and coating."),
    "8.4.3": (S.IN_PROGRESS, "purchasing", 10, "Purchase order template being updated."),
    "8.5.1": (S.VERIFIED, "production", None, "Travellers, first-off checks, qualified-operator list."),
    "8.5.2": (S.IMPLEMENTED, "production", None, "Lot numbers laser-marked on aerospace parts."),
    "8.5.3": (S.IN_PROGRESS, "production", 30, "Customer fixtures labelled and listed."),
    "8.5.4": (S.IN_PROGRESS, "production", 30, ""),
    "8.5.5": (S.NOT_STARTED, None, None, ""),
    "8.5.6": (S.IN_PROGRESS, "production", 25, ""),
    "8.6": (S.IMPLEMENTED, "operator2", None, "Final inspection signed by authorised inspectors."),
    "8.7.1": (S.IMPLEMENTED, "production", None, "Quarantine rack with red tags."),
    "8.7.2": (S.IN_PROGRESS, "quality", 30, ""),
    "9.1.1": (S.NOT_STARTED, "quality", 15, ""),
    "9.1.2": (S.NOT_STARTED, "director", -7, "Customer survey planned for this quarter."),
    "9.1.3": (S.NOT_STARTED, "quality", 50, ""),
    "9.2.1": (S.IN_PROGRESS, "auditor", 30, "Audit programme for the year drafted."),
    "9.2.2": (S.IN_PROGRESS, "auditor", 30, "Two of nine process audits done."),
    "9.3.1": (S.NOT_STARTED, "director", 35, "First management review planned."),
    "9.3.2": (S.NOT_STARTED, "quality", 35, ""),
    "9.3.3": (S.NOT_STARTED, "director", 35, ""),
    "10.1": (S.IN_PROGRESS, "quality", None, ""),
    "10.2.1": (S.IMPLEMENTED, "quality", None, "Corrective action process in Qualitas."),
    "10.2.2": (S.IN_PROGRESS, "quality", 30, ""),
    "10.3": (S.NOT_STARTED, None, None, ""),
}

DESIGN_JUSTIFICATION = (
    "Northwind makes parts only to drawings and specifications its customers supply and has no authority to "
    "change them; it designs no products. Fixtures and CNC programs are production planning (8.1, 8.5.1), "
    "not product design."
)

LEGACY = [
    ("QP-4.5-01", "Control of documents and data", "4.5"),
    ("QP-4.9-01", "Process control in turning and grinding", "4.9"),
    ("QP-4.10-01", "Receiving, in-process and final inspection", "4.10"),
    ("QP-4.11-01", "Calibration of measuring equipment", "4.11"),
    ("QP-4.13-01", "Nonconforming product", "4.13"),
    ("QP-4.14-01", "Corrective and preventive action", "4.14"),
    ("QP-4.17-01", "Internal quality audits", "4.17"),
]


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    actor = people["quality"]
    today = timezone.localdate()
    services.save_scope(
        org,
        actor=actor,
        data={
            "profile": "production",
            "statement": "CNC turning, milling and grinding of precision metal parts to drawings and "
            "specifications supplied by our customers, including inspection, heat treatment and coating "
            "through approved subcontractors, and delivery.",
            "sites": "HQ — Headquarters and machining hall, Stuttgart\n"
            "PL1 — Plant 1, turning and grinding, Stuttgart",
            "products_services": "Turned and milled precision parts (steel, aluminium, titanium)\n"
            "Ground shafts and bushings\nAssembly of small sub-assemblies to customer kits",
            "outsourced_design": False,
        },
        design_justification=DESIGN_JUSTIFICATION,
    )
    for number, (status, owner, days, note) in PLAN.items():
        clause = queries.clauses().get(number=number)
        req = services.requirement_for(org, clause, actor=actor)
        data: dict[str, Any] = {"status": status, "notes": note}
        if owner:
            data["owner"] = people[owner]
        if days is not None:
            data["target_date"] = today + dt.timedelta(days=days)
        services.update_requirement(req, actor=actor, data=data)
    for ref, title, element in LEGACY:
        services.create_legacy_procedure(
            organization=org,
            actor=actor,
            data={
                "reference": ref,
                "title": title,
                "element": queries.clauses(LEGACY_1994).get(number=element),
                "notes": "From the 2003 quality manual; to be rewritten per process.",
            },
        )
    # The trend: figures of the past weeks, rising toward today's.
    figures = readiness.compute(org)
    now = figures["overall"]
    for weeks in range(12, 0, -1):
        day = today - dt.timedelta(weeks=weeks)
        value = max(0.05, now - weeks * 0.035 + rng.uniform(-0.01, 0.01))
        services.record_snapshot(
            org,
            {
                **figures,
                "overall": value,
                "groups": [{**g, "score": max(0.0, g["score"] - weeks * 0.03)} for g in figures["groups"]],
            },
            day=day,
        )
    services.record_snapshot(org, figures)


def link_demo_evidence(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    """Runs after the other areas: link a few of their records as evidence (generic links)."""
    actor = people["quality"]
    wanted = [
        ("documents", "document", ["7.5.2", "8.5.1", "5.2.2"]),
        ("production", "inspectionrecord", ["8.6"]),
        ("audits", "audit", ["9.2.2"]),
        ("improvement", "nonconformity", ["8.7.2", "10.2.2"]),
        ("planning", "objective", ["6.2.1"]),
        ("actions", "action", ["7.1.5.2"]),
    ]
    for app_label, model_name, numbers in wanted:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        records = list(model.objects.filter(organization=org).order_by("pk")[:2])
        for number in numbers:
            req = services.requirement_for(org, queries.clauses().get(number=number), actor=actor)
            for record in records:
                services.link_evidence(
                    req, record, actor=actor, note="Linked during certification preparation"
                )
