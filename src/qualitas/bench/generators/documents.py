"""Document control: documents, revisions, electronic signatures, periodic reviews and the search index."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter as Tally
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import connection

from qualitas.accounts.choices import Role
from qualitas.bench.generators.common import (
    DAY,
    MS,
    History,
    add_months,
    created,
    people,
    pick,
    raise_counters,
    spread,
    stamp,
    working_time,
)
from qualitas.bench.generators.document_revisions import revision_cycle

# (type, code prefix, weight, clause sets)
DOC_TYPES = [
    ("work_instruction", "WI", 45, ["8.5.1", "8.5.1, 8.6", "8.5.1, 7.1.5.1"]),
    ("form", "F", 20, ["7.5.3.2", "8.6", "8.7.2", "8.5.2"]),
    (
        "procedure",
        "QP",
        12,
        ["7.5.3.1", "8.4.1", "8.7.1", "10.2.1", "9.2.2", "7.1.5.2", "8.2.2", "8.5.6", "7.2", "9.1.3"],
    ),
    ("specification", "SPEC", 12, ["8.3.5", "8.4.3", "8.5.1"]),
    ("external", "EXT", 6, ["7.1.5.1", "8.4.3", "8.2.3.1"]),
    ("record", "REC", 3, ["7.5.3.2"]),
    ("manual", "QM", 0.6, ["7.1.3", "7.1.5.1", "4.4.1"]),
    ("policy", "POL", 0.2, ["5.2.1, 5.2.2", "5.1.1"]),
]
PARTS = ["shaft S-120", "flange F-88", "bushing B-12", "housing H-400", "pin P-7", "gear G-36", "sleeve SL-5"]
MACHINES = ["lathe 3", "lathe 7", "mill 2", "5-axis cell", "grinder G1", "saw", "CMM", "washer W2"]
WI_ACTIVITIES = ["Setup of", "Deburring of", "In-process inspection of", "Tool change for", "Packing of"]
PROCEDURES = [
    "Control of nonconforming output",
    "Purchasing and supplier evaluation",
    "Calibration of measuring equipment",
    "Internal audits",
    "Corrective action",
    "Contract review",
    "Identification and traceability",
    "Control of documented information",
    "Competence and training",
    "Customer complaints",
    "Preservation and packaging",
    "Change control",
]
POLICIES = ["Quality policy", "Environmental policy", "Health and safety policy", "Supplier code of conduct"]
FORMS = [
    "First-article inspection report",
    "Setup sheet",
    "Rework record",
    "Goods-in check",
    "Shift handover",
]
STEPS = [
    "Clean the clamping surfaces and check the fixture for chips.",
    "Load the program from the network; check the revision on the router card.",
    "Measure the first part with the calibrated gauge and record the values.",
    "Deburr all edges 0.2 mm x 45° unless the drawing says otherwise.",
    "Check the coolant concentration (6 to 8 %) with the refractometer.",
    "Replace the insert after 400 parts or when the surface finish exceeds Ra 1.6.",
    "Put parts in the blue tray; never in the grey scrap bin.",
    "Tag nonconforming parts red and move them to quarantine rack Q1.",
    "Record the lot number and quantity on the router card.",
    "Verify the torque wrench setting before assembly.",
    "Check the thread with the go/no-go gauge every 20 parts.",
    "Wear cut-resistant gloves and safety glasses.",
    "Release the lot only after the final inspection stamp.",
    "Wrap flanges in VCI paper before packing.",
]
CHANGE_REASONS = [
    "Customer drawing changed.",
    "Periodic review: steps clarified.",
    "Corrective action after a nonconformity.",
    "New machine in the cell.",
    "Audit finding: a missing check added.",
    "Operator feedback: order of steps changed.",
]
OBSOLETE_REASONS = ["Product discontinued.", "Merged into another document.", "Machine scrapped."]


def _doc_title(rng: random.Random, doc_type: str) -> str:
    if doc_type == "work_instruction":
        return f"{rng.choice(WI_ACTIVITIES)} {rng.choice(PARTS)} on {rng.choice(MACHINES)}"
    if doc_type == "procedure":
        return rng.choice(PROCEDURES)
    if doc_type == "form":
        return f"{rng.choice(FORMS)} – {rng.choice(MACHINES)}"
    if doc_type == "specification":
        return f"Specification of {rng.choice(PARTS)}"
    if doc_type == "external":
        return f"Customer standard CS-{rng.randint(100, 999)} for {rng.choice(PARTS)}"
    if doc_type == "manual":
        return f"{rng.choice(['Operator', 'Maintenance', 'Calibration'])} manual – {rng.choice(MACHINES)}"
    if doc_type == "policy":
        return rng.choice(POLICIES)
    return f"Record of retained samples – {rng.choice(PARTS)}"


def _doc_text(title: str, steps: Sequence[str]) -> str:
    return f"# {title}\n\n" + "\n".join(f"{i}. {step}" for i, step in enumerate(steps, 1)) + "\n"


def _labels(scheme: str) -> Any:
    n = 0
    while True:
        n += 1
        if scheme == "numbers":
            yield str(n)
        else:
            value, out = n, ""
            while value:
                value, rem = divmod(value - 1, 26)
                out = chr(65 + rem) + out
            yield out


DOCUMENT_INITIAL = {
    "status": "draft",
    "effective_revision_id": None,
    "current_label": "",
    "effective_date": None,
    "last_reviewed_on": None,
    "next_review_due": None,
}


def generate_documents(ctx: Any) -> int:
    """``scale.records / 4`` controlled documents with 1-6 revisions each (about ``scale.records``
    revisions), each revision submitted, signed (reviewed, approved; a few rejected once), released and
    superseded by the next; periodic reviews in between; a few documents withdrawn. The search
    entries (``search_text``, SQLite's ``documents_fts``) are filled as ``search.index_document``
    would. Returns the number of documents."""
    from qualitas.accounts.models import Site
    from qualitas.documents.models import Document, DocumentReview, Revision, Signature

    rng = ctx.rng("documents")
    org = ctx.organization
    n = max(1, ctx.scale.records // 4)
    authors = people(ctx, Role.QUALITY_MANAGER, Role.PROCESS_OWNER)
    owner_of = ctx.owner_picker(rng, authors)
    signers = [p for p in ctx.people if ctx.roles[p.pk] != Role.VIEWER] or [ctx.admin]
    managers = people(ctx, Role.QUALITY_MANAGER)
    processes: list[Any] = []
    if apps.is_installed("qualitas.planning"):
        from qualitas.planning.models import Process

        processes = list(Process.objects.filter(organization=org).order_by("pk"))
    sites = list(Site.objects.filter(organization=org).order_by("pk"))
    type_weights = [w for _t, _p, w, _c in DOC_TYPES]
    early = int(n * 0.35)  # the documents taken over when the system started
    times = sorted(
        spread(rng, ctx.start, ctx.start + dt.timedelta(days=90), early)
        + spread(rng, ctx.start + DAY, ctx.end - dt.timedelta(hours=1), n - early)
    )
    codes: Tally[str] = Tally()
    docs, revisions, signatures, reviews, plans = [], [], [], [], []
    for t0 in times:
        doc_type, prefix, _w, clause_sets = rng.choices(DOC_TYPES, type_weights)[0]
        codes[prefix] += 1
        owner = owner_of()
        approvers = pick(rng, authors, 2 if rng.random() < 0.3 else 1, [owner]) or [ctx.admin]
        reviewers = pick(rng, signers, rng.choices((0, 1, 2), (45, 40, 15))[0], [owner, *approvers])
        title = _doc_title(rng, doc_type)
        doc = Document(
            code=f"{prefix}-{codes[prefix]:02d}",
            title=title,
            doc_type=doc_type,
            owner_id=owner.pk,
            process_id=rng.choice(processes).pk if processes and rng.random() < 0.8 else None,
            site_id=rng.choice(sites).pk if sites and rng.random() < 0.3 else None,
            clauses=rng.choice(clause_sets),
            confidentiality=rng.choices(["internal", "confidential", "public"], (85, 10, 5))[0],
            tags=", ".join(
                rng.sample(["machining", "safety", "customer", "inspection", "lean"], rng.randint(0, 2))
            ),
            review_interval_months=rng.choice((12, 24, 24, 36)),
            revision_scheme="numbers" if rng.random() < 0.2 else "letters",
            approval_order="parallel" if rng.random() < 0.15 else "sequential",
            ack_roles=[],
            ack_days=14,
        )
        stamp(ctx, doc, t0, t0, owner)
        dhist = History(**DOCUMENT_INITIAL)
        age = (ctx.end - t0).days
        count = min(rng.choices(range(1, 7), (2, 8, 16, 26, 26, 22))[0], 1 + age // 90)
        starts = [t0, *spread(rng, t0 + dt.timedelta(days=20), ctx.end, count - 1)]
        label = _labels(doc.revision_scheme)
        steps = rng.sample(STEPS, rng.randint(3, 6))
        doc_revisions, releases = [], []
        for i, start in enumerate(starts):
            author = owner if i == 0 or rng.random() < 0.8 else rng.choice([*authors, owner])
            author = owner if author in approvers else author
            if i:
                steps = list(steps)
                if rng.random() < 0.5 and len(steps) < 9:
                    steps.insert(rng.randrange(len(steps) + 1), rng.choice(STEPS))
                else:
                    steps[rng.randrange(len(steps))] = rng.choice(STEPS)
            rev = Revision(
                document=doc,
                label=next(label),
                change_reason="First issue." if i == 0 else rng.choice(CHANGE_REASONS),
                author_id=author.pk,
                text=_doc_text(title, steps),
            )
            limit = starts[i + 1] if i + 1 < len(starts) else None
            rhist, released, sigs = revision_cycle(ctx, rng, rev, start, limit, author, reviewers, approvers)
            stamp(ctx, rev, start + MS if i == 0 else start, start, author)
            doc_revisions.append((rev, rhist, author))
            signatures.extend(sigs)
            if released is None:
                break
            releases.append((released, rev, rhist, author))
        # The document's own history in time order: each release, the periodic reviews in between,
        # perhaps a withdrawal at the end.
        withdrawn = None
        if releases and len(releases) == len(doc_revisions) and age > 365 and rng.random() < 0.05:
            withdrawn = releases[-1][0] + dt.timedelta(days=rng.uniform(30, 400))
            withdrawn = withdrawn if withdrawn < ctx.end else None
        for j, (released, rev, rhist, actor) in enumerate(releases):
            if j:
                previous = releases[j - 1]
                previous[2].step(
                    released + MS,
                    actor,
                    "revision.supersede",
                    f"Replaced by revision {rev.label}",
                    status="superseded",
                    superseded_at=released + MS,
                )
            rhist.step(
                released + 2 * MS, actor, "revision.make_effective", status="effective", effective_at=released
            )
            day = released.date()
            dhist.step(
                released + 3 * MS,
                actor,
                "document.revision_effective",
                status="effective",
                effective_revision_id=rev,
                current_label=rev.label,
                effective_date=day,
                next_review_due=add_months(day, doc.review_interval_months),
            )
            boundary = releases[j + 1][0] if j + 1 < len(releases) else (withdrawn or ctx.end)
            while True:
                due = dhist.state["next_review_due"]
                when = working_time(rng, due - dt.timedelta(days=rng.randint(0, 30)))
                if when <= released or when >= boundary or (boundary == ctx.end and rng.random() < 0.05):
                    break
                review = stamp(
                    ctx,
                    DocumentReview(
                        document=doc, reviewer_id=owner.pk, reviewed_on=when.date(), outcome="no_change"
                    ),
                    when,
                    when,
                    owner,
                )
                reviews.append((review, owner))
                dhist.step(
                    when + MS,
                    owner,
                    "document.review",
                    last_reviewed_on=when.date(),
                    next_review_due=add_months(when.date(), doc.review_interval_months),
                )
        if withdrawn:
            rev, rhist = releases[-1][1], releases[-1][2]
            manager = rng.choice(managers)
            reason = rng.choice(OBSOLETE_REASONS)
            rhist.step(withdrawn, manager, "revision.obsolete", reason, status="obsolete")
            dhist.step(
                withdrawn + MS, manager, "document.obsolete", reason, status="obsolete", next_review_due=None
            )
        dhist.apply(doc)
        effective = dhist.state["effective_revision_id"]
        body = effective.text if doc.status == "effective" else ""
        doc.search_text = "\n".join(part for part in (doc.code, doc.title, doc.tags, body) if part)
        doc.updated_at = dhist.last or t0
        doc.version = 1 + len(dhist.steps)
        for rev, rhist, _author in doc_revisions:
            rhist.apply(rev)
            rev.updated_at = rhist.last or rev.created_at
            rev.version = 1 + len(rhist.steps)
        docs.append(doc)
        revisions.extend(doc_revisions)
        plans.append((doc, owner, reviewers, approvers, dhist, effective))
    ctx.bulk_insert(Document, docs, desc="documents")
    for name in ("reviewers", "approvers"):
        through = getattr(Document, name).through
        ctx.bulk_insert(
            through,
            [
                through(document_id=doc.pk, user_id=user.pk)
                for doc, _owner, reviewers, approvers, *_rest in plans
                for user in (reviewers if name == "reviewers" else approvers)
            ],
            desc=f"document {name}",
        )
    # Assign the saved parents again: that sets the foreign key and keeps the cached object
    # (``str(revision)`` reads its document's code for the events).
    for rev, _h, _a in revisions:
        rev.document = rev.document
    ctx.bulk_insert(Revision, [r for r, _h, _a in revisions], desc="document revisions")
    for sig in signatures:
        sig.revision = sig.revision
        sig.signature_sha256 = sig.compute_signature_hash()
    ctx.bulk_insert(Signature, signatures, desc="signatures")
    for review, _owner in reviews:
        review.document = review.document
    ctx.bulk_insert(DocumentReview, [r for r, _o in reviews], desc="document reviews")
    _link_documents(ctx, Document, plans)
    raise_counters(ctx, dict(codes))
    # Events: document.create and the first revision.create, then each record's own history.
    for doc, owner, reviewers, approvers, dhist, _effective in plans:
        diff = created(doc, **dhist.initial)
        diff["reviewers"] = [None, sorted(p.pk for p in reviewers)]
        diff["approvers"] = [None, sorted(p.pk for p in approvers)]
        ctx.event(doc.created_at, actor=owner, action="document.create", obj=doc, changes=diff)
        dhist.emit(ctx, doc)
    for rev, rhist, author in revisions:
        first = rev.label in ("A", "1")
        ctx.event(
            rev.created_at,
            actor=author,
            action="revision.create",
            obj=rev,
            changes=created(rev, **rhist.initial),
            reason="" if first else rev.change_reason,
        )
        rhist.emit(ctx, rev)
    for sig in signatures:
        ctx.event(
            sig.signed_at,
            actor=sig.signer,
            action=f"signature.{sig.meaning}",
            obj=sig,
            changes=created(sig),
            reason=sig.comment,
        )
    for review, owner in reviews:
        ctx.event(
            review.created_at,
            actor=owner,
            action="documentreview.create",
            obj=review,
            changes=created(review),
        )
    ctx.counts["document revisions"] = len(revisions)
    ctx.counts["signatures"] = len(signatures)
    ctx.counts["document reviews"] = len(reviews)
    return len(docs)


def _link_documents(ctx: Any, document_model: Any, plans: list[Any]) -> None:
    """Point each document at its effective revision and fill the search index in bulk (what
    ``search.index_document`` does one document at a time)."""
    from qualitas.documents.search import FTS_TABLE, org_token

    pairs = [(effective.pk, doc.pk) for doc, *_rest, effective in plans if effective is not None]
    for doc, *_rest, effective in plans:
        doc.effective_revision_id = effective.pk if effective is not None else None
    table = connection.ops.quote_name(document_model._meta.db_table)
    with connection.cursor() as cursor:
        for i in range(0, len(pairs), 5000):
            cursor.executemany(
                f"UPDATE {table} SET effective_revision_id = %s WHERE id = %s", pairs[i : i + 5000]
            )
        if connection.vendor == "sqlite":
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, org, code, title, body) "
                f"SELECT d.id, %s, d.code, d.title || ' ' || d.tags, "
                "CASE WHEN d.status = 'effective' THEN COALESCE(r.text, '') ELSE '' END "
                f"FROM {table} d LEFT JOIN documents_revision r ON r.id = d.effective_revision_id "
                "WHERE d.organization_id = %s AND d.status <> 'obsolete'",
                [org_token(ctx.organization.pk), ctx.organization.pk],
            )
