"""Mail after commit: assignment notices and the daily digest."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from qualitas.core.background import mail

log = logging.getLogger(__name__)


def wants_mail(organization: Any, user: Any, kind: str) -> bool:
    from qualitas.improvement.models import NotificationPreference

    pref = NotificationPreference.objects.filter(organization=organization, user=user).first()
    if pref is None:
        return True
    return bool(getattr(pref, kind))


def notify_assignment_after_commit(record: Any, user: Any) -> None:
    """Tell ``user`` they now lead ``record``, once the transaction has committed."""
    if not getattr(user, "email", ""):
        return
    organization = record.organization
    subject = _("[%(organization)s] You lead %(record)s") % {
        "organization": organization.name,
        "record": record,
    }
    intro = _("You have been made responsible for %(record)s.") % {"record": record}
    link = record.get_absolute_url()
    user_pk, email = user.pk, user.email

    def send() -> None:
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.filter(pk=user_pk).first()
        if person is not None and wants_mail(organization, person, "email_on_assignment"):
            try:
                mail.send([email], subject, intro=intro, items=[(str(record), "", link)])
            except Exception:  # a mail server that is down must not undo the committed assignment
                log.exception("assignment mail to %s failed", email)

    transaction.on_commit(send)


DUE_SOON_DAYS = 2


def overdue_by_person(organization: Any) -> list[tuple[Any, list[Any]]]:
    """Each person's open actions that are overdue or due within two days, in one organization, for
    people who want the digest (one query for the actions, one for the preferences)."""
    from django.utils import timezone

    from qualitas.actions.queries import open_actions_due_by
    from qualitas.improvement.models import NotificationPreference

    opted_out = set(
        NotificationPreference.objects.filter(organization=organization, daily_digest=False).values_list(
            "user_id", flat=True
        )
    )
    rows = (
        open_actions_due_by(organization, timezone.localdate() + dt.timedelta(days=DUE_SOON_DAYS))
        .exclude(owner_id__in=opted_out)
        .order_by("owner_id", "due_date", "pk")
    )
    grouped: dict[int, tuple[Any, list[Any]]] = {}
    for action in rows:
        grouped.setdefault(action.owner_id, (action.owner, []))[1].append(action)
    return list(grouped.values())


Items = list[tuple[str, str, str]]


def digest_text(organization: Any, user: Any, actions: list[Any]) -> tuple[str, str, Items]:
    """The digest's subject, opening line and items (title, detail, link) for one person."""
    from django.utils import timezone

    today = timezone.localdate()
    late = [a for a in actions if a.due_date < today]
    soon = [a for a in actions if a.due_date >= today]
    items: Items = []
    for a in late:
        detail = _("due %(date)s (%(days)d days overdue)") % {
            "date": a.due_date.isoformat(),
            "days": (today - a.due_date).days,
        }
        items.append((f"{a.reference} {a.title}", detail, a.get_absolute_url()))
    for a in soon:
        detail = _("due %(date)s") % {"date": a.due_date.isoformat()}
        items.append((f"{a.reference} {a.title}", detail, a.get_absolute_url()))
    intro = _(
        "Good morning %(name)s, %(late)d of your actions in %(organization)s are overdue and %(soon)d "
        "are due in the next %(days)d days."
    ) % {
        "name": user.display_name,
        "late": len(late),
        "organization": organization.name,
        "soon": len(soon),
        "days": DUE_SOON_DAYS,
    }
    subject = _("[%(organization)s] %(late)d overdue, %(soon)d due soon") % {
        "organization": organization.name,
        "late": len(late),
        "soon": len(soon),
    }
    return subject, intro, items


def send_digests(organization: Any, *, dry_run: bool = False, out: Any = None) -> int:
    sent = 0
    for user, actions in overdue_by_person(organization):
        subject, intro, items = digest_text(organization, user, actions)
        if out is not None:
            email = user.email or "no e-mail"
            out.write(f"{organization.slug}: {user.username} <{email}> — {len(actions)} action(s)")
        if dry_run or not user.email:
            continue
        mail.send([user.email], subject, intro=intro, items=items)
        sent += 1
    return sent
