"""Writes of a revision in draft and review: start a change, edit the draft, the steps taken by button."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.files import inspect_upload
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import workflow_step
from qualitas.documents import search
from qualitas.documents.choices import OPEN_REVISION_STATES, RevisionStatus
from qualitas.documents.models import Document, DocumentStatus, Revision
from qualitas.documents.queries import next_label
from qualitas.documents.workflow import MANUAL_TRANSITIONS, REVISION_WORKFLOW

REVISION_FIELDS = {"text", "change_reason", "file"}


def _attach_file(revision: Revision, upload: UploadedFile | None) -> None:
    """Put an upload on a revision that its caller then saves through the audited writer."""
    if not upload:
        return
    info = inspect_upload(upload)
    revision.file_name, revision.file_mime = info.safe_name, info.mime_type
    revision.file_size, revision.file_sha256 = info.size, info.sha256
    revision.file.save(info.safe_name, upload, save=False)


@transaction.atomic
def start_revision(document: Document, *, actor: Any, reason: str, text: str | None = None) -> Revision:
    """A change request: a new draft revision; the effective one stays in force until it is replaced."""
    ensure_allowed(actor, document.organization, "change", document)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the document needs to change."})
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status == DocumentStatus.OBSOLETE:
        raise ValidationError("This document is obsolete; create a new document instead.")
    if document.revisions.filter(status__in=OPEN_REVISION_STATES).exists():
        raise ValidationError("A revision of this document is already in progress.")
    base = document.effective_revision or document.revisions.order_by("-pk").first()
    revision = Revision(
        organization=document.organization,
        document=document,
        label=next_label(document),
        change_reason=reason.strip(),
        author=actor,
        created_by=actor,
        text=base.text if (text is None and base is not None) else (text or ""),
    )
    revision.full_clean()
    with audit.tracking(revision, actor=actor, action="revision.create", reason=reason):
        revision.save()
    return revision


@transaction.atomic
def update_revision(
    revision: Revision,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Revision:
    data = {k: v for k, v in data.items() if k in REVISION_FIELDS}
    upload = data.pop("file", None)
    with audit.tracking(
        revision, actor=actor, action="revision.update", reason=reason, expected_version=expected_version
    ):
        ensure_allowed(actor, revision.organization, "change", revision)
        if revision.status != RevisionStatus.DRAFT:
            raise ValidationError("Only a draft can be edited; withdraw it from review first.")
        for name, value in data.items():
            setattr(revision, name, value)
        _attach_file(revision, upload)
        revision.full_clean(exclude=["file"])
        revision.save()
    return revision


@transaction.atomic
def transition_revision(
    revision: Revision,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Revision:
    """Steps a person takes with a button: submit, withdraw, discard, obsolete."""
    if name not in MANUAL_TRANSITIONS:
        raise TransitionError(
            "Approval and rejection are given by electronic signature; release sets it effective."
        )
    with workflow_step(
        revision, REVISION_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version
    ):
        if name == "submit":
            revision.cycle += 1
            revision.submitted_at = timezone.now()
            revision.content_sha256 = revision.compute_content_hash()
    if name == "obsolete":
        document = revision.document
        with audit.tracking(document, actor=actor, action="document.obsolete", reason=reason):
            document.status = DocumentStatus.OBSOLETE
            document.next_review_due = None
            document.save()
        search.index_document(document)
        search.unindex_document(document)
    return revision
