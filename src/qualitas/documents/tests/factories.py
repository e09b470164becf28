import datetime as dt
from typing import Any

from django.utils import timezone

from qualitas.core.services import create_record
from qualitas.core.testing.factories import factory
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import services
from qualitas.documents.models import Acknowledgement, Document, Record, RecordType, Revision, Signature

TEXT = "# Torque check\n\n1. Set the wrench to 25 Nm.\n2. Tighten in a cross pattern.\n"


@factory(Document)
def make_document(org: Any, actor: Any, **overrides: Any) -> Document:
    data = {
        "title": "Torque check of clamping fixtures",
        "doc_type": "work_instruction",
        "owner": actor,
        "text": TEXT,
        **overrides,
    }
    return services.create_document(organization=org, actor=actor, data=data)


@factory(Revision)
def make_revision(org: Any, actor: Any, **overrides: Any) -> Revision:
    return make_document(org, actor, **overrides).revisions.get()


def make_effective_document(org: Any, actor: Any, days_ago: int = 0, **overrides: Any) -> Document:
    """A document whose first revision was approved outside Qualitas (paper) and is effective."""
    document = make_document(org, actor, **overrides)
    services.record_external_approval(
        document.revisions.get(),
        actor=actor,
        effective_date=timezone.localdate() - dt.timedelta(days=days_ago),
        reason="Approved on paper",
    )
    document.refresh_from_db()
    return document


@factory(Signature)
def make_signature(org: Any, actor: Any) -> Signature:
    document = make_document(org, actor, reviewers=[actor], approvers=[actor])
    revision = document.revisions.get()
    services.transition_revision(revision, "submit", actor=actor)
    return services.sign_revision(revision, actor=actor, password=PASSWORD, meaning="reviewed")


@factory(Acknowledgement)
def make_acknowledgement(org: Any, actor: Any) -> Acknowledgement:
    document = make_effective_document(org, actor, ack_roles=["admin"])
    return Acknowledgement.objects.filter(document=document, user=actor).get()


@factory(RecordType)
def make_record_type(org: Any, actor: Any, **overrides: Any) -> RecordType:
    data = {
        "name": f"Inspection records {RecordType.objects.filter(organization=org).count() + 1}",
        "retention_months": 24,
        **overrides,
    }
    return create_record(RecordType, organization=org, actor=actor, data=data)


@factory(Record)
def make_record(org: Any, actor: Any, **overrides: Any) -> Record:
    data = {
        "record_type": overrides.pop("record_type", None) or make_record_type(org, actor),
        "title": "Final inspection order 4711",
        "record_date": dt.date(2025, 3, 15),
        **overrides,
    }
    return services.create_retained_record(organization=org, actor=actor, data=data)
