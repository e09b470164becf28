"""Demo data of Northwind Precision Parts, a job shop that machines parts to customer drawings (it
does not design): context, interested parties, identity and policy, 14 processes with their
interactions, 30 risks and opportunities, 6 objectives and 15 KPIs with two years of monthly values."""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from django.utils import timezone

from qualitas.planning import services
from qualitas.planning.choices import (
    Direction,
    Effectiveness,
    IssueCategory,
    IssueType,
    MeasurementSource,
    PartyCategory,
    ProcessType,
    RiskKind,
    RiskSource,
)

M, C, S = ProcessType.MANAGEMENT, ProcessType.CORE, ProcessType.SUPPORT

PROCESSES = [
    # code, name, type, owner, purpose, inputs, outputs, customers, resources, clauses
    (
        "MGT-01",
        "Management review and strategy",
        M,
        "director",
        "Set direction, policy and objectives; decide on resources and improvements.",
        "KPI results, audit results, customer feedback, risks",
        "Decisions, objectives, resource plans",
        "All processes, owners",
        "Management team, quarterly meeting",
        "5.1, 5.2, 6.2, 9.3",
    ),
    (
        "MGT-02",
        "Internal audit",
        M,
        "auditor",
        "Check that the QMS works as planned and conforms.",
        "Audit programme, procedures, previous findings",
        "Audit reports, findings",
        "Management, process owners",
        "Two trained auditors",
        "9.2",
    ),
    (
        "MGT-03",
        "Improvement and corrective action",
        M,
        "quality",
        "Handle nonconformities, remove causes and drive continual improvement.",
        "Nonconformities, complaints, audit findings, ideas",
        "Corrective actions, lessons learned",
        "All processes",
        "Quality team, 8D and 5 Whys methods",
        "10.1, 10.2, 10.3",
    ),
    (
        "COR-01",
        "Order handling",
        C,
        "director",
        "Review enquiries and orders against the customer's drawing and our capability before accepting.",
        "Enquiries, drawings, purchase orders",
        "Quotations, order confirmations, released orders",
        "Customers, production planning",
        "ERP, sales engineer",
        "8.2",
    ),
    (
        "COR-02",
        "Production planning",
        C,
        "production",
        "Turn confirmed orders into a feasible machine schedule.",
        "Released orders, capacity, material availability",
        "Work orders, schedule, purchase requisitions",
        "CNC machining, purchasing",
        "ERP scheduling board",
        "8.1, 8.5.1",
    ),
    (
        "COR-03",
        "Purchasing",
        C,
        "purchasing",
        "Buy material and outsourced operations from approved suppliers on time.",
        "Purchase requisitions, approved supplier list",
        "Purchase orders, supplier evaluations",
        "Receiving inspection, heat treatment",
        "Buyer, supplier portal",
        "8.4",
    ),
    (
        "COR-04",
        "Receiving inspection",
        C,
        "quality",
        "Check bought-in material and certificates before use.",
        "Deliveries, certificates, purchase orders",
        "Released or blocked material, inspection records",
        "CNC machining, purchasing",
        "Inspector, hardness tester, spectrometer",
        "8.4.2, 8.6",
    ),
    (
        "COR-05",
        "CNC machining",
        C,
        "production",
        "Turn and mill parts to the customer's drawing with first-off and in-process checks.",
        "Work orders, released material, NC programs",
        "Machined parts, in-process records",
        "Heat treatment, final inspection",
        "12 CNC lathes and mills, CAM, operators",
        "8.5.1, 8.5.2",
    ),
    (
        "COR-06",
        "Heat treatment (outsourced)",
        C,
        "purchasing",
        "Have parts hardened by a qualified subcontractor and verify the result.",
        "Machined parts, heat-treatment specification",
        "Hardened parts, treatment certificates",
        "Final inspection",
        "Approved subcontractor, transport",
        "8.4, 8.5.1",
    ),
    (
        "COR-07",
        "Final inspection and release",
        C,
        "quality",
        "Verify parts against the drawing and release them with the inspection report.",
        "Finished parts, drawings, inspection plans",
        "Released lots, inspection reports, nonconformities",
        "Shipping, improvement",
        "CMM, gauges, inspectors",
        "8.6, 8.7",
    ),
    (
        "COR-08",
        "Packing and shipping",
        C,
        "production",
        "Pack, label and ship released parts on time.",
        "Released lots, delivery schedule",
        "Deliveries, delivery notes",
        "Customers, order handling",
        "Packing area, carriers",
        "8.5.4, 8.5.5",
    ),
    (
        "SUP-01",
        "Maintenance",
        S,
        "production",
        "Keep machines capable and available.",
        "Maintenance plan, breakdown reports",
        "Available machines, maintenance records",
        "CNC machining",
        "Maintenance technician, spare parts",
        "7.1.3",
    ),
    (
        "SUP-02",
        "Calibration",
        S,
        "quality",
        "Keep measuring equipment calibrated and fit for use.",
        "Gauge register, calibration schedule",
        "Calibrated gauges, certificates",
        "Receiving and final inspection",
        "Calibration lab, reference standards",
        "7.1.5",
    ),
    (
        "SUP-03",
        "HR and training",
        S,
        "director",
        "Hire, train and keep competent people.",
        "Staffing needs, competence matrix",
        "Trained staff, training records",
        "All processes",
        "HR officer, training budget",
        "7.1.2, 7.2, 7.3",
    ),
]

