"""Generic writers that domain services build on. Each is one transaction, checks the actor's role,
checks that every related record belongs to the same organization, and leaves an audit event.

Every write acts on the locked, freshly read row (docs/adr/0010-writes-act-on-the-locked-fresh-row.md):
``update_record`` and ``workflow_step`` check the record's state inside ``audit.tracking``, and a
save there writes only the fields the block changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from qualitas.core import audit, numbering
from qualitas.core.files import inspect_upload
from qualitas.core.models import Attachment, Comment, TenantModel, is_active_member
from qualitas.core.permissions import ensure_allowed
from qualitas.core.types import Actor, Tenant
from qualitas.core.workflow import Workflow

M = TypeVar("M", bound=models.Model)
T = TypeVar("T", bound=TenantModel)

# (the locked, fresh record, the data asked for) -> the data to apply; may raise ValidationError.
Prepare = Callable[[Any, dict[str, Any]], dict[str, Any]]


def action_name(model: type[models.Model] | models.Model, verb: str) -> str:
    return f"{model._meta.model_name}.{verb}"


def assert_same_organization(organization: Tenant, values: dict[str, Any]) -> None:
    """Refuse a link to a record of another organization (forms already limit choices)."""
    for name, value in values.items():
        items = value if isinstance(value, (list, tuple, set, models.QuerySet)) else [value]
        for item in items:
            org_id = getattr(item, "organization_id", None)
            if isinstance(item, models.Model) and org_id is not None and org_id != organization.pk:
                raise ValidationError({name: "This record belongs to another organization."})


def ensure_member(organization: Tenant, user: Any, field: str) -> None:
    """Refuse a person (or any of several) who is not an active member of the organization.

    ``None`` passes: whether the field may be empty is the model's rule (``full_clean``)."""
    people = user if isinstance(user, (list, tuple, set, models.QuerySet)) else [user]
    for person in people:
        if person is not None and not is_active_member(organization, person):
            raise ValidationError(
                {field: _("%(person)s is not an active member of this organization.") % {"person": person}}
            )


