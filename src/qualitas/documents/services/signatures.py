"""Electronic signatures: a reviewer or approver re-enters their password to review, approve or reject."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit, signatures
from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import workflow_step
from qualitas.documents.choices import ApprovalOrder, RevisionStatus, SignatureMeaning
from qualitas.documents.models import Revision, Signature
from qualitas.documents.queries import round_signatures
from qualitas.documents.workflow import REVISION_WORKFLOW


def sign_revision(
    revision: Revision, *, actor: Any, password: str, meaning: str, comment: str = ""
) -> Signature:
    """Sign a revision in review. Whether this person may sign it now is decided first, without
    looking at the password; then the re-entered password is checked (``core.signatures``: a wrong
    one is kept in the audit trail in its own transaction, repeated ones lock signing)."""
    if meaning not in SignatureMeaning.values:
        raise ValidationError({"meaning": "Choose reviewed, approved or rejected."})
    if actor is None or not actor.is_authenticated:
        raise ValidationError("A signature needs a signed-in person.")
    comment = (comment or "").strip()
    fresh = Revision.objects.select_related("document", "organization").get(pk=revision.pk)
    _may_sign(fresh, actor=actor, meaning=meaning, comment=comment)
    signatures.check_password(actor, password, record=fresh, changes={"meaning": [None, meaning]})
    return _sign(revision, actor=actor, meaning=meaning, comment=comment)


def _may_sign(
    revision: Revision, *, actor: Any, meaning: str, comment: str
) -> tuple[set[Any], set[Any], set[Any]]:
    """Refuse unless ``actor`` may sign ``revision`` with ``meaning`` now (role, designated reviewer
    or approver, state, content, order). Returns the reviewers, the approvers and this round's
    ``(signer, meaning)`` pairs."""
    organization = revision.organization
    ensure_allowed(actor, organization, "sign", revision)
    document = revision.document
    if revision.status != RevisionStatus.IN_REVIEW:
        raise TransitionError(
            f"Only a revision in review can be signed; this one is {revision.get_status_display()}."
        )
    if revision.compute_content_hash() != revision.content_sha256:
        raise TransitionError("The content changed after submission; submit it again.")
    reviewer_ids = set(document.reviewers.values_list("pk", flat=True))
    approver_ids = set(document.approvers.values_list("pk", flat=True))
    done = {(s.signer_id, s.meaning) for s in round_signatures(revision)}
    if meaning == SignatureMeaning.REVIEWED and actor.pk not in reviewer_ids:
        raise TransitionError("You are not a reviewer of this document.")
    if meaning == SignatureMeaning.APPROVED:
        if actor.pk not in approver_ids:
            raise TransitionError("You are not an approver of this document.")
        if actor.pk == revision.author_id and not organization.allow_self_approval:
            raise TransitionError("You wrote this revision; your organization does not allow self-approval.")
        waiting = reviewer_ids - {uid for uid, m in done if m == SignatureMeaning.REVIEWED}
        if document.approval_order == ApprovalOrder.SEQUENTIAL and waiting:
            raise TransitionError("Approval waits until every reviewer has signed.")
    if meaning == SignatureMeaning.REJECTED:
        if actor.pk not in reviewer_ids | approver_ids:
            raise TransitionError("Only a reviewer or approver of this document can reject it.")
        if not comment:
            raise ValidationError(
                {"comment": "Say why you reject it: the author needs to know what to change."}
            )
    if (actor.pk, meaning) in done:
        raise TransitionError("You have already signed this revision with that meaning.")
    return reviewer_ids, approver_ids, done


@transaction.atomic
def _sign(revision: Revision, *, actor: Any, meaning: str, comment: str) -> Signature:
    # Lock the revision: two signers at once are serialized here, and the second sees the first.
    revision = (
        Revision.objects.select_for_update().select_related("document", "organization").get(pk=revision.pk)
    )
    organization = revision.organization
    reviewer_ids, approver_ids, done = _may_sign(revision, actor=actor, meaning=meaning, comment=comment)
    signature = Signature(
        organization=organization,
        revision=revision,
        cycle=revision.cycle,
        signer=actor,
        signer_name=actor.display_name,
        signer_username=actor.get_username(),
        meaning=meaning,
        signed_at=timezone.now(),
        comment=comment,
        content_sha256=revision.content_sha256,
        created_by=actor,
    )
    signature.signature_sha256 = signature.compute_signature_hash()
    with audit.tracking(signature, actor=actor, action=f"signature.{meaning}", reason=comment):
        signature.save()
    done.add((actor.pk, meaning))
    if meaning == SignatureMeaning.REJECTED:
        with workflow_step(revision, REVISION_WORKFLOW, "reject", actor=actor, reason=comment, system=True):
            pass
    elif reviewer_ids <= {u for u, m in done if m == SignatureMeaning.REVIEWED} and approver_ids <= {
        u for u, m in done if m == SignatureMeaning.APPROVED
    }:
        with workflow_step(revision, REVISION_WORKFLOW, "approve", actor=actor, system=True):
            revision.approved_at = signature.signed_at
    return signature