INTERACTIONS = [
    ("COR-01", "COR-02", "released orders"),
    ("COR-02", "COR-03", "purchase requisitions"),
    ("COR-02", "COR-05", "work orders and schedule"),
    ("COR-03", "COR-04", "deliveries"),
    ("COR-03", "COR-06", "heat-treatment orders"),
    ("COR-04", "COR-05", "released material"),
    ("COR-05", "COR-06", "parts to harden"),
    ("COR-05", "COR-07", "machined parts"),
    ("COR-06", "COR-07", "hardened parts and certificates"),
    ("COR-07", "COR-08", "released lots"),
    ("COR-08", "COR-01", "delivery confirmations"),
    ("COR-07", "MGT-03", "nonconformities"),
    ("SUP-01", "COR-05", "available machines"),
    ("SUP-02", "COR-07", "calibrated gauges"),
    ("SUP-02", "COR-04", "calibrated gauges"),
    ("SUP-03", "COR-05", "trained operators"),
    ("MGT-02", "MGT-03", "audit findings"),
    ("MGT-03", "MGT-01", "improvement status"),
    ("MGT-01", "SUP-03", "resource decisions"),
    ("COR-01", "MGT-01", "customer feedback"),
]

CONTEXT = [
    (
        "Automotive customers demand lower prices every year",
        IssueType.EXTERNAL,
        IssueCategory.ECONOMIC,
        False,
    ),
    ("Steel and energy prices are volatile", IssueType.EXTERNAL, IssueCategory.ECONOMIC, True),
    ("Shortage of skilled CNC machinists in the region", IssueType.EXTERNAL, IssueCategory.SOCIAL, False),
    (
        "Customers move to electric drivetrains: fewer engine parts",
        IssueType.EXTERNAL,
        IssueCategory.TECHNOLOGICAL,
        True,
    ),
    ("Customers ask for CO2 figures per part", IssueType.EXTERNAL, IssueCategory.ENVIRONMENTAL, True),
    ("Heavy rain has flooded the access road twice", IssueType.EXTERNAL, IssueCategory.ENVIRONMENTAL, True),
    ("Stable, experienced core team with low turnover", IssueType.INTERNAL, IssueCategory.STRENGTH, False),
    ("Only one CMM: a bottleneck for final inspection", IssueType.INTERNAL, IssueCategory.WEAKNESS, False),
    (
        "Five-axis centre opens medical and aerospace work",
        IssueType.INTERNAL,
        IssueCategory.OPPORTUNITY,
        False,
    ),
    ("Dependence on one heat-treatment subcontractor", IssueType.INTERNAL, IssueCategory.THREAT, False),
]

PARTIES = [
    (
        "Automotive tier-1 customers",
        PartyCategory.CUSTOMER,
        False,
        "Parts to drawing, on time, at agreed price",
        "PPAP on request, 8D within 10 days, yearly price reduction",
        "Drawing and specification requirements; delivery dates; 8D reporting",
        "Scorecards, complaints, quarterly review meetings",
        False,
    ),
    (
        "Industrial machinery customers",
        PartyCategory.CUSTOMER,
        False,
        "Small batches, short lead times",
        "Flexible scheduling and direct contact",
        "Agreed lead times; certificates of conformity",
        "Customer satisfaction survey, order intake",
        False,
    ),
    (
        "Employees",
        PartyCategory.EMPLOYEE,
        True,
        "Safe work, fair pay, training",
        "Stable jobs, say in improvements",
        "Training plan; safety rules",
        "Annual talks, suggestion scheme, sick-leave figures",
        False,
    ),
    (
        "Owners",
        PartyCategory.OWNER,
        True,
        "Profitable and growing company",
        "Certification kept; low risk",
        "Budget and return targets",
        "Monthly figures, management review",
        False,
    ),
    (
        "Heat-treatment subcontractor",
        PartyCategory.SUPPLIER,
        False,
        "Clear specifications and steady volume",
        "Payment on time",
        "Purchase order terms",
        "Supplier evaluation twice a year",
        False,
    ),
    (
        "Environmental authority",
        PartyCategory.REGULATOR,
        False,
        "Compliance with permits",
        "Reporting of coolant and oil disposal",
        "Waste disposal rules",
        "Permit register, annual report",
        True,
    ),
    (
        "Certification body",
        PartyCategory.CERTIFIER,
        False,
        "Access and evidence for audits",
        "Corrective actions on findings",
        "Certification rules",
        "Audit reports",
        False,
    ),
]

