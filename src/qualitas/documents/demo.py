"""Demo document control for a CNC machining shop: a manual, procedures, work instructions and
forms; a few revisions signed for real (password re-entered), the rest imported from the old
register; some reviews overdue; operators with revisions still to read; a records register."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.documents import importer, services
from qualitas.documents.choices import DisposalMethod, SignatureMeaning

MANUAL_TEXT = """# Quality manual

## 1. Scope
Northwind Precision Parts machines turned and milled parts in steel, stainless steel and aluminium
to customer drawings. Design is the customer's; we do not design products.

## 2. Processes
| Process | Owner |
|---|---|
| Sales and contract review | Managing director |
| Production planning | Production manager |
| CNC machining | Production manager |
| Inspection and release | Quality manager |
| Purchasing | Purchasing manager |

## 3. Documented information
Controlled documents live in Qualitas. A printed copy is uncontrolled unless it carries a current stamp.
"""

DEBURR_A = """# Deburring of turned parts

1. Wear cut-resistant gloves and safety glasses.
2. Remove burrs with the hand deburring tool, 0.2 mm x 45° unless the drawing says otherwise.
3. Check every edge by touch.
4. Put finished parts in the blue tray.
"""

DEBURR_B = """# Deburring of turned parts

1. Wear cut-resistant gloves and safety glasses.
2. Remove burrs with the hand deburring tool, 0.2 mm x 45° unless the drawing says otherwise.
3. Check every edge by touch **and** with the 10x loupe on sealing faces.
4. Put finished parts in the blue tray; never in the grey scrap bin.
5. Record the quantity on the router card.
"""

SIGNED = [
    # code, title, type, author, text, clauses, tags
    ("QM-01", "Quality manual", "manual", "director", MANUAL_TEXT, "4.3, 4.4, 5.2", "manual, scope"),
    (
        "QP-07",
        "Control of nonconforming output",
        "procedure",
        "production",
        "# Control of nonconforming output\n\nStop, tag red, move to quarantine rack Q1, "
        "record in Qualitas within one "
        "shift. The quality manager decides rework, use as is (with customer concession) or scrap.",
        "8.7",
        "nonconformity, quarantine",
    ),
    (
        "WI-CNC-03",
        "Deburring of turned parts",
        "work_instruction",
        "production",
        DEBURR_A,
        "8.5.1",
        "cnc, deburring, lathe",
    ),
    (
        "WI-CNC-05",
        "First-off inspection on the 5-axis machining centre",
        "work_instruction",
        "production",
        "# First-off inspection\n\nMeasure every characteristic on the control plan "
        "on the first part after set-up. "
        "Release the batch only when all are within tolerance and the inspector has signed the router card.",
        "8.5.1, 8.6",
        "cnc, inspection, set-up",
    ),
]

REGISTER = [
    # code, title, type, owner, revision, days since effective, review interval, tags, clauses
    ("POL-01", "Quality policy", "policy", "director", "C", 400, 12, "policy", "5.2"),
    ("QP-01", "Control of documented information", "procedure", "quality", "D", 300, 24, "documents", "7.5"),
    ("QP-02", "Internal audits", "procedure", "quality", "B", 800, 24, "audit", "9.2"),
    ("QP-03", "Management review", "procedure", "director", "B", 500, 24, "review", "9.3"),
    ("QP-04", "Corrective action", "procedure", "quality", "C", 200, 24, "capa", "10.2"),
    (
        "QP-05",
        "Purchasing and supplier evaluation",
        "procedure",
        "purchasing",
        "B",
        900,
        24,
        "suppliers",
        "8.4",
    ),
    (
        "QP-06",
        "Calibration of measuring equipment",
        "procedure",
        "quality",
        "E",
        150,
        24,
        "calibration",
        "7.1.5",
    ),
    ("QP-08", "Contract review", "procedure", "director", "A", 1000, 24, "sales", "8.2"),
    ("QP-09", "Production planning and release", "procedure", "production", "B", 365, 24, "planning", "8.1"),
    ("QP-10", "Competence and training", "procedure", "quality", "A", 760, 24, "training", "7.2"),
    (
        "WI-CNC-01",
        "Setting up the CNC lathe L3",
        "work_instruction",
        "production",
        "F",
        90,
        12,
        "cnc, lathe",
        "8.5.1",
    ),
    (
        "WI-CNC-02",
        "Tool change and tool life on turning centres",
        "work_instruction",
        "production",
        "C",
        420,
        12,
        "cnc, tooling",
        "8.5.1",
    ),
    (
        "WI-CNC-04",
        "Cleaning and packing of machined parts",
        "work_instruction",
        "production",
        "B",
        600,
        12,
        "packing",
        "8.5.4",
    ),
    (
        "WI-INS-01",
        "Using the CMM for final inspection",
        "work_instruction",
        "quality",
        "D",
        200,
        12,
        "inspection, cmm",
        "8.6",
    ),
    (
        "WI-INS-02",
        "Thread gauge inspection",
        "work_instruction",
        "quality",
        "A",
        30,
        12,
        "inspection, gauges",
        "8.6",
    ),
    ("F-01", "Router card", "form", "production", "G", 250, 36, "form", "8.5.2"),
    ("F-02", "Nonconformity tag", "form", "quality", "B", 700, 36, "form", "8.7"),
    ("F-03", "First-off inspection report", "form", "quality", "C", 100, 36, "form, inspection", "8.6"),
    (
        "SPEC-01",
        "Customer packaging specification (Acme Pumps)",
        "external",
        "purchasing",
        "3",
        480,
        12,
        "customer, external",
        "8.2.3",
    ),
    (
        "EXT-01",
        "ISO 2768-1 general tolerances (licensed copy)",
        "external",
        "quality",
        "1",
        2000,
        36,
        "standard, tolerances",
        "7.5.3.2",
    ),
]

RECORD_TYPES = [
    (
        "Inspection records",
        "Final and first-off inspection reports.",
        "8.6",
        120,
        DisposalMethod.SHRED,
        "Quality office, cabinet 2",
    ),
    (
        "Calibration certificates",
        "Certificates from the calibration laboratory and in-house checks.",
        "7.1.5",
        72,
        DisposalMethod.ARCHIVE,
        "Qualitas attachments",
    ),
    (
        "Training records",
        "Attendance lists and qualification matrix.",
        "7.2",
        60,
        DisposalMethod.SHRED,
        "HR office",
    ),
    (
        "Router cards",
        "Completed router cards per production order.",
        "8.5.2",
        24,
        DisposalMethod.SHRED,
        "Production archive",
    ),
]


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.demo.loader import DEMO_PASSWORD

    today = timezone.localdate()
    quality, auditor = people["quality"], people["auditor"]
    # Documents written by others, reviewed by the internal auditor, approved by the quality manager.
    signed_docs = {}
    for code, title, doc_type, author, text, clauses, tags in SIGNED:
        doc = services.create_document(
            organization=org,
            actor=people[author],
            data={
                "code": code,
                "title": title,
                "doc_type": doc_type,
                "owner": people[author],
                "text": text,
                "clauses": clauses,
                "tags": tags,
                "reviewers": [auditor],
                "approvers": [quality],
                "ack_roles": ["member"] if doc_type == "work_instruction" else ["process_owner"],
                "review_interval_months": 24,
            },
        )
        revision = doc.revisions.get()
        services.transition_revision(revision, "submit", actor=people[author])
        services.sign_revision(
            revision, actor=auditor, password=DEMO_PASSWORD, meaning=SignatureMeaning.REVIEWED
        )
        services.sign_revision(
            revision,
            actor=quality,
            password=DEMO_PASSWORD,
            meaning=SignatureMeaning.APPROVED,
            comment="Fit for use.",
        )
        services.release_revision(
            revision,
            actor=quality,
            effective_date=today - dt.timedelta(days=40),
            reason="Released on paper before the move to Qualitas; signatures re-collected.",
        )
        signed_docs[code] = doc
    # The deburring instruction changed: revision B supersedes A (diff on the revision page).
    deburr = signed_docs["WI-CNC-03"]
    rev_b = services.start_revision(
        deburr,
        actor=people["production"],
        reason="Customer complaint 2026-031: burr on sealing face; add loupe check.",
    )
    services.update_revision(rev_b, actor=people["production"], data={"text": DEBURR_B})
    services.transition_revision(rev_b, "submit", actor=people["production"])
    services.sign_revision(rev_b, actor=auditor, password=DEMO_PASSWORD, meaning=SignatureMeaning.REVIEWED)
    services.sign_revision(rev_b, actor=quality, password=DEMO_PASSWORD, meaning=SignatureMeaning.APPROVED)
    services.release_revision(rev_b, actor=quality)
    # One operator has already read the quality manual's instructions; the others still owe it.
    for ack in signed_docs["WI-CNC-05"].acknowledgements.filter(user=people["operator2"]):
        services.acknowledge(ack, actor=people["operator2"])
    # A change in review, waiting for the quality manager's approval.
    rev = services.start_revision(
        signed_docs["QP-07"], actor=people["production"], reason="Add the quarantine rack Q2 in plant 1."
    )
    services.update_revision(
        rev,
        actor=people["production"],
        data={"text": rev.text + "\n\nIn plant 1 use quarantine rack Q2 next to the grinding cell."},
    )
    services.transition_revision(rev, "submit", actor=people["production"])
    services.sign_revision(rev, actor=auditor, password=DEMO_PASSWORD, meaning=SignatureMeaning.REVIEWED)
    # The old register, imported (approved on paper); some reviews are overdue.
    table = []
    for code, title, doc_type, owner, label, days, interval, tags, clauses in REGISTER:
        table.append(
            {
                "code": code,
                "title": title,
                "type": doc_type,
                "owner": people[owner].username,
                "revision": label,
                "effective_date": (today - dt.timedelta(days=days)).isoformat(),
                "review_interval_months": str(interval),
                "tags": tags,
                "clauses": clauses,
            }
        )
    table.append(
        {
            "code": "F-04",
            "title": "Customer complaint form",
            "type": "form",
            "owner": quality.username,
            "revision": "A",
            "effective_date": "",
            "review_interval_months": "36",
            "tags": "form",
            "clauses": "9.1.2",
        }
    )
    importer.import_documents(organization=org, actor=quality, table=table)
    # Records register.
    for name, description, clauses, months, method, storage in RECORD_TYPES:
        rtype = services.create_record_type(
            organization=org,
            actor=quality,
            data={
                "name": name,
                "description": description,
                "clauses": clauses,
                "retention_months": months,
                "disposal_method": method,
                "storage": storage,
            },
        )
        for i in range(3):
            # The first of each type has outlived its retention period: its disposal is due.
            days = months * 31 + 60 if i == 0 else rng.randint(30, months * 28)
            record_date = today - dt.timedelta(days=days)
            services.create_retained_record(
                organization=org,
                actor=quality,
                data={
                    "record_type": rtype,
                    "title": f"{name} {record_date:%Y-%m}",
                    "record_date": record_date,
                    "location": storage,
                    "owner": quality,
                },
            )
    from qualitas.documents.models import Record

    due = Record.objects.filter(organization=org, disposal_due__lte=today).order_by("pk").first()
    if due is not None:
        services.dispose_record(
            due,
            actor=quality,
            method=DisposalMethod.SHRED,
            note="Shredded by the certified contractor; certificate 2026-114 filed.",
        )
