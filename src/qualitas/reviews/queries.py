"""Read side of management review: the inputs assembled from every area for the period."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from qualitas.core.registry import CalendarEvent, ReviewInput, registry
from qualitas.reviews.choices import EXPECTED_INPUTS, ReviewStatus
from qualitas.reviews.models import ManagementReview

PREVIOUS_ACTIONS_KEY = "previous_actions"


def norm(clause: str) -> str:
    return re.sub(r"[\s()]", "", clause or "").lower()


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def previous_reviews(review: ManagementReview) -> Any:
    return ManagementReview.objects.filter(
        organization=review.organization, planned_date__lt=review.planned_date
    ).exclude(pk=review.pk)


def previous_actions_section(review: ManagementReview) -> dict[str, Any]:
    from qualitas.actions.queries import actions_about_any

    ids = previous_reviews(review).values_list("pk", flat=True)
    actions = list(actions_about_any(review.organization, ManagementReview, ids).order_by("due_date", "pk"))
    today = timezone.localdate()
    done = sum(1 for a in actions if a.status == "done")
    cancelled = sum(1 for a in actions if a.status == "cancelled")
    overdue = sum(1 for a in actions if a.is_open and a.due_date and a.due_date < today)
    open_ = sum(1 for a in actions if a.is_open)
    section = {
        "key": PREVIOUS_ACTIONS_KEY,
        "clause": "9.3.2 a)",
        "label": "Status of actions from previous reviews",
        "summary": (
            f"{done} of {len(actions)} decisions of earlier reviews are done; {open_} open, "
            f"{overdue} of them overdue."
        )
        if actions
        else "",
        "figures": [
            ("Decisions of earlier reviews", len(actions)),
            ("Done", done),
            ("Open", open_),
            ("Overdue", overdue),
            ("Cancelled", cancelled),
        ]
        if actions
        else [],
        "items": [
            (
                f"{a.reference} {a.title} — {a.get_status_display()}, {a.owner}, due {a.due_date or '—'}",
                a.get_absolute_url(),
            )
            for a in actions[:15]
        ],
        "chart": {
            "type": "bar",
            "labels": ["Done", "Open, on time", "Overdue", "Cancelled"],
            "series": [done, open_ - overdue, overdue, cancelled],
        }
        if actions
        else None,
    }
    if not ids:
        section["summary"] = (
            "This is the first management review: there are no earlier decisions to follow up."
        )
    return section


def compute_input(ri: ReviewInput, organization: Any, start: Any, end: Any) -> dict[str, Any]:
    base = {"key": ri.key, "clause": ri.clause, "label": ri.label}
    try:
        data = ri.compute(organization, start, end) or {}
    except Exception as exc:
        return {
            **base,
            "summary": "",
            "figures": [],
            "items": [],
            "chart": None,
            "error": f"This input could not be computed ({type(exc).__name__}).",
        }
    return {
        **base,
        "summary": data.get("summary", ""),
        "figures": list(data.get("figures") or []),
        "items": list(data.get("items") or []),
        "chart": data.get("chart"),
    }


def assemble_inputs(review: ManagementReview) -> list[dict[str, Any]]:
    """Every 9.3.2 input in the standard's order: the registered providers' live figures for the
    period, or a "no data yet" section where no area provides it."""
    org, start, end = review.organization, review.period_start, review.period_end
    sections = [previous_actions_section(review)]
    providers = sorted(registry.review_inputs.values(), key=lambda ri: (ri.order, ri.key))
    used: set[str] = set()
    for clause, label in EXPECTED_INPUTS[1:]:
        matching = [ri for ri in providers if norm(ri.clause).startswith(norm(clause))]
        if not matching:
            sections.append(
                {
                    "key": f"missing-{norm(clause)}",
                    "clause": clause,
                    "label": label,
                    "summary": "",
                    "figures": [],
                    "items": [],
                    "chart": None,
                    "no_module": True,
                }
            )
        for ri in matching:
            used.add(ri.key)
            sections.append(compute_input(ri, org, start, end))
    for ri in providers:
        if ri.key not in used:
            sections.append(compute_input(ri, org, start, end))
    for s in sections:
        s["no_data"] = not (s.get("summary") or s.get("figures") or s.get("items"))
    return jsonable(sections)


def sections_for(review: ManagementReview) -> list[dict[str, Any]]:
    """The frozen snapshot once the minutes are frozen, else the live assembly."""
    if review.snapshot:
        return review.snapshot.get("sections", [])
    return assemble_inputs(review)


def next_review_due(organization: Any) -> dict[str, Any] | None:
    """When the next review is due: the last held review plus its interval, and whether one is planned."""
    import datetime as dt

    last = (
        ManagementReview.objects.filter(organization=organization, held_on__isnull=False)
        .exclude(status=ReviewStatus.CANCELLED)
        .order_by("-held_on")
        .first()
    )
    if last is None:
        return None
    due = last.held_on + dt.timedelta(days=round(365 * last.interval_months / 12))
    planned = (
        ManagementReview.objects.filter(organization=organization, status=ReviewStatus.PLANNED)
        .order_by("planned_date")
        .first()
    )
    return {
        "last": last,
        "due": due,
        "planned": planned,
        "late": planned is None and due < timezone.localdate(),
    }


def planned_reviews(organization: Any, start: dt.date, end: dt.date) -> QuerySet[ManagementReview]:
    """Reviews still planned for a date from ``start`` to ``end`` (both included), chair read along."""
    return ManagementReview.objects.filter(
        organization=organization, status=ReviewStatus.PLANNED, planned_date__gte=start, planned_date__lte=end
    ).select_related("chair")


def calendar_events(organization: Any, base_url: str) -> list[CalendarEvent]:
    """The organization's management reviews as calendar entries (``registry.calendar_sources``)."""
    events = []
    for r in ManagementReview.objects.filter(organization=organization).select_related("chair"):
        status = {"cancelled": "CANCELLED", "planned": "TENTATIVE"}.get(r.status, "CONFIRMED")
        events.append(
            CalendarEvent(
                uid=f"review-{r.pk}@{organization.uuid}",
                start=r.held_on or r.planned_date,
                end=None,
                summary=f"Management review {r.reference}",
                description=f"Chair: {r.chair}. Status: {ReviewStatus(r.status).label}.",
                url=base_url + r.get_absolute_url(),
                status=status,
            )
        )
    return events
