"""Demo document control for a CNC machining shop: a manual, procedures, work instructions and
forms; a few revisions signed for real (password re-entered), the rest imported from the old
register; some reviews overdue; operators with revisions still to read; a records register. The
content is in ``documents/data/demo.toml``; this module turns its rows into records."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from qualitas.core.datafiles import load as load_data
from qualitas.core.services import create_record
from qualitas.documents import imports, services
from qualitas.documents.choices import DisposalMethod, SignatureMeaning
from qualitas.documents.models import Record, RecordType


def load(org: Any, people: dict[str, Any], rng: random.Random) -> None:
    from qualitas.demo.loader import DEMO_PASSWORD

    demo = load_data("documents", "demo")
    today = timezone.localdate()
    quality, auditor = people["quality"], people["auditor"]
    # Documents written by others, reviewed by the internal auditor, approved by the quality manager.
    signed_docs = {}
    for row in demo["signed"]:
        author, doc_type = row["author"], row["doc_type"]
        doc = services.create_document(
            organization=org,
            actor=people[author],
            data={
                **{k: row[k] for k in ("code", "title", "doc_type", "text", "clauses", "tags")},
                "owner": people[author],
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
        signed_docs[row["code"]] = doc
    # The deburring instruction changed: revision B supersedes A (diff on the revision page).
    deburr = signed_docs["WI-CNC-03"]
    rev_b = services.start_revision(
        deburr,
        actor=people["production"],
        reason="Customer complaint 2026-031: burr on sealing face; add loupe check.",
    )
    services.update_revision(rev_b, actor=people["production"], data={"text": demo["deburring_revision_b"]})
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
    table = [
        {
            **{k: row[k] for k in ("code", "title", "revision", "tags", "clauses")},
            "type": row["doc_type"],
            "owner": people[row["owner"]].username,
            "effective_date": (today - dt.timedelta(days=row["days_ago"])).isoformat()
            if "days_ago" in row
            else "",
            "review_interval_months": str(row["review_interval_months"]),
        }
        for row in demo["register"]
    ]
    imports.import_documents(organization=org, actor=quality, table=table)
    # Records register.
    for row in demo["record_types"]:
        name, months, storage = row["name"], row["retention_months"], row["storage"]
        rtype = create_record(RecordType, organization=org, actor=quality, data=dict(row))
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
    due = Record.objects.filter(organization=org, disposal_due__lte=today).order_by("pk").first()
    if due is not None:
        services.dispose_record(
            due,
            actor=quality,
            method=DisposalMethod.SHRED,
            note="Shredded by the certified contractor; certificate 2026-114 filed.",
        )
