"""Programmes, the auditor register and calendar addresses (the rest of their writes are core's
generic writers)."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qualitas.audits.models import Auditor, AuditProgramme, CalendarSubscription
from qualitas.core import audit as trail
from qualitas.core.exceptions import TransitionError
from qualitas.core.models import is_active_member
from qualitas.core.services import create_record, delete_record, ensure_member, update_record

# --- programme -----------------------------------------------------------------------------------


def delete_programme(programme: AuditProgramme, *, actor: Any, reason: str = "") -> None:
    def without_audits(fresh: AuditProgramme) -> None:
        if fresh.audits.exists():
            raise ValidationError(_("The programme has audits; cancel or move them first."))

    delete_record(programme, actor=actor, reason=reason, check=without_audits)


# --- auditors ------------------------------------------------------------------------------------


def create_auditor(*, organization: Any, actor: Any, data: dict[str, Any]) -> Auditor:
    ensure_member(organization, data.get("user"), "user")
    if Auditor.objects.filter(organization=organization, user=data.get("user")).exists():
        raise ValidationError({"user": _("This person is already in the auditor register.")})
    return create_record(Auditor, organization=organization, actor=actor, data=data)


def update_auditor(
    auditor: Auditor,
    *,
    actor: Any,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Auditor:
    ensure_member(auditor.organization, data.get("user"), "user")
    return update_record(auditor, actor=actor, data=data, expected_version=expected_version, reason=reason)


def delete_auditor(auditor: Auditor, *, actor: Any, reason: str = "") -> None:
    def not_named_on_audits(fresh: Auditor) -> None:
        if fresh.led_audits.exists() or fresh.team_audits.exists():
            raise ValidationError(_("The auditor is named on audits; mark them inactive instead."))

    delete_record(auditor, actor=actor, reason=reason, check=not_named_on_audits)


# --- calendar ------------------------------------------------------------------------------------


@transaction.atomic
def calendar_subscription(organization: Any, *, actor: Any, reset: bool = False) -> CalendarSubscription:
    """The member's calendar address (created on first use; ``reset`` makes the old one stop working)."""
    if actor is None or not is_active_member(organization, actor):
        raise TransitionError(_("Only a member has a calendar address."))
    sub = CalendarSubscription.objects.filter(organization=organization, user=actor).first()
    if sub is None:
        sub = CalendarSubscription(
            organization=organization, user=actor, created_by=actor, token=secrets.token_urlsafe(32)
        )
        with trail.tracking(sub, actor=actor, action="calendarsubscription.create"):
            sub.save()
    elif reset:
        with trail.tracking(sub, actor=actor, action="calendarsubscription.reset"):
            sub.token = secrets.token_urlsafe(32)
            sub.save()
    return sub
