"""The revision life cycle: draft → in review → approved → effective → superseded / obsolete.

Approval and rejection are not buttons: they happen when electronic signatures complete a review
round (services.sign_revision). Becoming effective happens on release or on the effective date
(services.release_revision, the ``documents_activate`` command). Those transitions carry no roles,
so only the services take them (with the system or the signer as actor)."""

from qualitas.accounts.choices import Role
from qualitas.core.workflow import Transition, Workflow
from qualitas.documents.choices import RevisionStatus as S

AUTHORS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER, Role.PROCESS_OWNER})
MANAGERS = frozenset({Role.ADMIN, Role.QUALITY_MANAGER})
SYSTEM: frozenset[str] = frozenset()


def _has_content(revision: object) -> str:
    if not (getattr(revision, "text", "").strip() or getattr(revision, "file_sha256", "")):
        return "Write the content or upload a file before submitting for review."
    document = revision.document  # type: ignore[attr-defined]
    if document.pk and not document.approvers.exists():
        return "Name at least one approver on the document before submitting for review."
    return ""


REVISION_WORKFLOW = Workflow(
    field="status",
    owner_field="author",
    transitions=[
        Transition(
            "submit",
            (S.DRAFT,),
            S.IN_REVIEW,
            AUTHORS,
            label="Submit for review",
            owner_may=True,
            guard=_has_content,
        ),
        Transition(
            "withdraw",
            (S.IN_REVIEW,),
            S.DRAFT,
            AUTHORS,
            label="Withdraw from review",
            owner_may=True,
            reason_required=True,
            style="secondary",
        ),
        Transition("approve", (S.IN_REVIEW,), S.APPROVED, SYSTEM),
        Transition("reject", (S.IN_REVIEW,), S.DRAFT, SYSTEM),
        Transition("make_effective", (S.APPROVED,), S.EFFECTIVE, SYSTEM),
        Transition("supersede", (S.EFFECTIVE,), S.SUPERSEDED, SYSTEM),
        Transition(
            "obsolete",
            (S.EFFECTIVE,),
            S.OBSOLETE,
            MANAGERS,
            label="Withdraw document (obsolete)",
            reason_required=True,
            style="danger",
        ),
        Transition(
            "discard",
            (S.DRAFT, S.APPROVED),
            S.OBSOLETE,
            AUTHORS,
            label="Discard this revision",
            owner_may=True,
            reason_required=True,
            style="danger",
        ),
    ],
)

# Steps a person takes with a button; the others belong to signatures and release.
MANUAL_TRANSITIONS = frozenset({"submit", "withdraw", "obsolete", "discard"})