RISKS = [
    # kind, title, process, source, L, I, treatment, residual (L, I) or None, owner
    (
        "risk",
        "Heat-treatment subcontractor fails or closes",
        "COR-06",
        "context",
        3,
        5,
        "reduce",
        (2, 4),
        "purchasing",
    ),
    (
        "risk",
        "Wrong drawing revision used for machining",
        "COR-01",
        "process",
        3,
        4,
        "reduce",
        (1, 4),
        "director",
    ),
    ("risk", "CMM breakdown stops final inspection", "COR-07", "context", 2, 5, "reduce", (2, 3), "quality"),
    (
        "risk",
        "Key machinist leaves; set-up knowledge lost",
        "SUP-03",
        "context",
        3,
        4,
        "reduce",
        (2, 3),
        "director",
    ),
    (
        "risk",
        "Material certificate does not match the delivery",
        "COR-04",
        "process",
        2,
        4,
        "reduce",
        (1, 4),
        "quality",
    ),
    (
        "risk",
        "Late deliveries after machine breakdowns",
        "SUP-01",
        "process",
        3,
        3,
        "reduce",
        (2, 3),
        "production",
    ),
    (
        "risk",
        "Price pressure makes some part numbers unprofitable",
        "COR-01",
        "context",
        4,
        3,
        "accept",
        None,
        "director",
    ),
    (
        "risk",
        "Flooded access road blocks deliveries",
        "COR-08",
        "context",
        2,
        3,
        "transfer",
        (2, 2),
        "production",
    ),
    ("risk", "Gauge used after calibration expired", "SUP-02", "process", 2, 4, "reduce", (1, 4), "quality"),
    (
        "risk",
        "Customer-specific requirements missed at order review",
        "COR-01",
        "party",
        3,
        4,
        "reduce",
        (2, 3),
        "director",
    ),
    (
        "risk",
        "Coolant contamination causes corrosion on parts",
        "COR-05",
        "process",
        2,
        3,
        "reduce",
        (1, 3),
        "production",
    ),
    (
        "risk",
        "Mixed parts at packing (similar part numbers)",
        "COR-08",
        "process",
        2,
        5,
        "avoid",
        (1, 5),
        "production",
    ),
    (
        "risk",
        "Cyber attack locks ERP and NC programs",
        "COR-02",
        "context",
        2,
        5,
        "transfer",
        (2, 3),
        "admin",
    ),
    (
        "risk",
        "Steel supplier allocates material in a shortage",
        "COR-03",
        "context",
        3,
        4,
        "reduce",
        None,
        "purchasing",
    ),
    ("risk", "Energy price spike erodes margin", "MGT-01", "context", 3, 3, "accept", None, "director"),
    ("risk", "Audit programme slips behind", "MGT-02", "process", 3, 2, "reduce", (2, 2), "auditor"),
    (
        "risk",
        "Corrective actions closed without effectiveness check",
        "MGT-03",
        "process",
        3,
        3,
        "reduce",
        (2, 2),
        "quality",
    ),
    (
        "risk",
        "New operators skip first-off inspection",
        "COR-05",
        "process",
        3,
        4,
        "reduce",
        (2, 3),
        "production",
    ),
    ("risk", "Outsourced parts lost in transit", "COR-06", "process", 1, 3, "transfer", (1, 2), "purchasing"),
    (
        "risk",
        "Loss of the automotive customer with 30 % of turnover",
        "MGT-01",
        "party",
        2,
        5,
        "reduce",
        None,
        "director",
    ),
    (
        "opportunity",
        "Medical and aerospace work with the five-axis centre",
        "MGT-01",
        "context",
        3,
        5,
        "pursue",
        None,
        "director",
    ),
    (
        "opportunity",
        "Offer CO2 figures per part to win tenders",
        "COR-01",
        "party",
        3,
        3,
        "pursue",
        None,
        "quality",
    ),
    (
        "opportunity",
        "Second heat-treatment supplier nearby",
        "COR-03",
        "context",
        4,
        3,
        "pursue",
        None,
        "purchasing",
    ),
    (
        "opportunity",
        "Automatic measurement in the machine (probing)",
        "COR-05",
        "process",
        3,
        4,
        "enhance",
        None,
        "production",
    ),
    (
        "opportunity",
        "Apprenticeship with the vocational school",
        "SUP-03",
        "party",
        4,
        3,
        "pursue",
        None,
        "director",
    ),
    (
        "opportunity",
        "Share a CMM with the sister company",
        "COR-07",
        "context",
        2,
        3,
        "share",
        None,
        "quality",
    ),
    ("opportunity", "Solar panels on the hall roof", "MGT-01", "context", 3, 2, "ignore", None, "director"),
    (
        "opportunity",
        "Predictive maintenance from spindle load data",
        "SUP-01",
        "process",
        2,
        4,
        "enhance",
        None,
        "production",
    ),
    ("opportunity", "Customer portal for order status", "COR-01", "party", 3, 2, "share", None, "director"),
    (
        "opportunity",
        "Lean set-up (SMED) shortens batches",
        "COR-05",
        "process",
        4,
        4,
        "pursue",
        None,
        "production",
    ),
]

