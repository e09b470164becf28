"""Demo data: a year of nonconformities in a precision-machining shop, entered from the paper CAPA log.

The causes are weighted the way such shops see them (tool wear and set-up errors first), so the Pareto
chart says something; most old ones are closed with a verified verdict, one came back (recurrence),
a few lessons were published, and some improvement ideas run as PDCA projects.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from qualitas.actions import services as actions
from qualitas.improvement import services
from qualitas.improvement.models import CauseCategory

# cause category -> (weight, process code, source, templates)
# template: (title, description, containment, why chain [(why, because)], ishikawa [(6M, text, root?)],
#            corrective action, preventive action or "", disposition, cost range)
CAUSES: dict[str, tuple[int, str, str, list[tuple[Any, ...]]]] = {
    "Tool wear": (
        14,
        "COR-05",
        "inspection",
        [
            (
                "Bore Ø12 H7 oversize",
                "Bore measured 12.021 mm at final inspection (tolerance +0.018).",
                "Lot quarantined, 100 % bore check, 9 parts segregated.",
                [
                    ("Why was the bore oversize?", "The boring insert had worn past its edge radius."),
                    ("Why was a worn insert still in use?", "There is no tool-life limit for this insert."),
                    ("Why is there no limit?", "Tool life was left to the operator's judgement."),
                ],
                [
                    ("machine", "Boring insert worn", True),
                    ("method", "No tool-life counter", False),
                    ("measurement", "Bore checked only every 20 parts", False),
                ],
                "Set a tool-life counter of 400 parts on the boring insert",
                "Add tool-life counters to all finishing tools",
                "rework",
                (150, 900),
            ),
            (
                "Surface roughness Ra above 0.8 µm",
                "Sealing face Ra 1.3 µm measured on the profilometer.",
                "Parts held; sealing faces re-turned on the sub-spindle.",
                [
                    ("Why was the face rough?", "The finishing insert was chipped."),
                    ("Why was the chip not noticed?", "The insert is not inspected at shift change."),
                ],
                [
                    ("machine", "Chipped finishing insert", True),
                    ("material", "Hard spots in bar stock", False),
                ],
                "Inspect finishing inserts at every shift change",
                "",
                "rework",
                (80, 400),
            ),
            (
                "Burr left on cross hole",
                "Customer found burrs in the Ø4 cross hole of valve bodies.",
                "Customer stock sorted by our inspector; 37 parts deburred on site.",
                [
                    ("Why was the burr there?", "The deburring tool was blunt."),
                    ("Why was it blunt?", "It was not in the tool-change plan."),
                ],
                [
                    ("machine", "Blunt back-deburring tool", True),
                    ("method", "Visual check without magnifier", False),
                ],
                "Put the deburring tool in the tool-change plan",
                "Add a 10x magnifier check at final inspection",
                "rework",
                (300, 1500),
            ),
        ],
    ),
    "Machine set-up / offset": (
        11,
        "COR-05",
        "process",
        [
            (
                "Shoulder length 0.2 mm short",
                "First-off part measured 24.80 mm instead of 25.00 ±0.05.",
                "Machine stopped after the first-off; 6 parts scrapped.",
                [
                    ("Why was the shoulder short?", "The Z work offset was entered with the wrong sign."),
                    (
                        "Why was the wrong sign not caught?",
                        "The set-up sheet does not ask for a second check of offsets.",
                    ),
                ],
                [
                    ("man", "Offset typed with wrong sign", True),
                    ("method", "No second check of offsets", False),
                ],
                "Add a two-person offset check to the set-up sheet",
                "Probe the work offset automatically at set-up",
                "scrap",
                (120, 600),
            ),
            (
                "Wrong program version run",
                "Revision B program used for a revision C drawing; chamfer missing.",
                "All parts of the order held; chamfers added manually.",
                [
                    ("Why was revision B run?", "The old program was still on the machine."),
                    ("Why was it still there?", "Programs are not deleted when a drawing changes."),
                ],
                [
                    ("method", "Old program left on the control", True),
                    ("man", "Drawing revision not compared", False),
                ],
                "Remove superseded programs from all controls",
                "Program transfer only from the DNC server",
                "rework",
                (200, 1200),
            ),
        ],
    ),
    "Material / certificate": (
        8,
        "COR-04",
        "supplier",
        [
            (
                "Material certificate missing",
                "Bar stock 1.4305 delivered without the 3.1 certificate.",
                "Material blocked at goods-in until the certificate arrived.",
                [
                    ("Why was it missing?", "The supplier sends certificates separately by e-mail."),
                    (
                        "Why did we not notice before use?",
                        "Goods-in did not check for certificates on that supplier.",
                    ),
                ],
                [
                    ("material", "Certificate not shipped with the goods", True),
                    ("method", "Goods-in checklist without certificate step", False),
                ],
                "Add the certificate check to the goods-in checklist",
                "Require certificates with the delivery note",
                "return_to_supplier",
                (0, 200),
            ),
            (
                "Bar stock hardness out of specification",
                "Hardness 285 HB measured; specification max. 250 HB.",
                "Batch returned to the supplier; replacement expedited.",
                [
                    ("Why was it too hard?", "The supplier's heat lot was wrong."),
                    ("Why did it reach us?", "The supplier has no outgoing hardness test."),
                ],
                [("material", "Wrong heat lot at supplier", True)],
                "Supplier corrective action request (8D) on hardness testing",
                "",
                "return_to_supplier",
                (100, 800),
            ),
        ],
    ),
    "Measurement system": (
        7,
        "SUP-02",
        "internal_audit",
        [
            (
                "Gauge out of calibration in use",
                "Thread plug gauge M8 found in use 3 months past its calibration date.",
                "Gauge withdrawn; parts measured with it re-checked with a calibrated gauge.",
                [
                    ("Why was it still in use?", "Nobody noticed the due date."),
                    ("Why not?", "The due date is not visible on the gauge."),
                ],
                [
                    ("measurement", "Calibration due date not on the gauge", True),
                    ("method", "Recall list not checked weekly", False),
                ],
                "Label every gauge with its calibration due date",
                "Weekly recall list check by the calibration owner",
                "concession",
                (50, 500),
            ),
            (
                "CMM program measures the wrong datum",
                "The CMM aligned on face B instead of datum A.",
                "Measurements of the week repeated with the corrected program.",
                [
                    ("Why the wrong datum?", "The program was copied from a similar part."),
                    ("Why was it not checked?", "CMM programs have no release step."),
                ],
                [
                    ("measurement", "CMM program not released", True),
                    ("man", "Programmer new to the part", False),
                ],
                "Introduce a release check for CMM programs",
                "",
                "",
                (0, 300),
            ),
        ],
    ),
    "Handling and storage": (
        6,
        "COR-08",
        "customer_complaint",
        [
            (
                "Handling damage on sealing face",
                "Customer reports dents on sealing faces of 14 flanges.",
                "Replacement parts shipped; returned parts scrapped.",
                [
                    ("Why were faces dented?", "Parts touched each other in the box."),
                    ("Why did they touch?", "The layer separators were not used."),
                ],
                [
                    ("method", "Packing instruction without separators", True),
                    ("man", "New packer not instructed", False),
                ],
                "Revise the packing instruction with photos",
                "Use part-specific trays for flanges",
                "scrap",
                (400, 2500),
            ),
        ],
    ),
    "Training / skill": (
        4,
        "SUP-03",
        "process",
        [
            (
                "Torque not applied to specification",
                "Assembly screws torqued by hand instead of with the wrench.",
                "All assemblies of the shift re-torqued.",
                [
                    ("Why by hand?", "The new operator did not know the torque requirement."),
                    ("Why did he not know?", "The induction did not cover assembly."),
                ],
                [("man", "Operator not trained on assembly", True)],
                "Train the night shift on the torque procedure",
                "Add assembly to the induction plan",
                "rework",
                (60, 300),
            ),
        ],
    ),
    "Work instruction": (
        3,
        "COR-07",
        "internal_audit",
        [
            (
                "Inspection instruction out of date",
                "Final inspection sheet refers to drawing revision A.",
                "Inspection sheet replaced; last lots re-checked against revision C.",
                [("Why was it out of date?", "Inspection sheets are not part of the drawing change.")],
                [("method", "Drawing change does not trigger inspection sheets", True)],
                "Link inspection sheets to the drawing change process",
                "",
                "",
                (0, 150),
            ),
        ],
    ),
    "Supplier process": (
        3,
        "COR-06",
        "supplier",
        [
            (
                "Case depth too low after hardening",
                "Case depth 0.3 mm measured; required 0.5–0.8 mm.",
                "Batch re-hardened by the supplier at their cost.",
                [
                    ("Why too low?", "The furnace cycle was shortened."),
                    ("Why shortened?", "The supplier changed the load size without re-validating."),
                ],
                [
                    ("material", "Load size changed at supplier", True),
                    ("method", "No case-depth report requested", False),
                ],
                "Request a case-depth report with every batch",
                "",
                "return_to_supplier",
                (300, 1800),
            ),
        ],
    ),
    "Design / drawing": (
        2,
        "COR-01",
        "customer_complaint",
        [
            (
                "Drawing tolerance ambiguous",
                "General tolerance class missing on the customer drawing.",
                "Customer confirmed ISO 2768-m in writing for the open order.",
                [("Why was it missing?", "Contract review did not check the title block.")],
                [("method", "Contract review without title-block check", True)],
                "Add a title-block check to contract review",
                "",
                "concession",
                (0, 100),
            ),
        ],
    ),
    "Environment": (
        2,
        "COR-07",
        "inspection",
        [
            (
                "Measurements drift in the afternoon",
                "Bore diameters drift +6 µm between morning and afternoon.",
                "Critical measurements moved to the air-conditioned measuring room.",
                [
                    ("Why do they drift?", "The hall warms up by 7 °C in the afternoon."),
                    ("Why does it matter?", "Parts are measured before they reach room temperature."),
                ],
                [
                    ("environment", "Hall temperature rises in the afternoon", True),
                    ("measurement", "No temperature compensation", False),
                ],
                "Let parts rest 30 minutes before final measurement",
                "",
                "",
                (0, 200),
            ),
        ],
    ),
}

PRODUCTS = [
    "Bracket B-12",
    "Valve body VB-40",
    "Shaft S-3",
    "Flange F-80",
    "Housing H-220",
    "Pin P-6",
    "Sleeve SL-25",
    "Cover C-90",
    "Spindle SP-14",
    "Nozzle N-7",
    "Lever L-33",
    "Hub HB-60",
    "Adapter A-18",
    "Bushing BU-9",
    "Gear blank G-44",
    "Plate PL-5",
    "Nut NT-16",
    "Clamp CL-2",
]

OWNER_BY_PROCESS = {
    "COR-05": "production",
    "COR-04": "purchasing",
    "COR-06": "purchasing",
    "SUP-02": "quality",
    "COR-08": "production",
    "SUP-03": "director",
    "COR-07": "quality",
    "COR-01": "director",
}
REPORTER_BY_SOURCE = {
    "inspection": "operator2",
    "process": "operator",
    "supplier": "purchasing",
    "internal_audit": "auditor",
    "customer_complaint": "quality",
}

LESSONS = [
    (
        "Tool wear",
        "Count tool life, do not judge it",
        "Finishing and boring inserts wear gradually and the first sign is an out-of-tolerance part. "
        "Tool-life counters set from the insert maker's data stopped the drift.",
        "tool wear, machining, counters",
    ),
    (
        "Machine set-up / offset",
        "Two people check offsets at set-up",
        "Most set-up errors are typing errors in offsets. A second person reading the values back catches "
        "them before the first part is cut.",
        "set-up, offsets, first-off",
    ),
    (
        "Material / certificate",
        "No certificate, no release",
        "Material without its certificate waits at goods-in. Asking suppliers to ship certificates with "
        "the delivery note removed the waiting.",
        "goods-in, certificates, suppliers",
    ),
    (
        "Measurement system",
        "A gauge shows its own due date",
        "Labels with the calibration due date on each gauge let the user refuse an overdue gauge on the "
        "spot.",
        "calibration, gauges",
    ),
]

OPPORTUNITIES = [
    (
        "Quick-change fixtures on mill M2",
        "Set-up on M2 takes 50 minutes; zero-point clamping would cut it.",
        "Set-up time halved",
        "production",
        "do",
        "Trial zero-point plates on M2 for two months.",
    ),
    (
        "Shadow board for gauges at final inspection",
        "Gauges are searched for several times a shift.",
        "Less searching, fewer gauges lost",
        "operator2",
        "act",
        "Board made; check weekly for 4 weeks.",
    ),
    (
        "Digital set-up sheets on the machines",
        "Paper set-up sheets are often an old revision.",
        "Always the current sheet at the machine",
        "quality",
        "plan",
        "",
    ),
    (
        "Reuse cutting-oil filters",
        "Filters are thrown away after one use.",
        "Lower cost and waste",
        "operator",
        "proposed",
        "",
    ),
    (
        "Colour-coded quarantine bins",
        "Blocked parts are sometimes mixed with good ones.",
        "No mix-ups of blocked parts",
        "operator",
        "done",
        "Red bins with lids at each cell.",
    ),
]


def _at(day: dt.date, hour: int = 14) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.planning.models import Process

    today = timezone.localdate()
    qm, auditor = people["quality"], people["auditor"]
    services.seed_cause_categories(org, actor=qm)
    categories = {c.name: c for c in CauseCategory.objects.filter(organization=org)}
    processes = {p.code: p for p in Process.objects.filter(organization=org)}

    plan: list[tuple[str, tuple[Any, ...]]] = []
    for name, (weight, _proc, _src, templates) in CAUSES.items():
        plan += [(name, templates[i % len(templates)]) for i in range(weight)]
    rng.shuffle(plan)
    # Spread detections over the last year, oldest first.
    days = sorted(
        (rng.randint(3, 70) if i % 4 == 0 else rng.randint(45, 360) for i in range(len(plan))), reverse=True
    )
    used: set[tuple[str, str, str]] = set()
    closed_by_name: dict[str, Any] = {}
    recurrence_source = None

    for n, ((cause, template), age) in enumerate(zip(plan, days, strict=True)):
        weight, proc_code, source, _t = CAUSES[cause]
        title, description, containment, whys, fishbone, corrective, preventive, disposition, cost = template
        product = rng.choice(PRODUCTS)
        while (cause, proc_code, product) in used:
            product = rng.choice(PRODUCTS)
        detected = today - dt.timedelta(days=age)
        used.add((cause, proc_code, product))
        reporter = people[REPORTER_BY_SOURCE.get(source, "quality")]
        owner = people[OWNER_BY_PROCESS.get(proc_code, "quality")]
        data = {
            "title": title,
            "description": description,
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
        step(nc, "analyse", actor=owner, note=containment)
        if disposition:
            ref = f"CON-{detected.year}-{n:03d}" if disposition == "concession" else ""
            services.set_disposition(nc, actor=owner, disposition=disposition, concession_reference=ref)
            services.authorise_disposition(nc, actor=qm)
        if age < 12:
            continue  # analysis running
        for why, because in whys:
            services.add_why(nc, actor=owner, why=why, because=because)
        for category, text, root in fishbone:
            services.add_cause(nc, actor=owner, category=category, text=text, is_root=root)
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

    for cause, title, summary, tags in LESSONS:
        source_nc = closed_by_name.get(cause)
        services.publish_lesson(
            organization=org,
            actor=qm,
            nonconformity=source_nc,
            data={"title": title, "summary": summary, "tags": tags},
        )

    for title, description, benefit, who, status, plan_note in OPPORTUNITIES:
        opp = services.raise_opportunity(
            organization=org,
            actor=people[who],
            data={"title": title, "description": description, "expected_benefit": benefit},
        )
        if status == "proposed":
            continue
        services.update_opportunity(
            opp, actor=qm, data={"owner": people["production"], "plan_notes": plan_note}
        )
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
            services.add_opportunity_action(
                opp,
                actor=qm,
                data={
                    "title": f"Follow up: {title.lower()}",
                    "kind": "improvement",
                    "owner": people["production"],
                    "due_date": today + dt.timedelta(days=rng.randint(5, 40)),
                },
            )
