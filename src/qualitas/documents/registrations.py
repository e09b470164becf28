"""What document control contributes to other areas: tiles, evidence, search, review inputs, indicators."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from qualitas.documents import queries
from qualitas.documents.models import Acknowledgement, Document, DocumentStatus, Record, RecordStatus


def to_read_tile(organization: Any, user: Any) -> dict[str, Any]:
    acks = list(queries.to_read(organization, user)[:20])
    today = timezone.localdate()
    return {
        "template": "documents/partials/_to_read_tile.html",
        "acks": acks,
        "overdue_count": sum(1 for a in acks if a.due_date < today),
        "to_sign": len(queries.awaiting_my_signature(organization, user)),
    }


def _doc_items(qs: Any) -> list[tuple[str, str]]:
    return [(str(d), d.get_absolute_url()) for d in qs.order_by("code")[:10]]


def effective_documents(organization: Any) -> dict[str, Any]:
    qs = Document.objects.filter(organization=organization, status=DocumentStatus.EFFECTIVE)
    overdue = qs.filter(next_review_due__lt=timezone.localdate()).count()
    return {
        "count": qs.count(),
        "url": reverse("documents:document_list") + "?status=effective",
        "items": _doc_items(qs),
        "note": f"{overdue} review(s) overdue" if overdue else "",
    }


def effective_pack(organization: Any) -> list[tuple[str, str, str | None]]:
    qs = Document.objects.filter(organization=organization, status=DocumentStatus.EFFECTIVE).select_related(
        "effective_revision"
    )
    return [
        (
            str(d),
            d.get_absolute_url(),
            d.effective_revision.file.name if d.effective_revision and d.effective_revision.file else None,
        )
        for d in qs.order_by("code")[:500]
    ]


def controlled_changes(organization: Any) -> dict[str, Any]:
    from qualitas.documents.models import Signature

    qs = Signature.objects.filter(organization=organization).select_related("revision__document")
    return {
        "count": qs.count(),
        "url": reverse("documents:document_list"),
        "items": [
            (f"{s.revision} — {s.get_meaning_display().lower()} by {s.signer_name}", s.get_absolute_url())
            for s in qs.order_by("-signed_at")[:10]
        ],
    }


def retained_records(organization: Any) -> dict[str, Any]:
    qs = Record.objects.filter(organization=organization)
    return {
        "count": qs.count(),
        "url": reverse("documents:record_list"),
        "items": [(str(r), r.get_absolute_url()) for r in qs.order_by("-record_date")[:10]],
    }


def acknowledgements_evidence(organization: Any) -> dict[str, Any]:
    qs = Acknowledgement.objects.filter(
        organization=organization, acknowledged_at__isnull=False
    ).select_related("user", "revision__document")
    return {
        "count": qs.count(),
        "url": reverse("documents:document_list"),
        "items": [
            (f"{a.user} read {a.revision}", a.get_absolute_url())
            for a in qs.order_by("-acknowledged_at")[:10]
        ],
    }


def search_source(organization: Any, user: Any, q: str, limit: int) -> list[tuple[str, str, str]]:
    from qualitas.core.permissions import can
    from qualitas.documents import search

    if not can(user, organization, "view", Document):
        return []
    return [
        (str(d), d.get_absolute_url(), snippet) for d, _rank, snippet in search.search(organization, q, limit)
    ]


def review_input(organization: Any, start: Any, end: Any) -> dict[str, Any]:
    docs = Document.objects.filter(organization=organization)
    counts = docs.aggregate(
        effective=Count("pk", filter=Q(status=DocumentStatus.EFFECTIVE)),
        overdue=Count(
            "pk", filter=Q(status=DocumentStatus.EFFECTIVE, next_review_due__lt=timezone.localdate())
        ),
    )
    from qualitas.documents.models import Revision

    changed = Revision.objects.filter(
        organization=organization, effective_date__gte=start, effective_date__lte=end
    ).count()
    acks = Acknowledgement.objects.filter(
        organization=organization, created_at__date__gte=start, created_at__date__lte=end
    )
    total_acks = acks.count()
    read = acks.filter(acknowledged_at__isnull=False).count()
    disposed = Record.objects.filter(
        organization=organization,
        status=RecordStatus.DISPOSED,
        disposed_at__date__gte=start,
        disposed_at__date__lte=end,
    ).count()
    overdue_docs = docs.filter(status=DocumentStatus.EFFECTIVE, next_review_due__lt=timezone.localdate())
    return {
        "summary": f"{counts['effective']} effective documents, "
        f"{changed} revision(s) took effect in the period, "
        f"{counts['overdue']} periodic review(s) overdue.",
        "figures": [
            ("Effective documents", counts["effective"]),
            ("Revisions effective in period", changed),
            ("Reviews overdue", counts["overdue"]),
            ("Read and understood", f"{read} of {total_acks}" if total_acks else "—"),
            ("Records disposed", disposed),
        ],
        "items": _doc_items(overdue_docs),
        "chart": None,
    }


def reindex_after_import(organization: Any) -> None:
    from qualitas.documents import search

    search.reindex_organization(organization)


def register() -> None:
    from qualitas.core.registry import (
        DashboardTile,
        EvidenceSource,
        NavEntry,
        ReviewInput,
        SearchSource,
        registry,
    )
    from qualitas.documents import demo, services
    from qualitas.documents.models import Revision
    from qualitas.documents.workflow import REVISION_WORKFLOW

    registry.add_nav(
        NavEntry("Support", "Documents", "documents:document_list", order=20),
        NavEntry("Support", "To read and sign", "documents:to_read", order=21),
        NavEntry("Support", "Records register", "documents:record_list", order=25),
    )
    if not any(t.key == "documents_to_read" for t in registry.dashboard_tiles):
        registry.dashboard_tiles.append(DashboardTile("documents_to_read", "To read", to_read_tile, order=5))
    if not any(s.key == "documents" for s in registry.search_sources):
        registry.search_sources.append(SearchSource("documents", "Documents", search_source))
    registry.evidence_sources["documents.effective"] = EvidenceSource(
        "documents.effective",
        "Effective controlled documents (master list)",
        ("7.5.1", "7.5.2", "7.5.3"),
        effective_documents,
        effective_pack,
    )
    registry.evidence_sources["documents.approvals"] = EvidenceSource(
        "documents.approvals",
        "Reviewed and approved revisions (electronic signatures)",
        ("7.5.2", "7.5.3"),
        controlled_changes,
    )
    registry.evidence_sources["documents.records"] = EvidenceSource(
        "documents.records", "Records register with retention and disposal", ("7.5.3",), retained_records
    )
    registry.evidence_sources["documents.acknowledgements"] = EvidenceSource(
        "documents.acknowledgements",
        "Read-and-understood confirmations (awareness and competence)",
        ("7.2", "7.3"),
        acknowledgements_evidence,
    )
    registry.review_inputs["documents.control"] = ReviewInput(
        "documents.control",
        "Documented information: changes, reviews and awareness",
        "9.3.2 c)",
        review_input,
        order=80,
    )
    if not any(name == "documents" for _o, name, _l in registry.demo_loaders):
        registry.demo_loaders.append((20, "documents", demo.load))
    if reindex_after_import not in registry.post_import_hooks:
        registry.post_import_hooks.append(reindex_after_import)
    registry.add_workflow(Revision, REVISION_WORKFLOW, services.transition_revision)
    register_background()


def due_reviews(organization: Any, until: Any) -> list[Any]:
    """Reminders: effective documents whose periodic review is due by ``until`` (document_review_idx)."""
    from qualitas.core.registry import DueItem

    stem = reverse("documents:document", args=[0])[: -len("0/")]
    rows = (
        Document.objects.filter(
            organization=organization,
            status=DocumentStatus.EFFECTIVE,
            next_review_due__lte=until,
            owner__isnull=False,
        )
        .order_by()
        .values_list("pk", "code", "title", "owner_id", "next_review_due")
    )
    return [
        DueItem(
            "documents.review_due",
            f"documents.review:{pk}",
            owner,
            due,
            f"Periodic review of {code} {title}",
            f"{stem}{pk}/",
        )
        for pk, code, title, owner, due in rows.iterator(chunk_size=2000)
    ]


def activate_job(organization: Any, today: Any) -> str:
    from qualitas.documents import services

    done = services.activate_due_revisions(organization=organization, today=today)
    return f"{len(done)} revision(s) made effective"


def remind_job(organization: Any, today: Any) -> str:
    from qualitas.documents import services

    created = services.send_review_reminders(organization, today=today)
    created += services.send_acknowledgement_reminders(organization, today=today)
    return f"{created} reminder action(s) created"


def register_background() -> None:
    """Scheduled jobs (revisions effective on their date, reminder actions) and review reminders."""
    from django.utils.translation import gettext_lazy as _

    from qualitas.core.registry import NoticeKind, ScheduledJob, registry

    registry.notice_kinds.setdefault(
        "documents.review_due",
        NoticeKind(
            "documents.review_due",
            cast(
                str,
                _("Periodic document reviews due"),
            ),
        ),
    )
    registry.due_sources.setdefault("documents.review_due", due_reviews)
    registry.schedules.setdefault(
        "documents.activate_effective",
        ScheduledJob(
            "documents.activate_effective",
            cast(
                str,
                _("Approved revisions become effective on their date"),
            ),
            activate_job,
        ),
    )
    registry.schedules.setdefault(
        "documents.reminders",
        ScheduledJob(
            "documents.reminders",
            cast(
                str,
                _("Actions for overdue reviews and reading"),
            ),
            remind_job,
        ),
    )
