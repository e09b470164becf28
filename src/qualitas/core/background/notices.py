"""The notification centre: one notice per person and key, delivered by the person's channel.

Areas register event types (``registry.notice_kinds``) and reminder sources (``registry.due_sources``);
``notify`` records a notice once (a second call with the same key tells nobody anything), the daily
reminder sweep turns due items into reminders at the configured offsets, and delivery mails what is
owed: at once (channel "mail") or in one daily digest per person (channel "digest")."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitas.core.background import mail
from qualitas.core.background.models import Channel, Notice, NoticePreference
from qualitas.core.models import membership_model
from qualitas.core.registry import DueItem, NoticeKind, registry

logger = logging.getLogger(__name__)

KEY_CHUNK = 500


def kind_of(key: str) -> NoticeKind:
    return registry.notice_kinds.get(key) or NoticeKind(key, key.replace("_", " ").replace(".", ": "))


def default_channel(kind: str) -> str:
    return Channel.MAIL if kind_of(kind).default_mail else Channel.IN_APP


def channels_of(organization: Any, user_ids: Iterable[int]) -> dict[tuple[int, str], str]:
    """(user id, kind) -> channel the people chose (one query)."""
    rows = NoticePreference.objects.filter(organization=organization, user_id__in=list(user_ids))
    return {(p.user_id, p.kind): p.channel for p in rows}


def set_preferences(organization: Any, user: Any, choices: dict[str, str]) -> None:
    """Keep ``user``'s channel per kind (a kind's default is stored as no preference)."""
    with transaction.atomic():
        for kind, channel in choices.items():
            if channel not in Channel.values or kind not in registry.notice_kinds:
                raise ValueError(f"unknown notice kind or channel: {kind}={channel}")
            rows = NoticePreference.objects.filter(organization=organization, user=user, kind=kind)
            if channel == default_channel(kind):
                rows.delete()
            else:
                rows.update_or_create(
                    organization=organization, user=user, kind=kind, defaults={"channel": channel}
                )


def active_member_ids(organization: Any) -> set[int]:
    return set(
        membership_model()
        ._default_manager.filter(organization=organization, is_active=True, user__is_active=True)
        .values_list("user_id", flat=True)
    )


def _new_notice(
    organization: Any, recipient_id: int, kind: str, key: str, channel: str, **fields: Any
) -> Notice:
    return Notice(
        organization=organization,
        recipient_id=recipient_id,
        kind=kind,
        key=key[:300],
        channel=channel,
        mail_pending=channel != Channel.IN_APP,
        **fields,
    )


def notify(
    organization: Any,
    recipient: Any,
    kind: str,
    *,
    key: str,
    title: str,
    url: str = "",
    body: str = "",
) -> Notice | None:
    """Tell ``recipient`` once per ``key``: the notice, or None when they were told already (or are
    no active member). A mail owed at once goes out after the transaction commits."""
    if recipient is None or recipient.pk not in active_member_ids(organization):
        return None
    channel = channels_of(organization, [recipient.pk]).get((recipient.pk, kind), default_channel(kind))
    notice, created = Notice.objects.get_or_create(
        organization=organization,
        recipient=recipient,
        key=key[:300],
        defaults={
            "kind": kind,
            "title": title[:300],
            "url": url[:500],
            "body": body,
            "channel": channel,
            "mail_pending": channel != Channel.IN_APP,
        },
    )
    if not created:
        return None
    if channel == Channel.MAIL:
        org_id = organization.pk
        transaction.on_commit(lambda: deliver_mail(organization_id=org_id, pks=[notice.pk]))
    return notice


# --- reminders ---------------------------------------------------------------------------------------


def reminder_offset(due: dt.date, today: dt.date, offsets: list[int]) -> int | None:
    """The reminder due today for an item due on ``due``: the nearest offset whose day has come
    (0: on the day and after), or None while the first is still ahead."""
    for offset in sorted(offsets):
        if today >= due - dt.timedelta(days=offset):
            return offset
    return None


def due_items(organization: Any, until: dt.date) -> list[DueItem]:
    items: list[DueItem] = []
    for key in sorted(registry.due_sources):
        items += registry.due_sources[key](organization, until)
    return items


def reminder_key(item: DueItem, offset: int) -> str:
    return f"remind:{item.key}:{item.owner_id}:{item.due.isoformat()}:{offset}"


def reminder_title(item: DueItem, offset: int, today: dt.date) -> str:
    if item.due < today:
        return _("Overdue since %(date)s: %(title)s") % {"date": item.due.isoformat(), "title": item.title}
    if item.due == today:
        return _("Due today: %(title)s") % {"title": item.title}
    days = (item.due - today).days
    return _("Due in %(days)s day(s), on %(date)s: %(title)s") % {
        "days": days,
        "date": item.due.isoformat(),
        "title": item.title,
    }


def send_reminders(organization: Any, today: dt.date) -> str:
    """The daily sweep: one reminder per item, owner, due date and offset; reminders of items that
    moved (owner, date) or are no longer due are cancelled. Safe to run again at any time."""
    offsets: list[int] = list(settings.QUALITAS_REMINDER_OFFSETS)
    until = today + dt.timedelta(days=max(offsets))
    members = active_member_ids(organization)
    wanted: dict[tuple[int, str], tuple[DueItem, int]] = {}
    current: set[tuple[str, int, dt.date]] = set()
    for item in due_items(organization, until):
        if item.owner_id not in members:
            continue
        current.add((item.key, item.owner_id, item.due))
        offset = reminder_offset(item.due, today, offsets)
        if offset is not None:
            wanted[(item.owner_id, reminder_key(item, offset))] = (item, offset)
    existing: set[tuple[int, str]] = set()
    keys = sorted({k for _owner, k in wanted})
    for start in range(0, len(keys), KEY_CHUNK):
        existing.update(
            Notice.objects.filter(
                organization=organization, key__in=keys[start : start + KEY_CHUNK]
            ).values_list("recipient_id", "key")
        )
    missing = [k for k in wanted if k not in existing]
    chosen = channels_of(organization, {owner for owner, _k in missing})
    new = []
    for owner, key in missing:
        item, offset = wanted[(owner, key)]
        new.append(
            _new_notice(
                organization,
                owner,
                item.kind,
                key,
                chosen.get((owner, item.kind), default_channel(item.kind)),
                title=reminder_title(item, offset, today)[:300],
                url=item.url[:500],
                item_key=item.key[:200],
                due=item.due,
            )
        )
    with transaction.atomic():
        Notice.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    cancelled = cancel_stale_reminders(organization, current)
    mailed = deliver_mail(organization_id=organization.pk)
    return _("%(new)s reminder(s), %(cancelled)s cancelled, %(mailed)s mail(s) sent") % {
        "new": len(new),
        "cancelled": cancelled,
        "mailed": mailed,
    }


def cancel_stale_reminders(organization: Any, current: set[tuple[str, int, dt.date]]) -> int:
    """Unread reminders whose item is no longer due for that owner on that date leave the bell."""
    open_reminders = (
        Notice.objects.filter(organization=organization, read_at__isnull=True, cancelled_at__isnull=True)
        .exclude(item_key="")
        .values_list("pk", "item_key", "recipient_id", "due")
    )
    stale = [pk for pk, item, owner, due in open_reminders if (item, owner, due) not in current]
    for start in range(0, len(stale), KEY_CHUNK):
        Notice.objects.filter(organization=organization, pk__in=stale[start : start + KEY_CHUNK]).update(
            cancelled_at=timezone.now(), mail_pending=False
        )
    return len(stale)


# --- delivery ----------------------------------------------------------------------------------------


def _claim(organization_id: int, pks: list[int]) -> int:
    """Take notices' owed mail for this delivery (so two workers never send one mail twice)."""
    return Notice.objects.filter(organization_id=organization_id, pk__in=pks, mail_pending=True).update(
        mail_pending=False
    )