def _split_m2m(model: type[models.Model], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    m2m_names = {f.name for f in model._meta.many_to_many}
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    m2m = {k: v for k, v in data.items() if k in m2m_names}
    return plain, m2m


@transaction.atomic
def create_record(
    model: type[M],
    *,
    organization: Tenant,
    actor: Actor,
    data: dict[str, Any],
    reason: str = "",
    verb: str = "create",
    members: Iterable[str] = (),
    prepare: Callable[[M], None] | None = None,
) -> M:
    """Create one record: role check, same-organization check, ``members`` (fields naming people)
    checked with ``ensure_member``, ``prepare(obj)`` for what the data alone does not say, then
    ``full_clean`` and the save with its event."""
    ensure_allowed(actor, organization, "add", model)
    assert_same_organization(organization, data)
    for name in members:
        ensure_member(organization, data.get(name), name)
    plain, m2m = _split_m2m(model, data)
    obj = model(organization=organization, **plain)
    if isinstance(obj, TenantModel):
        obj.created_by = actor  # type: ignore[assignment]
    if prepare is not None:
        prepare(obj)
    obj.full_clean(exclude=[f.name for f in model._meta.many_to_many])
    with audit.tracking(obj, actor=actor, action=action_name(model, verb), reason=reason):
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
    return obj


def create_numbered(
    model: type[M],
    *,
    organization: Tenant,
    actor: Actor,
    data: dict[str, Any],
    prefix: str,
    reason: str = "",
    members: Iterable[str] = (),
    prepare: Callable[[M], None] | None = None,
    yearly: bool = True,
    width: int = 4,
) -> M:
    """``create_record`` for a record with a reference number (``NC-2026-0007``) in ``reference``,
    taken from the organization's gap-free counter in the same transaction."""

    def numbered(obj: M) -> None:
        if prepare is not None:
            prepare(obj)
        obj.reference = numbering.next_reference(  # type: ignore[attr-defined]
            organization, prefix, yearly=yearly, width=width
        )

    return create_record(
        model,
        organization=organization,
        actor=actor,
        data=data,
        reason=reason,
        members=members,
        prepare=numbered,
    )


@transaction.atomic
def update_record(
    obj: M,
    *,
    actor: Actor,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
    verb: str = "update",
    permission: str = "change",
    prepare: Prepare | None = None,
) -> M:
    """Apply ``data`` to the locked, fresh row. ``prepare(obj, data)`` runs on that row first and
    returns the data to apply: checks of the record's state and values derived from it go there,
    never on the copy the caller read."""
    organization = getattr(obj, "organization")  # noqa: B009 - every record has one
    assert_same_organization(organization, data)
    with audit.tracking(
        obj, actor=actor, action=action_name(obj, verb), reason=reason, expected_version=expected_version
    ):
        ensure_allowed(actor, organization, permission, obj)
        if prepare is not None:
            data = prepare(obj, data)
        plain, m2m = _split_m2m(type(obj), data)
        for name, value in plain.items():
            setattr(obj, name, value)
        obj.full_clean(exclude=[f.name for f in type(obj)._meta.many_to_many])
        obj.save()
        for name, value in m2m.items():
            getattr(obj, name).set(value)
    return obj


@transaction.atomic
def delete_record(
    obj: models.Model, *, actor: Actor, reason: str = "", check: Callable[[Any], None] | None = None
) -> None:
    """Delete one record with an event holding its last values, read from the locked row;
    ``check(obj)`` refuses (``ValidationError``) on that row, e.g. for a state that is kept."""
    organization = getattr(obj, "organization")  # noqa: B009 - every record has one
    audit.lock(obj)
    ensure_allowed(actor, organization, "delete", obj)
    if check is not None:
        check(obj)
    before = audit.snapshot(obj)
    audit.record(
        obj,
        actor=actor,
        action=action_name(obj, "delete"),
        changes={k: [v, None] for k, v in before.items()},
        reason=reason,
    )
    obj.delete()


@contextmanager
def workflow_step(
    obj: M,
    workflow: Workflow,
    name: str,
    *,
    actor: Actor,
    reason: str = "",
    expected_version: int | None = None,
    event_reason: str | None = None,
    system: bool = False,
) -> Iterator[M]:
    """Take one workflow step on the locked, fresh row; the one way services change a state.

    Inside ``audit.tracking`` the row is locked and ``obj`` reloaded in place, ``expected_version``
    checked, then the transition's source state, the actor's role (skipped with ``system=True``:
    steps the system takes for a signature or a release) and the reason are checked on that row
    and the target state set. The block records what the step brings (notes, who and when); then
    the guard is checked on the record as the block leaves it and the changed fields are saved,
    with one event ``<model>.<name>``. Runs inside the service's transaction::

        with workflow_step(action, ACTION_WORKFLOW, name, actor=actor, reason=reason):
            action.completion_note = note or action.completion_note
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a workflow step runs inside the service's transaction")
    with audit.tracking(
        obj,
        actor=actor,
        action=action_name(obj, name),
        reason=reason if event_reason is None else event_reason,
        expected_version=expected_version,
    ):
        step = workflow.begin(obj, name, actor=None if system else actor, reason=reason)
        yield obj
        workflow.finish(obj, step)
        obj.save()


# --- comments and attachments on any record ------------------------------------------------------


@transaction.atomic
def add_comment(target: Any, *, actor: Actor, body: str) -> Comment:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something before posting."})
    ensure_allowed(actor, target.organization, "comment", Comment)
    comment = Comment.objects.create(
        organization=target.organization,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        author_id=getattr(actor, "pk", None),
        created_by_id=getattr(actor, "pk", None),
        body=body,
    )
    audit.record(target, actor=actor, action="comment.add", changes={"comment": [None, body]})
    return comment


@transaction.atomic
def add_attachment(target: Any, *, actor: Actor, upload: UploadedFile, description: str = "") -> Attachment:
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
        uploaded_by_id=getattr(actor, "pk", None),
        created_by_id=getattr(actor, "pk", None),
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
def remove_attachment(attachment: Attachment, *, actor: Actor, reason: str) -> None:
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
