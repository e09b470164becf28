"""The 5 Whys and the Ishikawa diagram of a nonconformity: changed while it is still open."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from qualitas.core import audit
from qualitas.core.permissions import ensure_allowed
from qualitas.core.services import delete_record
from qualitas.improvement.choices import NCStatus
from qualitas.improvement.models import IshikawaCause, Nonconformity, WhyStep


def _ensure_analysable(nc: Nonconformity, actor: Any) -> None:
    """The nonconformity, locked and read again, may still have its analysis changed."""
    audit.lock(nc)
    ensure_allowed(actor, nc.organization, "change", nc)
    if nc.status in (NCStatus.CLOSED, NCStatus.CANCELLED):
        raise ValidationError("This nonconformity is finished: its analysis can no longer change.")


@transaction.atomic
def add_why(nc: Nonconformity, *, actor: Any, why: str, because: str) -> WhyStep:
    _ensure_analysable(nc, actor)
    last = (
        WhyStep.objects.filter(nonconformity=nc)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    step = WhyStep(
        organization=nc.organization,
        created_by=actor,
        nonconformity=nc,
        position=(last or 0) + 1,
        why=why.strip(),
        because=because.strip(),
    )
    step.full_clean()
    with audit.tracking(step, actor=actor, action="whystep.create"):
        step.save()
    return step


@transaction.atomic
def delete_why(step: WhyStep, *, actor: Any, reason: str = "") -> None:
    _ensure_analysable(step.nonconformity, actor)
    delete_record(step, actor=actor, reason=reason)


@transaction.atomic
def add_cause(
    nc: Nonconformity, *, actor: Any, category: str, text: str, is_root: bool = False
) -> IshikawaCause:
    _ensure_analysable(nc, actor)
    cause = IshikawaCause(
        organization=nc.organization,
        created_by=actor,
        nonconformity=nc,
        category=category,
        text=text.strip(),
        is_root=False,
    )
    cause.full_clean()
    with audit.tracking(cause, actor=actor, action="ishikawacause.create"):
        cause.save()
    if is_root:
        mark_root_cause(cause, actor=actor)
    return cause


@transaction.atomic
def mark_root_cause(cause: IshikawaCause, *, actor: Any) -> IshikawaCause:
    """Make this cause the root; the previous root (if any) is unmarked, both audited."""
    _ensure_analysable(cause.nonconformity, actor)
    for other in IshikawaCause.objects.filter(nonconformity_id=cause.nonconformity_id, is_root=True).exclude(
        pk=cause.pk
    ):
        with audit.tracking(other, actor=actor, action="ishikawacause.unmark_root"):
            other.is_root = False
            other.save()
    with audit.tracking(cause, actor=actor, action="ishikawacause.mark_root"):
        cause.is_root = True
        cause.save()
    return cause


@transaction.atomic
def delete_cause(cause: IshikawaCause, *, actor: Any, reason: str = "") -> None:
    _ensure_analysable(cause.nonconformity, actor)
    delete_record(cause, actor=actor, reason=reason)
