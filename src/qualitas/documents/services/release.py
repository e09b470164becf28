"""Release: an approved revision becomes effective (now, on a date, or approved outside Qualitas), the one
it replaces is superseded and its readers are asked to confirm they have read it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import workflow_step
from qualitas.documents import search
from qualitas.documents.choices import RevisionStatus
from qualitas.documents.models import Acknowledgement, Document, DocumentStatus, Revision
from qualitas.documents.queries import add_months, audience
from qualitas.documents.workflow import REVISION_WORKFLOW


@transaction.atomic
def release_revision(
    revision: Revision, *, actor: Any, effective_date: dt.date | None = None, reason: str = ""
) -> Revision:
    """Set an approved revision effective today, on a past date (with a reason), or on a future date
    (``documents_activate`` makes it effective then)."""
    revision = Revision.objects.select_for_update().select_related("document").get(pk=revision.pk)
    ensure_allowed(actor, revision.organization, "release", revision)
    if revision.status != RevisionStatus.APPROVED:
        raise TransitionError("Only an approved revision can be released.")
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date < today and not (reason or "").strip():
        raise ValidationError({"reason": "An effective date in the past needs a reason."})
    with audit.tracking(revision, actor=actor, action="revision.schedule", reason=reason):
        revision.effective_date = effective_date
        revision.effective_reason = (
            (reason or "").strip() if effective_date < today else revision.effective_reason
        )
        revision.save()
    if effective_date <= today:
        _make_effective(revision, actor=actor)
    return revision


def _make_effective(revision: Revision, *, actor: Any) -> None:
    document = Document.objects.select_for_update().get(pk=revision.document_id)
    previous = document.effective_revision
    if (
        previous is not None
        and previous.pk != revision.pk
        and audit.lock(previous).status == (RevisionStatus.EFFECTIVE)
    ):
        with workflow_step(
            previous,
            REVISION_WORKFLOW,
            "supersede",
            actor=actor,
            event_reason=f"Replaced by revision {revision.label}",
            system=True,
        ):
            previous.superseded_at = timezone.now()
    with workflow_step(revision, REVISION_WORKFLOW, "make_effective", actor=actor, system=True):
        revision.effective_at = timezone.now()
        revision.effective_date = revision.effective_date or timezone.localdate()
    with audit.tracking(document, actor=actor, action="document.revision_effective"):
        document.status = DocumentStatus.EFFECTIVE
        document.effective_revision = revision
        document.current_label = revision.label
        document.effective_date = revision.effective_date
        base = revision.effective_date
        document.next_review_due = add_months(base, document.review_interval_months)
        document.save()
    _request_acknowledgements(document, revision, actor=actor)
    search.index_document(document)


def _request_acknowledgements(document: Document, revision: Revision, *, actor: Any) -> None:
    people = audience(document)
    if not people:
        return
    due = max(revision.effective_date or timezone.localdate(), timezone.localdate()) + dt.timedelta(
        days=document.ack_days
    )
    existing = set(Acknowledgement.objects.filter(revision=revision).values_list("user_id", flat=True))
    new = [
        Acknowledgement(
            organization_id=document.organization_id,
            revision=revision,
            document=document,
            user=u,
            due_date=due,
            created_by=actor,
        )
        for u in people
        if u.pk not in existing
    ]
    if not new:
        return
    # One event lists everyone asked to read (the matching audit record for this bulk write).
    audit.record(
        revision,
        actor=actor,
        action="acknowledgement.request",
        changes={"readers": [None, sorted(a.user.get_username() for a in new)], "due": [None, due]},
    )
    Acknowledgement.objects.bulk_create(new)


@transaction.atomic
def record_external_approval(
    revision: Revision, *, actor: Any, effective_date: dt.date, reason: str
) -> Revision:
    """Take over a revision approved outside Qualitas (paper register, import): it becomes effective on
    ``effective_date`` without electronic signatures; the reason says where the approval is kept."""
    revision = Revision.objects.select_for_update().select_related("document").get(pk=revision.pk)
    ensure_allowed(actor, revision.organization, "import", revision.document)
    if revision.status != RevisionStatus.DRAFT or revision.signatures.exists():
        raise TransitionError("Only an unsigned draft can be taken over as approved outside Qualitas.")
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say where the approval outside Qualitas is recorded."})
    with audit.tracking(
        revision,
        actor=actor,
        action="revision.import",
        reason=f"{reason}: approved outside Qualitas, effective {effective_date}",
    ):
        revision.status = RevisionStatus.APPROVED
        revision.effective_date = effective_date
        revision.effective_reason = reason
        revision.content_sha256 = revision.compute_content_hash()
        revision.save()
    if effective_date <= timezone.localdate():
        _make_effective(revision, actor=actor)
    return revision


def activate_due_revisions(*, organization: Any = None, today: dt.date | None = None) -> list[Revision]:
    """Make approved revisions whose effective date has come effective. Idempotent (for cron)."""
    today = today or timezone.localdate()
    qs = Revision.objects.filter(
        status=RevisionStatus.APPROVED, effective_date__isnull=False, effective_date__lte=today
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    done = []
    for pk in qs.order_by("effective_date", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            revision = Revision.objects.select_for_update().get(pk=pk)
            if revision.status != RevisionStatus.APPROVED:
                continue  # another run got there first
            _make_effective(revision, actor=None)
            done.append(revision)
    return done