OBJECTIVES = [
    (
        "On-time delivery of at least 95 %",
        "Raise on-time delivery from 89 % to 95 % or more, every month.",
        "production",
        10,
        "COR-08",
        "Second shift on the five-axis centre; weekly schedule review",
    ),
    (
        "Customer complaints below 1 per month",
        "At most 12 justified complaints in the year.",
        "quality",
        12,
        "COR-07",
        "8D training for team leaders",
    ),
    (
        "Scrap rate below 2 %",
        "Scrap and rework cost below 2 % of production value.",
        "production",
        9,
        "COR-05",
        "Tool-life monitoring; coolant management",
    ),
    (
        "Supplier on-time delivery at least 92 %",
        "Raw material and heat treatment on time in 92 % of deliveries.",
        "purchasing",
        8,
        "COR-03",
        "Second heat-treatment source; supplier days",
    ),
    (
        "Every operator trained on first-off inspection",
        "All operators qualified on the first-off procedure.",
        "director",
        6,
        "SUP-03",
        "Trainer time 4 h per person",
    ),
    (
        "Machine availability at least 90 %",
        "Planned production time lost to breakdowns under 10 %.",
        "production",
        11,
        "SUP-01",
        "Maintenance budget +15 %; spare spindle",
    ),
]

# code, name, unit, direction, target, warning, alarm, owner, process, objective index, start, drift, noise
KPIS = [
    (
        "OTD",
        "On-time delivery to customers",
        "%",
        "higher",
        95,
        93,
        90,
        "production",
        "COR-08",
        0,
        91,
        0.25,
        1.8,
    ),
    ("CMP", "Justified customer complaints", "", "lower", 1, 1.5, 3, "quality", "COR-07", 1, 1.6, -0.02, 0.8),
    (
        "PPM",
        "Defective parts at customers",
        "ppm",
        "lower",
        300,
        400,
        600,
        "quality",
        "COR-07",
        1,
        450,
        8.0,
        60,
    ),
    ("SCR", "Scrap rate", "%", "lower", 2, 2.3, 3, "production", "COR-05", 2, 2.6, -0.03, 0.25),
    ("SOT", "Supplier on-time delivery", "%", "higher", 92, 90, 85, "purchasing", "COR-03", 3, 88, 0.3, 2.0),
    (
        "SPQ",
        "Supplier quality (accepted lots)",
        "%",
        "higher",
        98,
        97,
        95,
        "purchasing",
        "COR-04",
        3,
        98.2,
        -0.08,
        0.6,
    ),
    (
        "TRN",
        "Operators trained on first-off inspection",
        "%",
        "higher",
        100,
        90,
        75,
        "director",
        "SUP-03",
        4,
        60,
        1.8,
        2.0,
    ),
    ("AVL", "Machine availability", "%", "higher", 90, 88, 85, "production", "SUP-01", 5, 89, 0.0, 1.8),
    ("MTR", "Mean time to repair", "h", "lower", 4, 5, 8, "production", "SUP-01", 5, 5.5, -0.06, 0.8),
    ("CAL", "Gauges calibrated on time", "%", "higher", 100, 98, 95, "quality", "SUP-02", None, 99, 0.0, 1.0),
    (
        "FPY",
        "First-pass yield at final inspection",
        "%",
        "higher",
        97,
        96,
        94,
        "quality",
        "COR-07",
        2,
        96.5,
        0.02,
        0.7,
    ),
    ("QLT", "Quotation lead time", "days", "lower", 3, 4, 6, "director", "COR-01", None, 3.5, 0.02, 0.6),
    (
        "OEE",
        "Overall equipment effectiveness",
        "%",
        "higher",
        65,
        62,
        55,
        "production",
        "COR-05",
        None,
        60,
        0.2,
        2.0,
    ),
    (
        "AUD",
        "Audit programme completion",
        "%",
        "higher",
        100,
        90,
        75,
        "auditor",
        "MGT-02",
        None,
        80,
        0.9,
        5.0,
    ),
    (
        "CAT",
        "Corrective actions closed on time",
        "%",
        "higher",
        90,
        85,
        75,
        "quality",
        "MGT-03",
        None,
        88,
        -0.75,
        3.0,
    ),
]


