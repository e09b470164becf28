"""Core's own notice kinds and scheduled jobs (the reminder sweep, the digest)."""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _

from qualitas.core.registry import NoticeKind, ScheduledJob, registry


def register() -> None:
    from qualitas.core.background import notices

    registry.notice_kinds.setdefault(
        "core.job_done", NoticeKind("core.job_done", cast(str, _("Long work finished")), False)
    )
    registry.schedules.setdefault(
        "core.reminders",
        ScheduledJob(
            "core.reminders",
            cast(
                str,
                _("Reminders of due and overdue items"),
            ),
            notices.send_reminders,
            "daily",
        ),
    )
    registry.schedules.setdefault(
        "core.digest",
        ScheduledJob("core.digest", cast(str, _("Daily digest e-mail")), notices.send_digests, "daily"),
    )
