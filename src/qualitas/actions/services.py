"""All writes of actions."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from qualitas.actions.choices import ActionStatus
from qualitas.actions.models import Action
from qualitas.actions.workflow import ACTION_WORKFLOW
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    ensure_member,
    update_record,
    workflow_step,
)


@transaction.atomic
def create_action(
    *, organization: Any, actor: Any, data: dict[str, Any], subject: Any = None, reason: str = ""
) -> Action:
    data = dict(data)
    subject = subject or data.pop("subject", None)
    if subject is not None:
        assert_same_organization(organization, {"subject": subject})
        data["subject_type"] = ContentType.objects.get_for_model(subject)
        data["subject_id"] = subject.pk
    return create_numbered(
        Action,
        organization=organization,
        actor=actor,
        data=data,
        prefix="ACT",
        reason=reason,
        members=("owner",),
    )


def update_action(
    action: Action, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Action:
    ensure_member(action.organization, data.get("owner"), "owner")
    return update_record(action, actor=actor, data=data, expected_version=expected_version, reason=reason)


@transaction.atomic
def transition_action(
    action: Action,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Action:
    with workflow_step(
        action, ACTION_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        if note:
            action.completion_note = note
        action.completed_at = timezone.now() if action.status == ActionStatus.DONE else None
    return action


def complete_action(action: Action, *, actor: Any, note: str) -> Action:
    return transition_action(action, "complete", actor=actor, note=note)