def _month(today: dt.date, back: int) -> dt.date:
    """The first day of the month ``back`` months before ``today`` (negative: in the future)."""
    y, m = divmod(today.year * 12 + today.month - 1 - back, 12)
    return dt.date(y, m + 1, 1)


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    today = timezone.localdate()
    qm, director = people["quality"], people["admin"]

    identity_data = {
        "mission": "We machine precision parts to our customers' drawings — right first time, on time.",
        "vision": "By 2030 the first choice in southern Germany for demanding turned and milled parts.",
        "values": "Precision in everything we do\nHonest, early communication\nLearning from every mistake\n"
        "Safety before speed",
        "culture": (
            "Problems are reported, not hidden; the person closest to the work has a say in fixing it."
        ),
    }
    services.save_identity(org, actor=director, data=identity_data)
    old = services.create_policy(
        organization=org,
        actor=qm,
        data={
            "title": "Quality policy",
            "effective_from": today - dt.timedelta(days=900),
            "text": (
                "We deliver parts that meet our customers' drawings and deadlines, and we keep improving."
            ),
        },
    )
    services.transition_policy(old, "approve", actor=director)
    policy = services.create_policy(
        organization=org,
        actor=qm,
        data={
            "title": "Quality policy",
            "effective_from": today - dt.timedelta(days=200),
            "text": (
                "Northwind Precision Parts machines parts exactly to our customers' drawings and delivers "
                "them when promised.\n\nWe commit to:\n- meet customer, legal and regulatory requirements;\n"
                "- set measurable quality objectives each year and review them in the management review;\n"
                "- give our people the training, equipment and time to work right first time;\n"
                "- choose and develop suppliers who share these standards;\n"
                "- continually improve our quality management system and reduce our environmental footprint."
            ),
        },
    )
    services.transition_policy(policy, "approve", actor=director, reason="Reviewed in the management review")
    for days, channel, audience in [
        (190, "Staff meeting", "All employees, both shifts"),
        (185, "Notice boards and intranet", "All employees"),
        (120, "Company website", "Customers and the public"),
        (30, "Induction training", "Three new operators"),
    ]:
        services.add_communication(
            policy,
            actor=qm,
            data={"date": today - dt.timedelta(days=days), "channel": channel, "audience": audience},
        )

    issues = {}
    for i, (title, itype, cat, climate) in enumerate(CONTEXT):
        issues[title] = services.create_context_issue(
            organization=org,
            actor=qm,
            data={
                "title": title,
                "issue_type": itype,
                "category": cat,
                "climate_relevant": climate,
                "impact": "Discussed in the management review; see linked risks.",
                "review_date": today + dt.timedelta(days=-20 if i == 3 else 60 + 10 * i),
            },
        )
    parties = {}
    for name, cat, internal, needs, expect, reqs, monitor, climate in PARTIES:
        parties[name] = services.create_party(
            organization=org,
            actor=qm,
            data={
                "name": name,
                "category": cat,
                "is_internal": internal,
                "needs": needs,
                "expectations": expect,
                "requirements": reqs,
                "monitoring": monitor,
                "climate_related": climate,
                "review_date": today + dt.timedelta(days=rng.randint(30, 300)),
            },
        )

    procs = {}
    for code, name, ptype, owner, purpose, inputs, outputs, customers, resources, clauses in PROCESSES:
        procs[code] = services.create_process(
            organization=org,
            actor=qm,
            data={
                "code": code,
                "name": name,
                "process_type": ptype,
                "owner": people[owner],
                "purpose": purpose,
                "inputs": inputs.replace(", ", "\n"),
                "outputs": outputs.replace(", ", "\n"),
                "customers": customers,
                "resources": resources,
                "clauses": clauses,
            },
        )
    for src, dst, what in INTERACTIONS:
        services.add_interaction(procs[src], actor=qm, target=procs[dst], description=what)

    issue_list, party_list = list(issues.values()), list(parties.values())
    for n, (kind, title, proc, source, lk, im, treatment, residual, owner) in enumerate(RISKS):
        data: dict[str, Any] = {
            "kind": kind,
            "title": title,
            "process": procs[proc],
            "source": source,
            "likelihood": lk,
            "impact": im,
            "treatment": treatment,
            "owner": people[owner],
            "review_date": today + dt.timedelta(days=(-15 - n) if n % 7 == 3 else 30 + 9 * n),
            "description": f"Identified in the {'risk workshop' if n % 2 else 'management review'}.",
        }
        if source == RiskSource.CONTEXT:
            data["context_issue"] = issue_list[n % len(issue_list)]
        elif source == RiskSource.PARTY:
            data["interested_party"] = party_list[n % len(party_list)]
        if residual:
            data["residual_likelihood"], data["residual_impact"] = residual
            data["treatment_plan"] = "Controls in place; see the treatment actions."
        risk = services.create_risk(organization=org, actor=qm, data=data)
        if treatment in ("reduce", "avoid", "pursue", "enhance") and n % 3 != 2:
            services.add_plan_action(
                risk,
                actor=qm,
                data={
                    "title": f"Treatment: {title[:60].lower()}",
                    "owner": people[owner],
                    "due_date": today + dt.timedelta(days=rng.randint(-20, 90)),
                },
            )
        if n % 5 == 0 and risk.kind == RiskKind.RISK:
            services.record_risk_review(
                risk,
                actor=qm,
                next_review=today + dt.timedelta(days=180),
                effectiveness=Effectiveness.EFFECTIVE if n % 10 == 0 else Effectiveness.PARTLY,
                note="Actions done; level confirmed.",
            )
        if treatment == "accept" or (residual and n % 4 == 0):
            services.transition_risk(
                risk, "accept", actor=qm, reason="Residual level within our risk appetite"
            )

    objectives = []
    for title, target, owner, months, proc, resources in OBJECTIVES:
        obj = services.create_objective(
            organization=org,
            actor=qm,
            data={
                "title": title,
                "target": target,
                "owner": people[owner],
                "policy": policy,
                "process": procs[proc],
                "due_date": _month(today, -months),
                "resources": resources,
                "strategy": "Growth with existing customers through reliability",
                "evaluation": "Monthly KPI review; yearly in the management review",
            },
        )
        services.add_plan_action(
            obj,
            actor=qm,
            data={
                "title": f"Plan step: {resources.split(';')[0]}",
                "owner": people[owner],
                "due_date": today + dt.timedelta(days=rng.randint(-10, 120)),
            },
        )
        objectives.append(obj)

    for code, name, unit, direction, target, warning, alarm, owner, proc, obj_i, start, drift, noise in KPIS:
        kpi = services.create_kpi(
            organization=org,
            actor=qm,
            data={
                "code": code,
                "name": name,
                "unit": unit,
                "direction": Direction(direction),
                "target": target,
                "warning": warning,
                "alarm": alarm,
                "owner": people[owner],
                "process": procs[proc],
                "objective": objectives[obj_i] if obj_i is not None else None,
                "description": f"{name}, measured monthly from the ERP and quality records.",
            },
        )
        rows = []
        for back in range(24, 0, -1):
            i = 24 - back
            value = start + drift * i + noise * (rng.random() - 0.5) * 2 + 0.4 * noise * math.sin(i / 2)
            if unit == "%":
                value = min(value, 100.0)
            value = max(value, 0.0)
            rows.append(
                {
                    "kpi": kpi,
                    "period": _month(today, back),
                    "value": round(value, 2 if value < 50 else 1),
                    "note": "",
                }
            )
        services.record_measurements(
            org, actor=people[owner] if owner != "auditor" else qm, rows=rows, source=MeasurementSource.DEMO
        )
