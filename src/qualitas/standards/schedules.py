"""Standards' scheduled work: the day's readiness snapshot for the trend."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast


def snapshot_job(organization: Any, today: dt.date) -> str:
    from qualitas.standards import readiness, services

    figures = readiness.compute(organization)
    snap = services.record_snapshot(organization, figures, day=today)
    return f"readiness {round(float(snap.overall) * 100)} % on {today.isoformat()}"


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from qualitas.core.registry import NoticeKind, ScheduledJob, registry

    registry.schedules.setdefault(
        "standards.readiness_snapshot",
        ScheduledJob(
            "standards.readiness_snapshot",
            cast(
                str,
                _("Readiness snapshot for the trend"),
            ),
            snapshot_job,
        ),
    )
    registry.notice_kinds.setdefault(
        "standards.pack_done",
        NoticeKind("standards.pack_done", cast(str, _("Evidence pack ready")), default_mail=False),
    )
