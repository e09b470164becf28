"""All writes of document control, by topic: the document, its revisions, electronic signatures,
release and effectiveness, periodic review, read-and-understood, and the register of retained records.

Callers use ``services.<verb>``; the read side (next label, pending signers, readers) is in ``queries``.
"""

from qualitas.documents.services.documents import create_document, delete_document, update_document
from qualitas.documents.services.reading import acknowledge, send_acknowledgement_reminders
from qualitas.documents.services.records import (
    create_retained_record,
    delete_record_type,
    dispose_record,
    update_retained_record,
)
from qualitas.documents.services.release import (
    activate_due_revisions,
    record_external_approval,
    release_revision,
)
from qualitas.documents.services.reviews import review_document, send_review_reminders
from qualitas.documents.services.revisions import start_revision, transition_revision, update_revision
from qualitas.documents.services.signatures import sign_revision

__all__ = [
    "acknowledge",
    "activate_due_revisions",
    "create_document",
    "create_retained_record",
    "delete_document",
    "delete_record_type",
    "dispose_record",
    "record_external_approval",
    "release_revision",
    "review_document",
    "send_acknowledgement_reminders",
    "send_review_reminders",
    "sign_revision",
    "start_revision",
    "transition_revision",
    "update_document",
    "update_retained_record",
    "update_revision",
]
