"""Dashboard figures cached for as long as they are true.

Dashboards aggregate whole registers (open nonconformities per age, readiness over every clause...):
at 100,000 rows per register that is tens of milliseconds of SQL per figure, on every view of the
home page. Every write of a QMS record appends an event to its organization's audit chain in the
same transaction, so the chain head's hash names the organization's state exactly: figures stored
under ``(organization, what, chain head hash, today)`` can never be older than the data they were
read from. Any write makes a new key; a new day makes a new key (figures such as "overdue" depend
on the date). Figures that depend on the person asking are not cached here.

The cache is Django's default cache (per process unless ``CACHES`` names a shared one); entries
also expire after an hour so keys of past states do not linger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

from qualitas.core.models import AuditChainHead

T = TypeVar("T")
TIMEOUT = 3600


def state_key(organization: Any) -> str:
    """The organization's state: its audit chain head (one indexed row)."""
    heads = AuditChainHead.objects.filter(organization=organization)
    return heads.values_list("last_hash", flat=True).first() or "empty"


def for_organization(
    organization: Any, what: str, compute: Callable[[], T], *, state: str | None = None
) -> T:
    """``compute()``, or its stored result for this organization's current state and date."""
    state = state or state_key(organization)
    key = f"qualitas:{organization.pk}:{what}:{state}:{timezone.localdate().isoformat()}"
    stored: T | None = cache.get(key)
    if stored is None:
        stored = compute()
        cache.set(key, stored, TIMEOUT)
    return stored
