"""Read side of document control: named filters, the things a person owes, evidence summaries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from qualitas.documents.choices import RevisionStatus
from qualitas.documents.models import (
    Acknowledgement,
    Document,
    DocumentStatus,
    Record,
    RecordStatus,
    Revision,
)


def effective(qs: QuerySet[Document]) -> QuerySet[Document]:
    return qs.filter(status=DocumentStatus.EFFECTIVE)


def review_overdue(qs: QuerySet[Document], today: Any = None) -> QuerySet[Document]:
    return effective(qs).filter(next_review_due__lt=today or timezone.localdate())


def to_read(organization: Any, user: Any) -> QuerySet[Acknowledgement]:
    return (
        Acknowledgement.objects.filter(
            organization=organization,
            user=user,
            acknowledged_at__isnull=True,
            revision__status=RevisionStatus.EFFECTIVE,
        )
        .select_related("revision", "document")
        .order_by("due_date", "pk")
    )


def awaiting_my_signature(organization: Any, user: Any) -> list[Revision]:
    """Revisions in review where ``user`` is a reviewer or approver who has not signed this round."""
    revisions = (
        Revision.objects.filter(organization=organization, status=RevisionStatus.IN_REVIEW)
        .filter(Q(document__reviewers=user) | Q(document__approvers=user))
        .distinct()
        .select_related("document")
    )
    out = []
    for rev in revisions[:50]:
        signed = set(rev.signatures.filter(cycle=rev.cycle, signer=user).values_list("meaning", flat=True))
        is_reviewer = rev.document.reviewers.filter(pk=user.pk).exists()
        is_approver = rev.document.approvers.filter(pk=user.pk).exists()
        if (is_reviewer and "reviewed" not in signed) or (is_approver and "approved" not in signed):
            out.append(rev)
    return out


def acknowledgement_summary(revision: Revision) -> dict[str, Any]:
    acks = list(
        revision.acknowledgements.select_related("user").order_by("user__full_name", "user__username")
    )
    done = [a for a in acks if a.acknowledged_at]
    return {
        "acks": acks,
        "done": len(done),
        "total": len(acks),
        "overdue": sum(1 for a in acks if a.is_overdue),
    }


def records_due_for_disposal(organization: Any) -> QuerySet[Record]:
    return Record.objects.filter(
        organization=organization, status=RecordStatus.RETAINED, disposal_due__lte=timezone.localdate()
    )


def document_counts(organization: Any) -> dict[str, int]:
    today = timezone.localdate()
    return Document.objects.filter(organization=organization).aggregate(
        total=Count("pk"),
        effective=Count("pk", filter=Q(status=DocumentStatus.EFFECTIVE)),
        overdue=Count("pk", filter=Q(status=DocumentStatus.EFFECTIVE, next_review_due__lt=today)),
    )


def master_list_url() -> str:
    return reverse("documents:document_list")
