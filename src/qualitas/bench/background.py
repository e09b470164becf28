"""The reminder sweep as a benchmark: every due source's query for one organization (what the
daily reminders job reads before it decides whom to remind)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qualitas.bench.registry import BenchRegistry, OperationTarget


def sweep(organization: Any) -> tuple[int, str]:
    from django.conf import settings
    from django.utils import timezone

    from qualitas.core.background.notices import due_items

    until = timezone.localdate() + dt.timedelta(days=max(settings.QUALITAS_REMINDER_OFFSETS))
    return len(due_items(organization, until)), "due items"


def register(reg: BenchRegistry) -> None:
    reg.add(OperationTarget("reminder_sweep", "reminder sweep (every due source, one organization)", sweep))
