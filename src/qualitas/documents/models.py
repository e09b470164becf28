"""Controlled documents, their revisions, electronic signatures, read-and-understood
acknowledgements, periodic reviews, and the register of retained records (ISO 9001 7.5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from qualitas.accounts.choices import EVERYONE_BUT_VIEWER, WRITERS, Role
from qualitas.core.models import TenantModel
from qualitas.documents.choices import (
    OPEN_REVISION_STATES,
    ApprovalOrder,
    Confidentiality,
    DisposalMethod,
    DocumentType,
    RecordStatus,
    ReviewOutcome,
    RevisionScheme,
    RevisionStatus,
    SignatureMeaning,
)

AUTHORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft (never effective)"
    EFFECTIVE = "effective", "Effective"
    OBSOLETE = "obsolete", "Obsolete"


def revision_upload_path(instance: Revision, filename: str) -> str:
    digest = instance.file_sha256
    return f"org-{instance.organization_id}/documents/{digest[:2]}/{digest}/{filename}"


class Document(TenantModel):
    """A controlled document: identity and control data; its content lives in revisions."""

    # The register's ?q= (code, title, keywords): a trigram index (qualitas.core.search).
    trigram_search: ClassVar[tuple[str, ...]] = ("code", "title", "tags")

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUTHORS,
        "change": AUTHORS,
        "delete": WRITERS,
        "review": AUTHORS,
        "import": WRITERS,
    }

    code = models.CharField(max_length=40, help_text="Leave empty to number it automatically (e.g. QP-0007).")
    title = models.CharField(max_length=200)
    doc_type = models.CharField(
        "type", max_length=20, choices=DocumentType.choices, default=DocumentType.PROCEDURE
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_documents"
    )
    process = models.ForeignKey(
        "planning.Process", on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    site = models.ForeignKey(
        "accounts.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Only for documents that apply to one site.",
    )
    clauses = models.CharField(
        max_length=200, blank=True, help_text="ISO 9001 clause numbers, e.g. 7.5, 8.5.1"
    )
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated keywords.")
    review_interval_months = models.PositiveSmallIntegerField(default=24)
    revision_scheme = models.CharField(
        max_length=10, choices=RevisionScheme.choices, default=RevisionScheme.LETTERS
    )
    approval_order = models.CharField(
        max_length=12, choices=ApprovalOrder.choices, default=ApprovalOrder.SEQUENTIAL
    )
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    ack_roles = models.JSONField(
        "must read (roles)",
        default=list,
        blank=True,
        help_text="People in these roles acknowledge each new effective revision.",
    )
    ack_days = models.PositiveSmallIntegerField("days to read", default=14)
    # Derived control data, kept current by the services.
    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    effective_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    current_label = models.CharField("revision", max_length=10, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    last_reviewed_on = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="document_code_unique")]
        indexes = [
            models.Index(fields=["organization", "doc_type", "status"], name="document_type_idx"),
            models.Index(fields=["organization", "owner", "status"], name="document_owner_idx"),
            models.Index(fields=["organization", "status", "next_review_due"], name="document_review_idx"),
            models.Index(fields=["organization", "process"], name="document_process_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.pk])

    @property
    def clause_list(self) -> list[str]:
        return [c.strip() for c in self.clauses.replace(";", ",").split(",") if c.strip()]

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]

    @property
    def review_overdue(self) -> bool:
        return (
            self.status == DocumentStatus.EFFECTIVE
            and self.next_review_due is not None
            and self.next_review_due < timezone.localdate()
        )

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Document) -> bool | None:
        if (
            action in ("change", "review")
            and obj.owner_id == membership.user_id
            and membership.role != Role.VIEWER
        ):
            return True
        return None


class Revision(TenantModel):
    """One revision of a document: its content, its life cycle and the signatures bound to it."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": AUTHORS,
        "change": AUTHORS,
        "delete": WRITERS,
        "sign": EVERYONE_BUT_VIEWER,
        "release": AUTHORS,
    }

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="revisions")
    # The revision label (A, B... or 1, 2...) hides TenantModel.label(), the verbose name no caller uses.
    label = models.CharField(max_length=10)  # type: ignore[assignment]
    status = models.CharField(max_length=12, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT)
    change_reason = models.TextField(help_text="Why this revision is needed and what changes.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("content (Markdown)", blank=True)
    file = models.FileField(upload_to=revision_upload_path, max_length=400, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_mime = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # Review round: incremented at each submission, so signatures of a rejected round do not count.
    cycle = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    effective_date = models.DateField(null=True, blank=True)
    effective_reason = models.TextField(blank=True, help_text="Why the effective date lies in the past.")
    effective_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="revision_label_unique"),
            models.UniqueConstraint(
                fields=["document"], condition=models.Q(status="effective"), name="revision_one_effective"
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status__in=OPEN_REVISION_STATES),
                name="revision_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "status", "effective_date"], name="revision_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.document.code} rev. {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("documents:revision", args=[self.pk])

    def compute_content_hash(self) -> str:
        """SHA-256 over what a signer sees: identity, label, text and the uploaded file's digest."""
        payload = json.dumps(
            [
                self.document.code,
                self.document.title,
                self.label,
                self.change_reason,
                self.text,
                self.file_sha256,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def is_controlled_copy(self) -> bool:
        return self.status == RevisionStatus.EFFECTIVE

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Revision) -> bool | None:
        if (
            action == "change"
            and membership.role != Role.VIEWER
            and membership.user_id in (obj.author_id, obj.document.owner_id)
        ):
            return True
        return None


class Signature(TenantModel):
    """An electronic signature (21 CFR Part 11 sense): who, when, meaning, bound to the content hash."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": frozenset(),
        "change": frozenset(),
        "delete": frozenset(),
    }

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="signatures")
    cycle = models.PositiveSmallIntegerField()
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(max_length=200)
    signer_username = models.CharField(max_length=150)
    meaning = models.CharField(max_length=10, choices=SignatureMeaning.choices)
    signed_at = models.DateTimeField()
    comment = models.TextField(blank=True)
    content_sha256 = models.CharField(max_length=64)
    signature_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["revision", "signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "cycle", "signer", "meaning"], name="signature_once"),
        ]
        indexes = [
            models.Index(fields=["organization", "signer", "signed_at"], name="signature_signer_idx"),
            # The readiness evidence lists an organization's latest signatures (clause 7.5.3).
            models.Index(fields=["organization", "signed_at"], name="signature_signed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_meaning_display()} by {self.signer_name} on {self.signed_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("documents:revision", args=[self.revision_id]) + f"#sig-{self.pk}"

    def compute_signature_hash(self) -> str:
        payload = json.dumps(
            [
                self.revision_id,
                self.cycle,
                self.signer_id,
                self.signer_name,
                self.meaning,
                self.signed_at.astimezone(dt.UTC).isoformat(),
                self.comment,
                self.content_sha256,
            ],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def content_matches(self) -> bool:
        return self.content_sha256 == self.revision.content_sha256


class Acknowledgement(TenantModel):
    """Read and understood: one person confirms they have read one effective revision."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": frozenset(), "delete": frozenset()}

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="acknowledgements")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["revision", "user"], name="acknowledgement_once")]
        indexes = [
            models.Index(fields=["organization", "user", "acknowledged_at", "due_date"], name="ack_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.revision}"

    def get_absolute_url(self) -> str:
        return reverse("documents:revision", args=[self.revision_id]) + "#read"

    @property
    def is_overdue(self) -> bool:
        return self.acknowledged_at is None and self.due_date < timezone.localdate()

    @classmethod
    def allows(cls, membership: Any, action: str, obj: Acknowledgement) -> bool | None:
        if action == "acknowledge":
            return obj.user_id == membership.user_id
        return None


class DocumentReview(TenantModel):
    """One periodic review: the document is still valid, or a change is needed."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    outcome = models.CharField(max_length=15, choices=ReviewOutcome.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["organization", "document", "reviewed_on"], name="docreview_doc_idx")]

    def __str__(self) -> str:
        return f"Review of {self.document.code} on {self.reviewed_on}"

    def get_absolute_url(self) -> str:
        return reverse("documents:document", args=[self.document_id]) + "#reviews"


class RecordType(TenantModel):
    """A kind of retained documented information and how long it is kept."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {"add": WRITERS, "change": WRITERS, "delete": WRITERS}

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    clauses = models.CharField(
        max_length=200, blank=True, help_text="ISO 9001 clause numbers, e.g. 8.6, 7.1.5"
    )
    retention_months = models.PositiveIntegerField(help_text="How long a record is kept after its date.")
    disposal_method = models.CharField(
        max_length=10, choices=DisposalMethod.choices, default=DisposalMethod.SHRED
    )
    storage = models.CharField(max_length=200, blank=True, help_text="Where these records are kept.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="recordtype_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("documents:recordtype", args=[self.pk])


class Record(TenantModel):
    """One retained record (or batch) in the register, with its disposal due date."""

    role_policy: ClassVar[dict[str, frozenset[str]]] = {
        "add": EVERYONE_BUT_VIEWER,
        "change": frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER}),
        "delete": frozenset(),
        "dispose": WRITERS,
    }

    reference = models.CharField(max_length=30)
    record_type = models.ForeignKey(RecordType, on_delete=models.PROTECT, related_name="records")
    title = models.CharField(max_length=200)
    record_date = models.DateField(help_text="The date the record was made (retention runs from it).")
    location = models.CharField(max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    legal_hold = models.BooleanField(default=False, help_text="Never dispose while on hold (claim, dispute).")
    disposal_due = models.DateField()
    status = models.CharField(max_length=10, choices=RecordStatus.choices, default=RecordStatus.RETAINED)
    disposed_at = models.DateTimeField(null=True, blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposal_method = models.CharField(max_length=10, choices=DisposalMethod.choices, blank=True)
    disposal_note = models.TextField(blank=True)

    class Meta:
        ordering = ["disposal_due", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "reference"], name="record_reference_unique")
        ]
        indexes = [models.Index(fields=["organization", "status", "disposal_due"], name="record_due_idx")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:record", args=[self.pk])

    @property
    def disposal_is_due(self) -> bool:
        return self.status == RecordStatus.RETAINED and self.disposal_due <= timezone.localdate()
