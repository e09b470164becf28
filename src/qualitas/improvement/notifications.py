"""Mail after commit: assignment notices and the daily digest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


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
    subject = f"[{organization.name}] You lead {record}"
    body = (
        f"You have been made responsible for {record}.\n\n"
        f"Open it: {getattr(settings, 'QUALITAS_BASE_URL', '')}{record.get_absolute_url()}\n"
    )
    user_pk, email = user.pk, user.email

    def send() -> None:
        from django.contrib.auth import get_user_model

        person = get_user_model().objects.filter(pk=user_pk).first()
        if person is not None and wants_mail(organization, person, "email_on_assignment"):
            send_mail(subject, body, None, [email], fail_silently=True)

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


def digest_text(organization: Any, user: Any, actions: list[Any]) -> tuple[str, str]:
    from django.utils import timezone

    today = timezone.localdate()
    base = getattr(settings, "QUALITAS_BASE_URL", "")
    late = [a for a in actions if a.due_date < today]
    soon = [a for a in actions if a.due_date >= today]
    lines = [f"Good morning {user.display_name},", ""]
    if late:
        lines += [f"{len(late)} of your actions in {organization.name} are overdue:", ""]
        lines += [
            f"- {a.reference} {a.title} — due {a.due_date.isoformat()} "
            f"({(today - a.due_date).days} days overdue)  {base}{a.get_absolute_url()}"
            for a in late
        ]
        lines.append("")
    if soon:
        lines += [f"Due in the next {DUE_SOON_DAYS} days:", ""]
        lines += [
            f"- {a.reference} {a.title} — due {a.due_date.isoformat()}  {base}{a.get_absolute_url()}"
            for a in soon
        ]
        lines.append("")
    lines.append("You can turn this digest off under Improve → My notifications.")
    subject = f"[{organization.name}] {len(late)} overdue, {len(soon)} due soon"
    return subject, "\n".join(lines)


def send_digests(organization: Any, *, dry_run: bool = False, out: Any = None) -> int:
    sent = 0
    for user, actions in overdue_by_person(organization):
        subject, body = digest_text(organization, user, actions)
        if out is not None:
            email = user.email or "no e-mail"
            out.write(f"{organization.slug}: {user.username} <{email}> — {len(actions)} action(s)")
        if dry_run or not user.email:
            continue
        send_mail(subject, body, None, [user.email], fail_silently=False)
        sent += 1
    return sent
