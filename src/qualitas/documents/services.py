"""All writes of document control: documents, revisions, signatures, release, periodic review,
read-and-understood acknowledgements, and the register of retained records."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from qualitas.accounts.models import Membership
from qualitas.core import audit, numbering
from qualitas.core.exceptions import TransitionError
from qualitas.core.files import inspect_upload
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_numbered,
    create_record,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.documents import search
from qualitas.documents.choices import (
    CODE_PREFIX,
    OPEN_REVISION_STATES,
    ApprovalOrder,
    RecordStatus,
    ReviewOutcome,
    RevisionScheme,
    RevisionStatus,
    SignatureMeaning,
)
from qualitas.documents.models import (
    Acknowledgement,
    Document,
    DocumentReview,
    DocumentStatus,
    Record,
    RecordType,
    Revision,
    Signature,
)
from qualitas.documents.workflow import MANUAL_TRANSITIONS, REVISION_WORKFLOW

DOCUMENT_FIELDS = {
    "code",
    "title",
    "doc_type",
    "owner",
    "process",
    "site",
    "clauses",
    "confidentiality",
    "tags",
    "review_interval_months",
    "revision_scheme",
    "approval_order",
    "reviewers",
    "approvers",
    "ack_roles",
    "ack_days",
}
REVISION_FIELDS = {"text", "change_reason", "file"}


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_label(document: Document) -> str:
    labels = list(document.revisions.values_list("label", flat=True))
    if document.revision_scheme == RevisionScheme.NUMBERS:
        numbers = [int(x) for x in labels if x.isdigit()]
        return str(max(numbers, default=0) + 1)
    letters = [x for x in labels if x.isalpha() and x.isupper()]
    if not letters:
        return "A"
    last = max(letters, key=lambda x: (len(x), x))
    # A..Z, then AA, AB...
    value = 0
    for ch in last:
        value = value * 26 + (ord(ch) - 64)
    value += 1
    out = ""
    while value:
        value, rem = divmod(value - 1, 26)
        out = chr(65 + rem) + out
    return out


def _check_people(organization: Any, data: dict[str, Any]) -> None:
    for name in ("owner", "reviewers", "approvers"):
        ensure_member(organization, data.get(name), name)
    site = data.get("site")
    if site is not None and site.organization_id != organization.pk:
        raise ValidationError({"site": "This site belongs to another organization."})


def _auto_code(organization: Any, doc_type: str) -> str:
    prefix = CODE_PREFIX.get(doc_type, "DOC")
    while True:
        code = numbering.next_reference(organization, prefix, yearly=False, width=2)
        if not Document.objects.filter(organization=organization, code=code).exists():
            return code


def _attach_file(revision: Revision, upload: UploadedFile | None) -> None:
    if not upload:
        return
    info = inspect_upload(upload)
    revision.file_name, revision.file_mime = info.safe_name, info.mime_type
    revision.file_size, revision.file_sha256 = info.size, info.sha256
    revision.file.save(info.safe_name, upload, save=False)


# --- documents -----------------------------------------------------------------------------------


@transaction.atomic
def create_document(*, organization: Any, actor: Any, data: dict[str, Any], reason: str = "") -> Document:
    """A new controlled document with its first draft revision (content optional)."""
    ensure_allowed(actor, organization, "add", Document)
    data = dict(data)
    text = data.pop("text", "") or ""
    upload = data.pop("file", None)
    change_reason = data.pop("change_reason", "") or "First issue."
    label = (data.pop("label", "") or "").strip()
    data.setdefault("owner", actor)
    _check_people(organization, data)
    assert_same_organization(organization, data)
    if not (data.get("code") or "").strip():
        data["code"] = _auto_code(organization, data.get("doc_type") or "procedure")
    data["code"] = data["code"].strip()
    if Document.objects.filter(organization=organization, code=data["code"]).exists():
        raise ValidationError({"code": f"The code {data['code']} is already used."})
    document = create_record(Document, organization=organization, actor=actor, data=data, reason=reason)
    revision = Revision(
        organization=organization,
        document=document,
        label=label or next_label(document),
        change_reason=change_reason,
        author=actor or document.owner,
        text=text,
        created_by=actor,
    )
    _attach_file(revision, upload)
    revision.full_clean(exclude=["file"])
    with audit.tracking(revision, actor=actor, action="revision.create", reason=reason):
        revision.save()
    search.index_document(document)
    return document


def update_document(
    document: Document,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Document:
    data = {k: v for k, v in data.items() if k in DOCUMENT_FIELDS}
    _check_people(document.organization, data)

    def code_kept(fresh: Document, data: dict[str, Any]) -> dict[str, Any]:
        if "code" in data:
            data = {**data, "code": (data["code"] or "").strip() or fresh.code}
            if data["code"] != fresh.code and fresh.status != DocumentStatus.DRAFT:
                raise ValidationError(
                    {"code": "The code of a document that has been effective cannot change."}
                )
        return data

    with transaction.atomic():
        document = update_record(
            document,
            actor=actor,
            data=data,
            expected_version=expected_version,
            reason=reason,
            prepare=code_kept,
        )
        search.index_document(document)
    return document


@transaction.atomic
def delete_document(document: Document, *, actor: Any, reason: str = "") -> None:
    """Only a document that never became effective and was never signed can be deleted."""
    audit.lock(document)
    ensure_allowed(actor, document.organization, "delete", document)
    if (
        document.status != DocumentStatus.DRAFT
        or Signature.objects.filter(revision__document=document).exists()
    ):
        raise ValidationError(
            "A document that was signed or effective is kept; withdraw it as obsolete instead."
        )
    for revision in document.revisions.all():
        audit.record(
            revision,
            actor=actor,
            action="revision.delete",
            changes={"label": [revision.label, None]},
            reason=reason,
        )
        revision.delete()
    search.unindex_document(document)
    delete_record(document, actor=actor, reason=reason)


# --- revisions -----------------------------------------------------------------------------------


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


# --- electronic signatures -----------------------------------------------------------------------


def _round_signatures(revision: Revision) -> list[Signature]:
    return list(revision.signatures.filter(cycle=revision.cycle))


def pending_signers(revision: Revision) -> dict[str, list[Any]]:
    """Who still has to review and to approve in the current round."""
    signed = {(s.signer_id, s.meaning) for s in _round_signatures(revision)}
    document = revision.document
    return {
        "reviewers": [u for u in document.reviewers.all() if (u.pk, SignatureMeaning.REVIEWED) not in signed],
        "approvers": [u for u in document.approvers.all() if (u.pk, SignatureMeaning.APPROVED) not in signed],
    }


@transaction.atomic
def _record_refused_signature(revision: Revision, *, actor: Any, meaning: str, why: str) -> None:
    audit.record(
        revision,
        actor=actor,
        action="signature.refused",
        changes={"meaning": [None, meaning], "refusal": [None, why]},
        reason=why,
    )


def sign_revision(
    revision: Revision, *, actor: Any, password: str, meaning: str, comment: str = ""
) -> Signature:
    """Sign a revision in review. The signer re-enters their password; a wrong one is refused and the
    attempt is kept in the audit trail (its own transaction, so the refusal survives)."""
    if meaning not in SignatureMeaning.values:
        raise ValidationError({"meaning": "Choose reviewed, approved or rejected."})
    if actor is None or not actor.is_authenticated:
        raise ValidationError("A signature needs a signed-in person.")
    if not password or not actor.check_password(password):
        _record_refused_signature(revision, actor=actor, meaning=meaning, why="wrong password")
        raise ValidationError({"password": "The password is not correct; nothing was signed."})
    return _sign(revision, actor=actor, meaning=meaning, comment=(comment or "").strip())


@transaction.atomic
def _sign(revision: Revision, *, actor: Any, meaning: str, comment: str) -> Signature:
    # Lock the revision: two signers at once are serialized here, and the second sees the first.
    revision = (
        Revision.objects.select_for_update().select_related("document", "organization").get(pk=revision.pk)
    )
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
    existing = _round_signatures(revision)
    done = {(s.signer_id, s.meaning) for s in existing}
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


# --- release and effectiveness -------------------------------------------------------------------


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


def _audience(document: Document) -> list[Any]:
    if not document.ack_roles:
        return []
    members = Membership.objects.filter(
        organization_id=document.organization_id, is_active=True, role__in=document.ack_roles
    ).select_related("user")
    if document.site_id:
        members = members.filter(site_id=document.site_id)
    return [m.user for m in members]


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
    people = _audience(document)
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


# --- periodic review and reminders ---------------------------------------------------------------


@transaction.atomic
def review_document(document: Document, *, actor: Any, outcome: str, note: str = "") -> DocumentReview:
    ensure_allowed(actor, document.organization, "review", document)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.EFFECTIVE:
        raise ValidationError("Only an effective document is reviewed periodically.")
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    if outcome == ReviewOutcome.CHANGE_NEEDED and not note.strip():
        raise ValidationError({"note": "Say what needs to change."})
    today = timezone.localdate()
    review = DocumentReview(
        organization=document.organization,
        document=document,
        reviewer=actor,
        reviewed_on=today,
        outcome=outcome,
        note=note.strip(),
        created_by=actor,
    )
    with audit.tracking(review, actor=actor, action="documentreview.create", reason=note):
        review.save()
    with audit.tracking(document, actor=actor, action="document.review", reason=note):
        document.last_reviewed_on = today
        document.next_review_due = add_months(today, document.review_interval_months)
        document.save()
    if (
        outcome == ReviewOutcome.CHANGE_NEEDED
        and not document.revisions.filter(status__in=OPEN_REVISION_STATES).exists()
    ):
        start_revision(document, actor=actor, reason=f"Periodic review: {note.strip()}")
    return review


def send_review_reminders(organization: Any, *, today: dt.date | None = None) -> int:
    """An in-app action to the owner of each document whose review is overdue; never twice while open."""
    from qualitas.actions import queries as action_queries
    from qualitas.actions import services as action_services

    today = today or timezone.localdate()
    created = 0
    overdue = Document.objects.filter(
        organization=organization, status=DocumentStatus.EFFECTIVE, next_review_due__lt=today
    ).select_related("owner")
    for document in overdue:
        if (
            action_queries.open_actions(action_queries.actions_about(document))
            .filter(title__startswith="Periodic review")
            .exists()
        ):
            continue
        action_services.create_action(
            organization=organization,
            actor=None,
            subject=document,
            data={
                "title": f"Periodic review of {document.code} {document.title}"[:200],
                "owner": document.owner,
                "due_date": today + dt.timedelta(days=14),
                "description": f"The review was due on {document.next_review_due}. "
                "Confirm the document is still "
                "valid or start a change.",
            },
        )
        created += 1
    return created


def send_acknowledgement_reminders(organization: Any, *, today: dt.date | None = None) -> int:
    """An in-app action to each reader whose acknowledgement is overdue; never twice while open."""
    from qualitas.actions import queries as action_queries
    from qualitas.actions import services as action_services

    today = today or timezone.localdate()
    created = 0
    overdue = Acknowledgement.objects.filter(
        organization=organization,
        acknowledged_at__isnull=True,
        due_date__lt=today,
        revision__status=RevisionStatus.EFFECTIVE,
    ).select_related("user", "revision", "document")
    for ack in overdue:
        if action_queries.open_actions(action_queries.actions_about(ack)).exists():
            continue
        action_services.create_action(
            organization=organization,
            actor=None,
            subject=ack,
            data={
                "title": f"Read {ack.document.code} rev. {ack.revision.label}: {ack.document.title}"[:200],
                "owner": ack.user,
                "due_date": today + dt.timedelta(days=3),
                "description": f"Confirming you have read it was due on {ack.due_date}.",
            },
        )
        created += 1
    return created


# --- read and understood -------------------------------------------------------------------------


@transaction.atomic
def acknowledge(acknowledgement: Acknowledgement, *, actor: Any) -> Acknowledgement:
    audit.lock(acknowledgement)
    ensure_allowed(actor, acknowledgement.organization, "acknowledge", acknowledgement)
    if acknowledgement.acknowledged_at is not None:
        return acknowledgement
    with audit.tracking(acknowledgement, actor=actor, action="acknowledgement.confirm"):
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save()
    return acknowledgement


# --- records register ----------------------------------------------------------------------------


def create_record_type(
    *, organization: Any, actor: Any, data: dict[str, Any], reason: str = ""
) -> RecordType:
    return create_record(RecordType, organization=organization, actor=actor, data=data, reason=reason)


def update_record_type(
    record_type: RecordType,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> RecordType:
    return update_record(
        record_type, actor=actor, data=data, expected_version=expected_version, reason=reason
    )


@transaction.atomic
def delete_record_type(record_type: RecordType, *, actor: Any, reason: str = "") -> None:
    if record_type.records.exists():
        raise ValidationError("Records of this type exist; the type stays.")
    delete_record(record_type, actor=actor, reason=reason)


@transaction.atomic
def create_retained_record(
    *, organization: Any, actor: Any, data: dict[str, Any], reason: str = ""
) -> Record:
    data = dict(data)
    data["disposal_due"] = add_months(data["record_date"], data["record_type"].retention_months)
    return create_numbered(
        Record, organization=organization, actor=actor, data=data, prefix="REC", reason=reason
    )


@transaction.atomic
def update_retained_record(
    record: Record, *, actor: Any, data: dict[str, Any], expected_version: int | None = None, reason: str = ""
) -> Record:
    def retention(fresh: Record, data: dict[str, Any]) -> dict[str, Any]:
        if fresh.status == RecordStatus.DISPOSED:
            raise ValidationError("A disposed record is kept as it was.")
        record_type = data.get("record_type", fresh.record_type)
        record_date = data.get("record_date", fresh.record_date)
        return {**data, "disposal_due": add_months(record_date, record_type.retention_months)}

    return update_record(
        record, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=retention
    )


@transaction.atomic
def dispose_record(record: Record, *, actor: Any, method: str, note: str, reason: str = "") -> Record:
    """Disposal is recorded (who, when, how), never silent; early disposal needs a reason."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    ensure_allowed(actor, record.organization, "dispose", record)
    if record.status == RecordStatus.DISPOSED:
        raise ValidationError("This record was already disposed of.")
    if record.legal_hold:
        raise ValidationError("This record is on legal hold and cannot be disposed of.")
    if not method:
        raise ValidationError({"method": "Say how the record was disposed of."})
    if not (note or "").strip():
        raise ValidationError({"note": "Describe the disposal (who witnessed it, where it went)."})
    if record.disposal_due > timezone.localdate() and not (reason or "").strip():
        raise ValidationError(
            {"reason": "The retention period has not ended; an early disposal needs a reason."}
        )
    with audit.tracking(record, actor=actor, action="record.dispose", reason=reason or note):
        record.status = RecordStatus.DISPOSED
        record.disposed_at = timezone.now()
        record.disposed_by = actor
        record.disposal_method = method
        record.disposal_note = note.strip()
        record.save()
    return record


def transition_record(record: Record, name: str, *, actor: Any, reason: str = "", note: str = "") -> Record:
    raise TransitionError("Records are disposed of with the disposal form.")


def get_user_by_name(organization: Any, name: str) -> Any:
    User = get_user_model()
    return User.objects.filter(
        memberships__organization=organization, memberships__is_active=True, username__iexact=name.strip()
    ).first()
