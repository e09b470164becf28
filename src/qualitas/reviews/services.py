"""All writes of management review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit as trail
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.reviews.choices import ReviewStatus
from qualitas.reviews.models import InputMinute, ManagementReview, ReviewOutput
from qualitas.reviews.workflow import REVIEW_WORKFLOW

OPEN_FOR_EDIT = (ReviewStatus.PLANNED, ReviewStatus.IN_PROGRESS)


def _open_for_edit(review: ManagementReview, message: str, field: str | None = None) -> None:
    """The review, locked and read again, still takes minutes and decisions."""
    trail.lock(review)
    if review.status not in OPEN_FOR_EDIT:
        raise ValidationError({field: message} if field else message)


def default_period_start(
    organization: Any, planned_date: dt.date, interval_months: int = 12, exclude: int | None = None
) -> dt.date:
    """The previous review's date, or one interval before the planned date for the first review."""
    previous = (
        ManagementReview.objects.filter(organization=organization, planned_date__lt=planned_date)
        .exclude(status=ReviewStatus.CANCELLED)
        .exclude(pk=exclude)
        .order_by("-planned_date")
        .first()
    )
    if previous is not None:
        return previous.held_on or previous.planned_date
    return planned_date - dt.timedelta(days=round(365 * max(interval_months, 1) / 12))


@transaction.atomic
def create_review(*, organization: Any, actor: Any, data: dict[str, Any]) -> ManagementReview:
    ensure_allowed(actor, organization, "add", ManagementReview)
    data = dict(data)
    if data.get("attendees") is None:
        data.pop("attendees", None)
    if not data.get("period_start") and data.get("planned_date"):
        data["period_start"] = default_period_start(
            organization, data["planned_date"], data.get("interval_months") or 12
        )
    return create_numbered(
        ManagementReview,
        organization=organization,
        actor=actor,
        data=data,
        prefix="MR",
        width=2,
        members=("chair", "attendees"),
    )


def update_review(
    review: ManagementReview,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ManagementReview:
    for name in ("chair", "attendees"):
        ensure_member(review.organization, data.get(name), name)

    def not_frozen(fresh: ManagementReview, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.is_frozen:
            raise ValidationError("The minutes are frozen; the review cannot change any more.")
        if "period_start" in data and not data["period_start"]:
            data = {**data, "period_start": fresh.period_start}
        return data

    return update_record(
        review, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=not_frozen
    )


@transaction.atomic
def delete_review(review: ManagementReview, *, actor: Any, reason: str = "") -> None:
    trail.lock(review)
    if review.status != ReviewStatus.PLANNED or review.outputs.exists():
        raise ValidationError("Only a planned review without decisions can be deleted; cancel it instead.")
    for minute in review.minutes.all():
        delete_record(minute, actor=actor, reason=reason)
    delete_record(review, actor=actor, reason=reason)


@transaction.atomic
def transition_review(
    review: ManagementReview,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> ManagementReview:
    from qualitas.reviews.queries import assemble_inputs

    with workflow_step(
        review, REVIEW_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        if name == "start" and review.held_on is None:
            review.held_on = timezone.localdate()
        if name == "minute":
            review.snapshot = build_snapshot(review, assemble_inputs(review))
            review.frozen_at = timezone.now()
    return review


def build_snapshot(review: ManagementReview, sections: list[dict[str, Any]]) -> dict[str, Any]:
    from qualitas.reviews.queries import jsonable

    minutes = {m.key: m.text for m in review.minutes.all()}
    for s in sections:
        s["minutes"] = minutes.get(s["key"], "")
    return jsonable(
        {
            "frozen_at": timezone.now(),
            "period": [review.period_start, review.period_end],
            "chair": str(review.chair),
            "attendees": [str(u) for u in review.attendees.all()],
            "sections": sections,
            "conclusions": review.conclusions,
            "outputs": [
                {
                    "kind": o.get_kind_display(),
                    "decision": o.decision,
                    "owner": str(o.owner),
                    "due_date": o.due_date,
                    "action": o.action.reference if o.action else "",
                }
                for o in review.outputs.select_related("owner", "action")
            ],
        }
    )


@transaction.atomic
def save_minute(review: ManagementReview, *, actor: Any, key: str, text: str) -> InputMinute:
    ensure_allowed(actor, review.organization, "change", review)
    _open_for_edit(review, "Minutes can be written while the review is planned or in progress.")
    if not key or len(key) > 80:
        raise ValidationError({"key": "Unknown input."})
    minute = InputMinute.objects.filter(organization=review.organization, review=review, key=key).first()
    if minute is None:
        minute = InputMinute(organization=review.organization, review=review, key=key, created_by=actor)
        verb = "inputminute.create"
    else:
        verb = "inputminute.update"
    with trail.tracking(minute, actor=actor, action=verb):
        minute.text = text
        minute.save()
    return minute


@transaction.atomic
def create_output(*, organization: Any, actor: Any, data: dict[str, Any]) -> ReviewOutput:
    """Record a decision of the review and create the action that tracks it to the next review."""
    from qualitas.actions.services import create_action

    ensure_allowed(actor, organization, "add", ReviewOutput)
    review = data["review"]
    assert_same_organization(organization, data)
    _open_for_edit(review, "Decisions are recorded while the review is planned or in progress.", "review")
    ensure_member(organization, data.get("owner"), "owner")
    output = ReviewOutput(organization=organization, created_by=actor, **data)
    output.full_clean(exclude=["action"])
    kind_to_action = {"improvement": "improvement", "qms_change": "task", "resources": "task"}
    output.action = create_action(
        organization=organization,
        actor=actor,
        subject=review,
        data={
            "title": f"{review.reference}: {output.decision.splitlines()[0][:180]}",
            "description": f"{output.get_kind_display()} decided in {review}.\n\n{output.decision}",
            "owner": output.owner,
            "due_date": output.due_date,
            "kind": kind_to_action.get(output.kind, "task"),
        },
    )
    with trail.tracking(output, actor=actor, action="reviewoutput.create"):
        output.save()
    return output


@transaction.atomic
def update_output(
    output: ReviewOutput,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ReviewOutput:
    from qualitas.actions.services import update_action

    _open_for_edit(
        output.review, "The minutes are frozen; the decision cannot change. Change its action instead."
    )
    data = {k: v for k, v in data.items() if k != "review"}
    ensure_member(output.organization, data.get("owner"), "owner")
    output = update_record(output, actor=actor, data=data, expected_version=expected_version, reason=reason)
    if output.action is not None and trail.lock(output.action).is_open:
        update_action(
            output.action,
            actor=actor,
            data={"owner": output.owner, "due_date": output.due_date},
            reason=reason or "Decision of the review changed",
        )
    return output


@transaction.atomic
def delete_output(output: ReviewOutput, *, actor: Any, reason: str = "") -> None:
    from qualitas.actions.services import transition_action

    _open_for_edit(output.review, "The minutes are frozen; the decision is kept as evidence.")
    action = output.action
    delete_record(output, actor=actor, reason=reason)
    if action is not None and trail.lock(action).is_open:
        transition_action(action, "cancel", actor=actor, reason=reason or "Decision withdrawn in the review")
