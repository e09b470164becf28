"""Generic writers that domain services build on. Each is one transaction, checks the actor's role,
checks that every related record belongs to the same organization, and leaves an audit event."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from qualitas.core import audit
from qualitas.core.files import inspect_upload
from qualitas.core.models import Attachment, Comment, TenantModel
from qualitas.core.permissions import ensure_allowed

M = TypeVar("M", bound=models.Model)


def action_name(model: type[models.Model] | models.Model, verb: str) -> str:
    return f"{model._meta.model_name}.{verb}"


def assert_same_organization(organization: Any, values: dict[str, Any]) -> None:
    """Refuse a link to a record of another organization (forms already limit choices)."""
    for name, value in values.items():
        items = value if isinstance(value, (list, tuple, set, models.QuerySet)) else [value]
        for item in items:
            org_id = getattr(item, "organization_id", None)
            if isinstance(item, models.Model) and org_id is not None and org_id != organization.pk:
                raise ValidationError({name: "This record belongs to another organization."})


def _split_m2m(model: type[models.Model], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


@transaction.atomic
def create_record(
    model: type[M],
    *,
    organization: Any,
    actor: Any,
    data: dict[str, Any],
    reason: str = "",
    verb: str = "create",
) -> M:
    ensure_allowed(actor, organization, "add", model)
    assert_same_organization(organization, data)
    plain, m2m = _split_m2m(model, data)
    obj = model(organization=organization, **plain)
    if isinstance(obj, TenantModel):
        obj.created_by = actor
    obj.full_clean(exclude=[f.name for f in model._meta.many_to_many])
    with audit.tracking(obj, actor=actor, action=action_name(model, verb), reason=reason):
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
    return obj


@transaction.atomic
def update_record(
    obj: M,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    verb: str = "update",
    permission: str = "change",
) -> M:
    organization = obj.organization  # type: ignore[attr-defined]
    ensure_allowed(actor, organization, permission, obj)
    assert_same_organization(organization, data)
    plain, m2m = _split_m2m(type(obj), data)
    with audit.tracking(
        obj, actor=actor, action=action_name(obj, verb), reason=reason, expected_version=expected_version
    ):
        for name, value in plain.items():
            setattr(obj, name, value)
        obj.full_clean(exclude=[f.name for f in type(obj)._meta.many_to_many])
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
    return obj


@transaction.atomic
def delete_record(obj: models.Model, *, actor: Any, reason: str = "") -> None:
    organization = obj.organization  # type: ignore[attr-defined]
    ensure_allowed(actor, organization, "delete", obj)
    before = audit.snapshot(obj)
    audit.record(
        obj,
        actor=actor,
        action=action_name(obj, "delete"),
        changes={k: [v, None] for k, v in before.items()},
        reason=reason,
    )
    obj.delete()


# --- comments and attachments on any record ------------------------------------------------------


@transaction.atomic
def add_comment(target: Any, *, actor: Any, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    ensure_allowed(actor, target.organization, "comment", Comment)
    comment = Comment.objects.create(
        organization=target.organization,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        author=actor,
        created_by=actor,
        body=body,
    )
    audit.record(target, actor=actor, action="comment.add", changes={"comment": [None, body]})
    return comment


@transaction.atomic
def add_attachment(target: Any, *, actor: Any, upload: UploadedFile, description: str = "") -> Attachment:
    ensure_allowed(actor, target.organization, "attach", Attachment)
    info = inspect_upload(upload)
    attachment = Attachment(
        organization=target.organization,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        original_name=info.safe_name,
        mime_type=info.mime_type,
        size=info.size,
        sha256=info.sha256,
        uploaded_by=actor,
        created_by=actor,
        description=description[:300],
    )
    attachment.file.save(info.safe_name, upload, save=False)
    attachment.save()
    audit.record(
        target,
        actor=actor,
        action="attachment.add",
        changes={
            "attachment": [
                None,
                f"{info.safe_name} ({info.mime_type}, {info.size} bytes, sha256 {info.sha256})",
            ]
        },
    )
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, actor: Any, reason: str) -> None:
    ensure_allowed(actor, attachment.organization, "delete", attachment)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the attachment is removed."})
    target = attachment.target
    if target is None:
        raise ValidationError({"attachment": "The record this file belongs to no longer exists."})
    audit.record(
        target,
        actor=actor,
        action="attachment.remove",
        changes={"attachment": [attachment.original_name, None]},
        reason=reason,
    )
    # The file stays in storage: retained evidence is never destroyed silently.
    attachment.delete()
