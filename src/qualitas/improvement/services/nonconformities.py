"""Writes of the nonconformity itself: reporting it (also from other areas), editing, linking, the
corrective-action loop's steps, its root cause and recurrence, its actions and its disposition (8.7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from qualitas.actions.choices import ActionKind, Priority
from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import (
    add_attachment,
    assert_same_organization,
    create_numbered,
    delete_record,
    ensure_member,
    update_record,
    workflow_step,
)
from qualitas.improvement import queries
from qualitas.improvement.choices import Disposition, NCStatus, Source, Verdict
from qualitas.improvement.models import CauseCategory, Nonconformity, NonconformityLink
from qualitas.improvement.workflow import NC_WORKFLOW

NC_FIELDS = (
    "title",
    "description",
    "source",
    "severity",
    "process",
    "site",
    "product",
    "lot",
    "quantity",
    "detected_on",
    "detected_by",
    "owner",
    "due_date",
    "containment",
    "cost",
)


def _check_codes(organization: Any, data: dict[str, Any], current: Nonconformity | None = None) -> None:
    """``source`` and ``severity`` must be codes of the organization's lists; a retired code is only
    accepted where the record already holds it."""
    found = queries.settings_for(organization)
    for kind in ("source", "severity"):
        if kind not in data:
            continue
        code = data[kind]
        entry = next((e for e in found.entries(kind) if e["code"] == code), None)
        if entry is None:
            raise ValidationError({kind: f"“{code}” is not a {kind} of this organization."})
        if entry.get("retired") and (current is None or getattr(current, kind) != code):
            raise ValidationError({kind: f"“{entry['label']}” is retired: choose another {kind}."})


@transaction.atomic
def open_nonconformity(
    *, organization: Any, actor: Any, data: dict[str, Any], related: Sequence[models.Model] = ()
) -> Nonconformity:
    """Report a nonconformity. Other areas (inspection, internal audit) call this with ``related``
    records (a reading, a finding) that are linked to it. ``actor`` may be None from a job."""
    ensure_allowed(actor, organization, "add", Nonconformity)
    unknown = set(data) - set(NC_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown field(s): {', '.join(sorted(unknown))}."})
    data = {k: v for k, v in data.items() if v is not None or k in ("quantity", "cost", "process")}
    data.setdefault("detected_on", timezone.localdate())
    if data.get("detected_by") is None and actor is not None:
        data["detected_by"] = actor
    assert_same_organization(organization, {"related": list(related)})
    _check_codes(organization, data)
    for name in ("description", "product", "lot", "containment"):
        if data.get(name) is None:
            data.pop(name, None)
    nc = create_numbered(
        Nonconformity,
        organization=organization,
        actor=actor,
        data=data,
        prefix="NC",
        members=("detected_by", "owner"),
    )
    for record in related:
        link_record(nc, record, actor=actor)
    if nc.owner_id and nc.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(nc, nc.owner)
    return nc


@transaction.atomic
def link_record(nc: Nonconformity, record: models.Model, *, actor: Any) -> NonconformityLink:
    """Link any record of the same organization to a nonconformity (refuses other organizations)."""
    ensure_allowed(actor, nc.organization, "add", NonconformityLink)
    org_id = getattr(record, "organization_id", None)
    if not isinstance(record, models.Model) or record.pk is None or org_id is None:
        raise ValidationError({"related": "Only saved records of this organization can be linked."})
    if org_id != nc.organization_id:
        raise ValidationError({"related": "This record belongs to another organization."})
    ct = ContentType.objects.get_for_model(record)
    existing = NonconformityLink.objects.filter(
        nonconformity=nc, content_type=ct, object_id=record.pk
    ).first()
    if existing is not None:
        return existing
    link = NonconformityLink(
        organization=nc.organization, created_by=actor, nonconformity=nc, content_type=ct, object_id=record.pk
    )
    with audit.tracking(link, actor=actor, action="nonconformitylink.create"):
        link.save()
    audit.record(
        nc,
        actor=actor,
        action="nonconformity.link",
        changes={"linked": [None, f"{ct.app_label}.{ct.model}:{record.pk} {record}"[:300]]},
    )
    return link


def update_nonconformity(
    nc: Nonconformity,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Nonconformity:
    for name in ("detected_by", "owner"):
        ensure_member(nc.organization, data.get(name), name)
    previous_owner: list[int | None] = []

    def checked(fresh: Nonconformity, data: dict[str, Any]) -> dict[str, Any]:
        _check_codes(fresh.organization, data, fresh)
        previous_owner.append(fresh.owner_id)
        if data.get("detected_on") is None:
            data = {**data, "detected_on": fresh.detected_on}
        return data

    nc = update_record(
        nc, actor=actor, data=data, expected_version=expected_version, reason=reason, prepare=checked
    )
    if nc.owner_id and nc.owner_id != previous_owner[0] and nc.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(nc, nc.owner)
    return nc


def delete_nonconformity(nc: Nonconformity, *, actor: Any, reason: str = "") -> None:
    def unreferenced(fresh: Nonconformity) -> None:
        if fresh.recurrences.exists() or fresh.lessons.exists():
            raise ValidationError(
                "Linked recurrences or lessons refer to this nonconformity: cancel it instead."
            )

    delete_record(nc, actor=actor, reason=reason, check=unreferenced)


@transaction.atomic
def report_nonconformity(
    *, organization: Any, actor: Any, data: dict[str, Any], photo: Any = None
) -> Nonconformity:
    """The operator's quick report: a few fields and an optional photo, in one transaction."""
    nc = open_nonconformity(organization=organization, actor=actor, data={**data, "source": Source.PROCESS})
    if photo:
        add_attachment(nc, actor=actor, upload=photo, description="Photo taken when reported")
    return nc


