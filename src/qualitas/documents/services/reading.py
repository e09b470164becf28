"""Read and understood: a reader confirms an effective revision, and is reminded when it is overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.documents.choices import RevisionStatus
from qualitas.documents.models import Acknowledgement


@transaction.atomic
def acknowledge(acknowledgement: Acknowledgement, *, actor: Any) -> Acknowledgement:
    audit.lock(acknowledgement)
    ensure_allowed(actor, acknowledgement.organization, "acknowledge", acknowledgement)
    if acknowledgement.acknowledged_at is not None:
        return acknowledgement
    with audit.tracking(acknowledgement, actor=actor, action="acknowledgement.confirm"):
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save()
    return acknowledgement


def send_acknowledgement_reminders(organization: Any, *, today: dt.date | None = None) -> int:
    """An in-app action to each reader whose acknowledgement is overdue; never twice while open."""
    from qualitas.actions import queries as action_queries
    from qualitas.actions import services as action_services

    today = today or timezone.localdate()
    created = 0
    overdue = Acknowledgement.objects.filter(
        organization=organization,
        acknowledged_at__isnull=True,
        due_date__lt=today,
        revision__status=RevisionStatus.EFFECTIVE,
    ).select_related("user", "revision", "document")
    for ack in overdue:
        if action_queries.open_actions(action_queries.actions_about(ack)).exists():
            continue
        action_services.create_action(
            organization=organization,
            actor=None,
            subject=ack,
            data={
                "title": f"Read {ack.document.code} rev. {ack.revision.label}: {ack.document.title}"[:200],
                "owner": ack.user,
                "due_date": today + dt.timedelta(days=3),
                "description": f"Confirming you have read it was due on {ack.due_date}.",
            },
        )
        created += 1
    return created
