"""Electronic signatures: the re-entered password, checked last and throttled per person.

Every area that signs (document review and approval, lot release) first decides whether this person
may sign this record now (role, designated signer, state) and refuses without looking at the
password; only then it calls ``check_password``. So the answer to someone who may not sign never
depends on whether the password was right, and the password cannot be guessed through a signature.

``check_password`` counts wrong passwords per person: after ``QUALITAS_SIGNING_MAX_FAILURES``
(default 5) within ``QUALITAS_SIGNING_LOCK_MINUTES`` (default 15) signing is locked for that many
minutes, and every attempt meanwhile is refused without checking the password. The state lives in
the audit trail itself: each wrong password is a ``signature.refused`` event on the record, the
lockout a ``signature.locked`` event on the person's membership (or the record). The person's row is
locked while one attempt is decided, so parallel guesses are counted one after the other.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from qualitas.core import audit
from qualitas.core.background import mail
from qualitas.core.models import AuditEvent
from qualitas.core.permissions import membership_of

log = logging.getLogger(__name__)

REFUSED = "signature.refused"
LOCKED = "signature.locked"
WRONG_PASSWORD = "wrong password"


def max_failures() -> int:
    return int(getattr(settings, "QUALITAS_SIGNING_MAX_FAILURES", 5))


def lock_period() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "QUALITAS_SIGNING_LOCK_MINUTES", 15)))


def _locked_text(until: dt.datetime) -> str:
    when = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
    return _(
        "Signing is locked after %(count)d wrong passwords; nothing was signed. Try again after %(when)s."
    ) % {"count": max_failures(), "when": when}


def _last_lock(actor: Any) -> AuditEvent | None:
    return AuditEvent.objects.filter(actor_id=actor.pk, action=LOCKED).order_by("-pk").first()


def locked_until(actor: Any, now: dt.datetime | None = None) -> dt.datetime | None:
    """When this person's signing lock ends, or None when they may sign."""
    last = _last_lock(actor)
    if last is None:
        return None
    until = last.created_at + lock_period()
    return until if until > (now or timezone.now()) else None


def check_password(
    actor: Any, password: str, *, record: models.Model, changes: dict[str, Any] | None = None
) -> None:
    """Refuse (``ValidationError`` on ``password``) unless signing is not locked for ``actor`` and
    ``password`` is theirs. Call it after every other check and outside the signing transaction:
    a wrong password is kept in the audit trail (on ``record``, with ``changes``) in its own
    transaction, and the failure that reaches the limit locks signing, records the lockout and tells
    the person."""
    with transaction.atomic():
        # One attempt at a time per person: the count below cannot be raced past the limit.
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values_list("pk"))
        now = timezone.now()
        until = locked_until(actor, now)
        if until is not None:
            refusal = _locked_text(until)
        elif password and actor.check_password(password):
            return
        else:
            until = _count_failure(actor, record, changes or {}, now)
            refusal = _locked_text(until) if until else _("The password is not correct; nothing was signed.")
    raise ValidationError({"password": refusal})


def _count_failure(
    actor: Any, record: models.Model, changes: dict[str, Any], now: dt.datetime
) -> dt.datetime | None:
    """Record one wrong password; lock signing when it reaches the limit (the lock's end, or None)."""
    audit.record(
        record,
        actor=actor,
        action=REFUSED,
        changes={**changes, "refusal": [None, WRONG_PASSWORD]},
        reason=WRONG_PASSWORD,
    )
    recent = AuditEvent.objects.filter(
        actor_id=actor.pk, action=REFUSED, reason=WRONG_PASSWORD, created_at__gte=now - lock_period()
    )
    last = _last_lock(actor)
    if last is not None:
        recent = recent.filter(pk__gt=last.pk)
    if recent.count() < max_failures():
        return None
    organization = getattr(record, "organization")  # noqa: B009 - every signed record has one
    membership = membership_of(actor, organization)
    on = membership if isinstance(membership, models.Model) else record
    event = audit.record(
        on,
        actor=actor,
        action=LOCKED,
        changes={"locked_until": [None, (now + lock_period()).isoformat()]},
        reason=_("%(count)d wrong passwords while signing %(record)s")
        % {"count": max_failures(), "record": record},
    )
    until = event.created_at + lock_period()
    _tell(actor, until)
    return until


def _tell(actor: Any, until: dt.datetime) -> None:
    """Mail the person that signing is locked (after commit; a security notice, always sent)."""
    email = getattr(actor, "email", "")
    if not email:
        return
    subject = _("Signing is locked on your account")
    body = _(
        "Wrong passwords were entered %(count)d times while signing with your account. Signing is locked "
        "until %(when)s. If it was not you, change your password and tell your administrator."
    ) % {"count": max_failures(), "when": formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")}

    def send() -> None:
        try:
            mail.send([email], subject, intro=body)
        except Exception:  # the lock stands whether or not the mail server answers
            log.exception("signing-lock mail to %s failed", email)

    transaction.on_commit(send)
