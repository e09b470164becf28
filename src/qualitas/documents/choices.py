from django.db import models

from qualitas.core.tones import declare_tones


class DocumentType(models.TextChoices):
    POLICY = "policy", "Policy"
    MANUAL = "manual", "Manual"
    PROCEDURE = "procedure", "Procedure"
    WORK_INSTRUCTION = "work_instruction", "Work instruction"
    FORM = "form", "Form"
    SPECIFICATION = "specification", "Specification"
    EXTERNAL = "external", "External document"
    RECORD = "record", "Record"


# Default code prefix per type when the organization lets Qualitas number documents.
CODE_PREFIX: dict[str, str] = {
    DocumentType.POLICY: "POL",
    DocumentType.MANUAL: "QM",
    DocumentType.PROCEDURE: "QP",
    DocumentType.WORK_INSTRUCTION: "WI",
    DocumentType.FORM: "F",
    DocumentType.SPECIFICATION: "SPEC",
    DocumentType.EXTERNAL: "EXT",
    DocumentType.RECORD: "REC",
}


class Confidentiality(models.TextChoices):
    PUBLIC = "public", "Public"
    INTERNAL = "internal", "Internal"
    CONFIDENTIAL = "confidential", "Confidential"
    RESTRICTED = "restricted", "Restricted"


class RevisionScheme(models.TextChoices):
    LETTERS = "letters", "Letters (A, B, C…)"
    NUMBERS = "numbers", "Numbers (1, 2, 3…)"


class ApprovalOrder(models.TextChoices):
    SEQUENTIAL = "sequential", "Sequential: all reviews before any approval"
    PARALLEL = "parallel", "Parallel: reviewers and approvers in any order"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    EFFECTIVE = "effective", "Effective"
    SUPERSEDED = "superseded", "Superseded"
    OBSOLETE = "obsolete", "Obsolete"


OPEN_REVISION_STATES = (RevisionStatus.DRAFT, RevisionStatus.IN_REVIEW, RevisionStatus.APPROVED)
FINAL_REVISION_STATES = (RevisionStatus.SUPERSEDED, RevisionStatus.OBSOLETE)


class SignatureMeaning(models.TextChoices):
    REVIEWED = "reviewed", "Reviewed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ReviewOutcome(models.TextChoices):
    NO_CHANGE = "no_change", "Still valid, no change needed"
    CHANGE_NEEDED = "change_needed", "Change needed: start a new revision"


class DisposalMethod(models.TextChoices):
    SHRED = "shred", "Shredded"
    DELETE = "delete", "Deleted (electronic)"
    ARCHIVE = "archive", "Transferred to archive"
    RETURN = "return", "Returned to customer"
    OTHER = "other", "Other"


class RecordStatus(models.TextChoices):
    RETAINED = "retained", "Retained"
    DISPOSED = "disposed", "Disposed"


# How these statuses look on badges (core.tones).
declare_tones(
    RevisionStatus,
    {
        "draft": "muted",
        "effective": "ok",
        "approved": "ok",
        "in_review": "warn",
        "superseded": "muted",
        "obsolete": "muted",
    },
)
declare_tones(SignatureMeaning, {"approved": "ok", "rejected": "bad"})
