"""Read side of document control: named filters, the things a person owes, evidence summaries."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from qualitas.documents.choices import RevisionScheme, RevisionStatus, SignatureMeaning
from qualitas.documents.models import (
    Acknowledgement,
    Document,
    DocumentStatus,
    Record,
    RecordStatus,
    Revision,
    Signature,
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
        .defer("revision__text", "document__search_text")  # the list shows code, label and title
        .order_by("due_date", "pk")
    )


def awaiting_my_signature(organization: Any, user: Any, limit: int = 50) -> list[Revision]:
    """Revisions in review where ``user`` is a reviewer or approver who has not signed this round.

    One query whatever the number of revisions: membership and "signed this round" are ``EXISTS``
    subqueries, so the first ``limit`` revisions are the first ones still to sign."""
    through_reviewers = Document.reviewers.through.objects.filter(
        document_id=OuterRef("document_id"), user_id=user.pk
    )
    through_approvers = Document.approvers.through.objects.filter(
        document_id=OuterRef("document_id"), user_id=user.pk
    )
    signed = Signature.objects.filter(revision_id=OuterRef("pk"), cycle=OuterRef("cycle"), signer_id=user.pk)
    revisions = (
        Revision.objects.filter(organization=organization, status=RevisionStatus.IN_REVIEW)
        .filter(
            (Exists(through_reviewers) & ~Exists(signed.filter(meaning=SignatureMeaning.REVIEWED)))
            | (Exists(through_approvers) & ~Exists(signed.filter(meaning=SignatureMeaning.APPROVED)))
        )
        .select_related("document")
        .defer("text", "document__search_text")
        .order_by("document", "pk")
    )
    return list(revisions[:limit])


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
    """Total, effective and review-overdue documents, in one query of three index-only counts (one
    scan of the register with three filtered counts reads every row's index entry three times)."""
    from qualitas.accounts.models import Organization

    today = timezone.localdate()
    docs = Document.objects.filter(organization=OuterRef("pk")).order_by()
    effective = docs.filter(status=DocumentStatus.EFFECTIVE)

    def count(qs: QuerySet[Document]) -> Coalesce:
        return Coalesce(Subquery(qs.values("organization").annotate(n=Count("pk")).values("n")[:1]), 0)

    found = (
        Organization.objects.filter(pk=getattr(organization, "pk", organization))
        .values(
            total=count(docs),
            effective=count(effective),
            overdue=count(effective.filter(next_review_due__lt=today)),
        )
        .first()
    )
    if found is None:
        return {"total": 0, "effective": 0, "overdue": 0}
    return {"total": found["total"], "effective": found["effective"], "overdue": found["overdue"]}


def master_list_url() -> str:
    return reverse("documents:document_list")


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_label(document: Document) -> str:
    labels = list(document.revisions.values_list("label", flat=True))
    if document.revision_scheme == RevisionScheme.NUMBERS:
        numbers = [int(x) for x in labels if x.isdigit()]
        return str(max(numbers, default=0) + 1)
    letters = [x for x in labels if x.isalpha() and x.isupper()]
    if not letters:
        return "A"
    last = max(letters, key=lambda x: (len(x), x))
    # A..Z, then AA, AB...
    value = 0
    for ch in last:
        value = value * 26 + (ord(ch) - 64)
    value += 1
    out = ""
    while value:
        value, rem = divmod(value - 1, 26)
        out = chr(65 + rem) + out
    return out


def round_signatures(revision: Revision) -> list[Signature]:
    return list(revision.signatures.filter(cycle=revision.cycle))


def pending_signers(revision: Revision) -> dict[str, list[Any]]:
    """Who still has to review and to approve in the current round."""
    signed = {(s.signer_id, s.meaning) for s in round_signatures(revision)}
    document = revision.document
    return {
        "reviewers": [u for u in document.reviewers.all() if (u.pk, SignatureMeaning.REVIEWED) not in signed],
        "approvers": [u for u in document.approvers.all() if (u.pk, SignatureMeaning.APPROVED) not in signed],
    }


def audience(document: Document) -> list[Any]:
    """The active members asked to read the document: its reading roles, at its site if it has one."""
    from qualitas.accounts.models import Membership

    if not document.ack_roles:
        return []
    members = Membership.objects.filter(
        organization_id=document.organization_id, is_active=True, role__in=document.ack_roles
    ).select_related("user")
    if document.site_id:
        members = members.filter(site_id=document.site_id)
    return [m.user for m in members]
