"""Writes of processes and their interactions, context issues, interested parties, the identity
statements and the quality policy."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_record,
    delete_record,
    update_record,
    workflow_step,
)
from qualitas.planning.choices import (
    PolicyStatus,
)
from qualitas.planning.models import (
    ContextIssue,
    Identity,
    InterestedParty,
    PolicyCommunication,
    Process,
    ProcessInteraction,
    QualityPolicy,
)
from qualitas.planning.queries import get_identity
from qualitas.planning.services.common import update_owned
from qualitas.planning.workflow import POLICY_WORKFLOW

log = logging.getLogger(__name__)


# --- processes -----------------------------------------------------------------------------------


def create_process(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Process:
    return create_record(
        Process, organization=organization, actor=actor, data=data, reason=reason, members=("owner",)
    )


update_process = update_owned


@transaction.atomic
def delete_process(process: Process, *, actor: Any, reason: str = "") -> None:
    """Delete a process and its arrows (each removal audited); refused while other records name it."""
    from django.db.models import ProtectedError, Q

    ensure_allowed(actor, process.organization, "delete", process)
    for link in ProcessInteraction.objects.filter(Q(source=process) | Q(target=process)).select_related(
        "source", "target"
    ):
        delete_record(link, actor=actor, reason=f"Process {process.code} deleted")
    try:
        delete_record(process, actor=actor, reason=reason)
    except ProtectedError:
        raise ValidationError("Other records name this process; deactivate it instead.") from None


@transaction.atomic
def add_interaction(
    source: Process, *, actor: Any, target: Process, description: str = ""
) -> ProcessInteraction:
    organization = source.organization
    ensure_allowed(actor, organization, "add", ProcessInteraction)
    assert_same_organization(organization, {"target": target})
    if target.pk == source.pk:
        raise ValidationError({"target": "A process cannot feed itself."})
    if ProcessInteraction.objects.filter(organization=organization, source=source, target=target).exists():
        raise ValidationError({"target": f"{source.code} already feeds {target.code}."})
    return create_record(
        ProcessInteraction,
        organization=organization,
        actor=actor,
        data={"source": source, "target": target, "description": description},
    )


# --- context, interested parties, identity, policy -----------------------------------------------
# Issues and parties are created and edited by core's generic writers; a deletion is refused while
# risks or opportunities come from them.


def delete_context_issue(issue: ContextIssue, *, actor: Any, reason: str = "") -> None:
    if issue.risks.exists():
        raise ValidationError("Risks or opportunities come from this issue; mark it inactive instead.")
    delete_record(issue, actor=actor, reason=reason)


def delete_party(party: InterestedParty, *, actor: Any, reason: str = "") -> None:
    if party.risks.exists():
        raise ValidationError("Risks or opportunities come from this party; mark it inactive instead.")
    delete_record(party, actor=actor, reason=reason)


@transaction.atomic
def save_identity(
    organization: Any,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Identity:
    current = get_identity(organization)
    if current.pk is None:
        return create_record(Identity, organization=organization, actor=actor, data=data, reason=reason)
    return update_record(current, actor=actor, data=data, expected_version=expected_version, reason=reason)


def create_policy(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> QualityPolicy:
    data = {k: v for k, v in data.items() if k not in ("status", "approved_by", "approved_at")}
    return create_record(QualityPolicy, organization=organization, actor=actor, data=data, reason=reason)


def update_policy(
    policy: QualityPolicy,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> QualityPolicy:
    def draft_only(fresh: QualityPolicy, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.status != PolicyStatus.DRAFT:
            raise ValidationError(
                "Only a draft policy can be edited; start a new draft to change an approved one."
            )
        return data

    return update_record(
        policy,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
        prepare=draft_only,
    )


def delete_policy(policy: QualityPolicy, *, actor: Any, reason: str = "") -> None:
    def draft_only(fresh: QualityPolicy) -> None:
        if fresh.status != PolicyStatus.DRAFT:
            raise ValidationError(
                "An approved or superseded policy is a retained record and cannot be deleted."
            )

    delete_record(policy, actor=actor, reason=reason, check=draft_only)


@transaction.atomic
def transition_policy(
    policy: QualityPolicy,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> QualityPolicy:
    with workflow_step(
        policy,
        POLICY_WORKFLOW,
        name,
        actor=actor,
        reason=reason,
        expected_version=expected_version,
        event_reason=reason or note,
    ):
        if name == "approve":
            # One approved policy at a time: approvals in the organization queue on its chain head
            # (taken here rather than at the first event), and the approved ones are locked as read.
            audit.lock_head(policy.organization)
            for previous in (
                QualityPolicy.objects.select_for_update()
                .filter(organization=policy.organization, status=PolicyStatus.APPROVED)
                .exclude(pk=policy.pk)
            ):
                with audit.tracking(
                    previous,
                    actor=actor,
                    action="qualitypolicy.supersede",
                    reason=f"Superseded by the policy approved on {timezone.localdate()}",
                ):
                    previous.status = PolicyStatus.SUPERSEDED
                    previous.save()
            policy.approved_by = actor
            policy.approved_at = timezone.now()
            policy.effective_from = policy.effective_from or timezone.localdate()
    return policy


@transaction.atomic
def add_communication(policy: QualityPolicy, *, actor: Any, data: dict[str, Any]) -> PolicyCommunication:
    audit.lock(policy)
    if policy.status != PolicyStatus.APPROVED:
        raise ValidationError("Only the approved policy is communicated.")
    return create_record(
        PolicyCommunication, organization=policy.organization, actor=actor, data={**data, "policy": policy}
    )


# --- adapters for the generic API viewsets (create_service(organization=, actor=, data=)) ----------


def create_interaction(*, organization: Any, actor: Any, data: dict[str, Any]) -> ProcessInteraction:
    source = data["source"]
    assert_same_organization(organization, {"source": source})
    return add_interaction(
        source, actor=actor, target=data["target"], description=data.get("description", "")
    )


def create_communication(*, organization: Any, actor: Any, data: dict[str, Any]) -> PolicyCommunication:
    policy = data.pop("policy")
    assert_same_organization(organization, {"policy": policy})
    return add_communication(policy, actor=actor, data=data)


def update_communication(
    comm: PolicyCommunication,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> PolicyCommunication:
    data = {k: v for k, v in data.items() if k != "policy"}
    return update_record(comm, actor=actor, data=data, expected_version=expected_version, reason=reason)


def create_identity(*, organization: Any, actor: Any, data: dict[str, Any]) -> Identity:
    return save_identity(organization, actor=actor, data=data)