def deliver_mail(*, organization_id: int, pks: list[int] | None = None) -> int:
    """Send the mail owed at once (channel "mail"); a mail that fails stays owed for the next run."""
    pending = Notice.objects.filter(
        organization_id=organization_id, mail_pending=True, channel=Channel.MAIL
    ).select_related("recipient", "organization")
    if pks is not None:
        pending = pending.filter(pk__in=pks)
    sent = 0
    for notice in list(pending):
        if not notice.recipient.email or not _claim(organization_id, [notice.pk]):
            continue
        try:
            mail.send(
                [notice.recipient.email],
                f"[{notice.organization.name}] {notice.title}"[:250],
                intro=notice.body or notice.title,
                items=[(notice.title, "", notice.url)] if notice.url else [],
            )
        except Exception:
            Notice.objects.filter(organization_id=organization_id, pk=notice.pk).update(mail_pending=True)
            raise
        Notice.objects.filter(organization_id=organization_id, pk=notice.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent


def send_digests(organization: Any, today: dt.date) -> str:
    """One mail per person with every notice owed to the daily digest; each notice goes in one digest."""
    pending = (
        Notice.objects.filter(organization=organization, mail_pending=True, channel=Channel.DIGEST)
        .select_related("recipient")
        .order_by("recipient_id", "due", "pk")
    )
    by_person: dict[int, list[Notice]] = {}
    for notice in pending:
        by_person.setdefault(notice.recipient_id, []).append(notice)
    sent = 0
    for notices in by_person.values():
        person = notices[0].recipient
        pks = [n.pk for n in notices]
        if not person.email or not _claim(organization.pk, pks):
            continue
        try:
            mail.send(
                [person.email],
                _("[%(org)s] Your daily digest: %(count)s notice(s)")
                % {"org": organization.name, "count": len(notices)},
                intro=_("Good morning %(name)s, this is what Qualitas has for you today:")
                % {"name": getattr(person, "display_name", person.get_username())},
                items=[(n.title, "", n.url) for n in notices],
            )
        except Exception:
            Notice.objects.filter(organization=organization, pk__in=pks).update(mail_pending=True)
            raise
        Notice.objects.filter(organization=organization, pk__in=pks).update(mailed_at=timezone.now())
        sent += 1
    return _("%(count)s digest(s) sent") % {"count": sent}


# --- the inbox ---------------------------------------------------------------------------------------


def inbox(organization: Any, user: Any) -> Any:
    """``user``'s notices in ``organization`` (cancelled reminders left out), newest first."""
    if organization is None or user is None or not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(organization=organization, recipient=user, cancelled_at__isnull=True)


def unread_count(organization: Any, user: Any) -> int:
    return int(inbox(organization, user).filter(read_at__isnull=True).count())


def mark_read(organization: Any, user: Any, pk: int | None = None) -> int:
    """Mark one notice (or all of them) read; another person's or organization's notice is absent."""
    rows = inbox(organization, user).filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return int(rows.update(read_at=timezone.now()))