@transaction.atomic
def transition_nonconformity(
    nc: Nonconformity,
    name: str,
    *,
    actor: Any,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Nonconformity:
    """One step of the corrective-action loop, with its gates (see workflow.NC_WORKFLOW)."""
    with workflow_step(nc, NC_WORKFLOW, name, actor=actor, reason=reason, expected_version=expected_version):
        if name in ("contain", "analyse") and note.strip():
            nc.containment = note.strip()
        if name in ("close", "not_effective"):
            _check_verifier(nc, actor)
        # ``at`` back-dates the verdict when a paper log is entered (demo, imports); pages and API never
        # send it.
        now = at or timezone.now()
        if name == "close":
            nc.verdict, nc.verdict_note = Verdict.EFFECTIVE, note.strip()
            nc.verified_by, nc.verified_at, nc.closed_at = actor, now, now
            nc.effectiveness_questioned = False
        elif name == "not_effective":
            nc.verdict, nc.verdict_note = Verdict.NOT_EFFECTIVE, (note.strip() or reason)
            nc.verified_by, nc.verified_at = actor, now
        elif name == "cancel":
            nc.cancel_reason = reason
            nc.closed_at = now
    return nc


def _check_verifier(nc: Nonconformity, actor: Any) -> None:
    if actor is None:
        raise TransitionError("The effectiveness verdict needs a person.")
    if queries.settings_for(nc.organization).independent_verification:
        owners = queries.action_owner_ids(nc)
        if actor.pk in owners:
            raise TransitionError(
                "The effectiveness verdict must come from someone who owns none of the actions."
            )


@transaction.atomic
def set_root_cause(
    nc: Nonconformity, *, actor: Any, cause_category: CauseCategory, root_cause: str = ""
) -> Nonconformity:
    """Record the root-cause category and statement, then look for a recurrence."""
    assert_same_organization(nc.organization, {"cause_category": cause_category})
    with audit.tracking(nc, actor=actor, action="nonconformity.root_cause"):
        ensure_allowed(actor, nc.organization, "change", nc)
        if nc.status not in (
            NCStatus.REPORTED,
            NCStatus.CONTAINMENT,
            NCStatus.ANALYSIS,
            NCStatus.ACTION_PLAN,
        ):
            raise ValidationError({"cause_category": "The root cause can only change before implementation."})
        nc.cause_category = cause_category
        nc.root_cause = root_cause.strip()
        nc.save()
    check_recurrence(nc, actor=actor)
    return nc


@transaction.atomic
def check_recurrence(nc: Nonconformity, *, actor: Any) -> Nonconformity | None:
    """Flag ``nc`` as a recurrence of a nonconformity with the same root-cause category, process and
    product closed within the organization's window; question that one's effectiveness."""
    if nc.cause_category_id is None or nc.recurrence_of_id is not None:
        return None
    prior = queries.recurrence_source(nc)
    if prior is None:
        return None
    with audit.tracking(
        nc,
        actor=actor,
        action="nonconformity.recurrence_flagged",
        reason=f"Same cause, process and product as {prior.reference}",
    ):
        nc.recurrence_of = prior
        nc.save()
    with audit.tracking(
        prior,
        actor=actor,
        action="nonconformity.effectiveness_questioned",
        reason=f"Recurred as {nc.reference}",
    ):
        prior.effectiveness_questioned = True
        prior.save()
    qm = queries.quality_manager(nc.organization)
    if qm is not None:
        add_nc_action(
            prior,
            actor=actor,
            data={
                "title": f"Review effectiveness of {prior.reference}: it recurred as {nc.reference}",
                "kind": ActionKind.CORRECTIVE,
                "owner": qm,
                "priority": Priority.HIGH,
                "due_date": timezone.localdate() + dt.timedelta(days=14),
                "description": (
                    "The same root-cause category, process and product came back within the "
                    "recurrence window. Check why the corrective action did not hold."
                ),
            },
        )
    return prior


@transaction.atomic
def add_nc_action(nc: Nonconformity, *, actor: Any, data: dict[str, Any]) -> Any:
    """Plan an action (correction, corrective, preventive, improvement) about a nonconformity."""
    from qualitas.actions.services import create_action

    action = create_action(organization=nc.organization, actor=actor, data=data, subject=nc)
    audit.record(
        nc, actor=actor, action="nonconformity.action_added", changes={"action": [None, str(action)]}
    )
    if action.owner_id != getattr(actor, "pk", None):
        from qualitas.improvement import notifications

        notifications.notify_assignment_after_commit(action, action.owner)
    return action


@transaction.atomic
def set_disposition(
    nc: Nonconformity, *, actor: Any, disposition: str, concession_reference: str = "", reason: str = ""
) -> Nonconformity:
    """Propose what happens to the nonconforming output; any change withdraws a past authorisation."""
    if disposition not in Disposition.values or not disposition:
        raise ValidationError({"disposition": "Choose a disposition."})
    if disposition == Disposition.CONCESSION and not concession_reference.strip():
        raise ValidationError(
            {"concession_reference": "A concession needs its reference (customer or internal)."}
        )
    with audit.tracking(nc, actor=actor, action="nonconformity.disposition", reason=reason):
        ensure_allowed(actor, nc.organization, "change", nc)
        nc.disposition = disposition
        nc.concession_reference = concession_reference.strip()
        nc.disposition_authorised_by = None
        nc.disposition_authorised_at = None
        nc.save()
    return nc


@transaction.atomic
def authorise_disposition(nc: Nonconformity, *, actor: Any, reason: str = "") -> Nonconformity:
    """The authority deciding the action on the nonconforming output signs it off (role-gated)."""
    with audit.tracking(nc, actor=actor, action="nonconformity.disposition_authorised", reason=reason):
        ensure_allowed(actor, nc.organization, "authorise", nc)
        if not nc.disposition:
            raise ValidationError({"disposition": "Propose a disposition before authorising it."})
        if nc.disposition_authorised_by_id is not None:
            raise ValidationError({"disposition": "This disposition is already authorised."})
        nc.disposition_authorised_by = actor
        nc.disposition_authorised_at = timezone.now()
        nc.save()
    return nc
