"""Lessons learned (the knowledge base) and improvement opportunities (10.3, worked through PDCA)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from qualitas.core.services import create_numbered, create_record, ensure_member, update_record, workflow_step
from qualitas.improvement.models import ImprovementOpportunity, Lesson
from qualitas.improvement.workflow import OPPORTUNITY_WORKFLOW


@transaction.atomic
def publish_lesson(
    *, organization: Any, actor: Any, data: dict[str, Any], nonconformity: Any = None
) -> Lesson:
    """Publish a lesson to the knowledge base, usually from a closed nonconformity."""
    data = dict(data)
    nonconformity = nonconformity or data.pop("nonconformity", None)
    if nonconformity is not None:
        data["nonconformity"] = nonconformity
    data["tags"] = ", ".join(t.strip() for t in str(data.get("tags", "")).split(",") if t.strip())
    data["published_at"] = timezone.now()
    return create_record(Lesson, organization=organization, actor=actor, data=data)


def update_lesson(
    lesson: Lesson, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Lesson:
    if "tags" in data:
        data = {**data, "tags": ", ".join(t.strip() for t in str(data["tags"]).split(",") if t.strip())}
    return update_record(lesson, actor=actor, data=data, expected_version=expected_version, reason=reason)


def raise_opportunity(*, organization: Any, actor: Any, data: dict[str, Any]) -> ImprovementOpportunity:
    return create_numbered(
        ImprovementOpportunity,
        organization=organization,
        actor=actor,
        data={**data, "raised_by": actor},
        prefix="OFI",
        members=("owner",),
    )


def update_opportunity(
    opp: ImprovementOpportunity,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> ImprovementOpportunity:
    ensure_member(opp.organization, data.get("owner"), "owner")
    return update_record(opp, actor=actor, data=data, expected_version=expected_version, reason=reason)


@transaction.atomic
def transition_opportunity(
    opp: ImprovementOpportunity,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> ImprovementOpportunity:
    with workflow_step(
        opp, OPPORTUNITY_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        field = {"do": "plan_notes", "check": "do_notes", "act": "check_notes", "finish": "act_notes"}.get(
            name
        )
        if field and note.strip():
            setattr(opp, field, note.strip())
        if name in ("accept", "reject"):
            opp.decided_at = timezone.now()
    return opp


def add_opportunity_action(opp: ImprovementOpportunity, *, actor: Any, data: dict[str, Any]) -> Any:
    from qualitas.actions.services import create_action

    return create_action(organization=opp.organization, actor=actor, data=data, subject=opp)
