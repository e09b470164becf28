"""Reminder actions before audits and management reviews (idempotent: one per event)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

REMINDER_PREFIX = "Prepare"


def _has_reminder(obj: Any) -> bool:
    from qualitas.actions.queries import actions_about

    return actions_about(obj).filter(title__startswith=REMINDER_PREFIX).exists()


def create_reminders(organization: Any, *, days: int, actor: Any = None) -> list[Any]:
    from qualitas.actions.services import create_action
    from qualitas.audits import queries

    created = []
    for a in (
        queries.upcoming(organization, days).select_related("lead_auditor__user").order_by("planned_start")
    ):
        owner = a.lead_auditor.user if a.lead_auditor is not None else a.created_by
        if owner is None or _has_reminder(a):
            continue
        created.append(
            create_action(
                organization=organization,
                actor=actor,
                subject=a,
                data={
                    "title": f"{REMINDER_PREFIX} audit {a.reference} on {a.planned_start}",
                    "description": "Check the checklist, send the audit plan to the auditees "
                    "and book the rooms.",
                    "owner": owner,
                    "due_date": a.planned_start - dt.timedelta(days=1)
                    if a.planned_start > timezone.localdate()
                    else a.planned_start,
                    "priority": "high" if a.priority == "high" else "normal",
                },
            )
        )
    try:
        from qualitas.reviews.queries import planned_reviews
    except ImportError:
        return created
    today = timezone.localdate()
    for r in planned_reviews(organization, today, today + dt.timedelta(days=days)):
        if _has_reminder(r):
            continue
        created.append(
            create_action(
                organization=organization,
                actor=actor,
                subject=r,
                data={
                    "title": f"{REMINDER_PREFIX} management review {r.reference} on {r.planned_date}",
                    "description": "Open the review to check that every input has data, and send the agenda.",
                    "owner": r.chair,
                    "due_date": max(today, r.planned_date - dt.timedelta(days=3)),
                },
            )
        )
    return created
