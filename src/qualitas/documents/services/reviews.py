"""Periodic review of effective documents and the reminders when a review is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.documents.choices import OPEN_REVISION_STATES, ReviewOutcome
from qualitas.documents.models import Document, DocumentReview, DocumentStatus
from qualitas.documents.queries import add_months
from qualitas.documents.services.revisions import start_revision


@transaction.atomic
def review_document(document: Document, *, actor: Any, outcome: str, note: str = "") -> DocumentReview:
    ensure_allowed(actor, document.organization, "review", document)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.EFFECTIVE:
        raise ValidationError("Only an effective document is reviewed periodically.")
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    if outcome == ReviewOutcome.CHANGE_NEEDED and not note.strip():
        raise ValidationError({"note": "Say what needs to change."})
    today = timezone.localdate()
    review = DocumentReview(
        organization=document.organization,
        document=document,
        reviewer=actor,
        reviewed_on=today,
        outcome=outcome,
        note=note.strip(),
        created_by=actor,
    )
    with audit.tracking(review, actor=actor, action="documentreview.create", reason=note):
        review.save()
    with audit.tracking(document, actor=actor, action="document.review", reason=note):
        document.last_reviewed_on = today
        document.next_review_due = add_months(today, document.review_interval_months)
        document.save()
    if (
        outcome == ReviewOutcome.CHANGE_NEEDED
        and not document.revisions.filter(status__in=OPEN_REVISION_STATES).exists()
    ):
        start_revision(document, actor=actor, reason=f"Periodic review: {note.strip()}")
    return review


def send_review_reminders(organization: Any, *, today: dt.date | None = None) -> int:
    """An in-app action to the owner of each document whose review is overdue; never twice while open."""
    from qualitas.actions import queries as action_queries
    from qualitas.actions import services as action_services

    today = today or timezone.localdate()
    created = 0
    overdue = Document.objects.filter(
        organization=organization, status=DocumentStatus.EFFECTIVE, next_review_due__lt=today
    ).select_related("owner")
    for document in overdue:
        if (
            action_queries.open_actions(action_queries.actions_about(document))
            .filter(title__startswith="Periodic review")
            .exists()
        ):
            continue
        action_services.create_action(
            organization=organization,
            actor=None,
            subject=document,
            data={
                "title": f"Periodic review of {document.code} {document.title}"[:200],
                "owner": document.owner,
                "due_date": today + dt.timedelta(days=14),
                "description": f"The review was due on {document.next_review_due}. "
                "Confirm the document is still "
                "valid or start a change.",
            },
        )
        created += 1
    return created
