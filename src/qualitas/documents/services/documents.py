"""Writes of the document itself: create it with its first draft, change its metadata, delete a draft."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit, numbering
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    assert_same_organization,
    create_record,
    delete_record,
    ensure_member,
    update_record,
)
from qualitas.documents import search
from qualitas.documents.choices import CODE_PREFIX
from qualitas.documents.models import Document, DocumentStatus, Revision, Signature
from qualitas.documents.queries import next_label
from qualitas.documents.services.revisions import _attach_file

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
