"""All writes of actions."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.actions.choices import ActionStatus
from qualitas.actions.models import Action
from qualitas.actions.workflow import ACTION_WORKFLOW
from qualitas.core import audit, numbering
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import assert_same_organization, delete_record, update_record


def _owner_is_member(organization: Any, owner: Any) -> None:
    if owner is not None and not owner.memberships.filter(organization=organization, is_active=True).exists():
        raise ValidationError({"owner": "The owner must be a member of this organization."})


@transaction.atomic
def create_action(
    *, organization: Any, actor: Any, data: dict[str, Any], subject: Any = None, reason: str = ""
) -> Action:
    ensure_allowed(actor, organization, "add", Action)
    data = dict(data)
    subject = subject or data.pop("subject", None)
    _owner_is_member(organization, data.get("owner"))
    action = Action(organization=organization, created_by=actor, **data)
    if subject is not None:
        assert_same_organization(organization, {"subject": subject})
        action.subject_type = ContentType.objects.get_for_model(subject)
        action.subject_id = subject.pk
    action.reference = numbering.next_reference(organization, "ACT")
    action.full_clean()
    with audit.tracking(action, actor=actor, action="action.create", reason=reason):
        action.save()
    return action


def update_action(
    action: Action, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Action:
    if "owner" in data:
        _owner_is_member(action.organization, data["owner"])
    return update_record(action, actor=actor, data=data, expected_version=expected_version, reason=reason)


@transaction.atomic
def transition_action(action: Action, name: str, *, actor: Any, reason: str = "", note: str = "") -> Action:
    with audit.tracking(action, actor=actor, action=f"action.{name}", reason=reason):
        if note:
            action.completion_note = note
        ACTION_WORKFLOW.apply(action, name, actor=actor, reason=reason)
        action.completed_at = timezone.now() if action.status == ActionStatus.DONE else None
        action.save()
    return action


def complete_action(action: Action, *, actor: Any, note: str) -> Action:
    return transition_action(action, "complete", actor=actor, note=note)


def delete_action(action: Action, *, actor: Any, reason: str = "") -> None:
    delete_record(action, actor=actor, reason=reason)
