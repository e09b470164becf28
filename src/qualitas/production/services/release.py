"""Release of lots (ISO 9001 8.6): an electronic signature bound to the lot's readings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualitas.core import audit, signatures
from qualitas.core.permissions import ensure_allowed, membership_of
from qualitas.production.choices import LotStatus
from qualitas.production.models import Lot, LotRelease
from qualitas.production.queries import readings_digest, release_problems


def _may_release(lot: Lot, *, actor: Any) -> Lot:
    """Refuse unless ``actor`` may release ``lot`` now (role, state, evidence): decided before the
    password is looked at. Returns the lot as read."""
    ensure_allowed(actor, lot.organization, "release", lot)
    problems = release_problems(lot)
    if problems:
        raise ValidationError({"__all__": [f"Lot {lot.number}: {p}" for p in problems]})
    return lot


def _fresh(lot: Lot) -> Lot:
    return Lot.objects.select_related("product", "organization").get(pk=lot.pk)


def release_lot(
    lot: Lot, *, actor: Any, password: str, meaning: str = "released", note: str = ""
) -> LotRelease:
    """Release a lot with an electronic signature: re-entered password, meaning, name and time
    snapshot, bound to the hash of the lot's readings. Who may release and whether the lot may be
    released are decided first; the password last (``core.signatures``: throttled per person)."""
    fresh = _may_release(_fresh(lot), actor=actor)
    signatures.check_password(actor, password, record=fresh, changes={"meaning": [None, meaning]})
    return _release_all([fresh], actor=actor, meaning=meaning, note=note)[0]


def release_lots(lots: Sequence[Lot], *, actor: Any, password: str, note: str = "") -> list[LotRelease]:
    """Release several lots under one password entry; each lot gets its own signature record.
    All or nothing: one lot that may not be released refuses the whole batch, before the password."""
    fresh = [_may_release(_fresh(lot), actor=actor) for lot in lots]
    if fresh:
        signatures.check_password(actor, password, record=fresh[0], changes={"meaning": [None, "released"]})
    return _release_all(fresh, actor=actor, meaning="released", note=note)


@transaction.atomic
def _release_all(lots: Sequence[Lot], *, actor: Any, meaning: str, note: str) -> list[LotRelease]:
    return [_release_one(lot, actor=actor, meaning=meaning, note=note) for lot in lots]


def _release_one(lot: Lot, *, actor: Any, meaning: str, note: str) -> LotRelease:
    lot = Lot.objects.select_for_update().select_related("product").get(pk=lot.pk)
    _may_release(lot, actor=actor)
    count, digest = readings_digest(lot)
    membership = membership_of(actor, lot.organization)
    release = LotRelease(
        organization=lot.organization,
        lot=lot,
        signer=actor,
        signer_name=actor.display_name,
        signer_role=getattr(membership, "role", ""),
        meaning=meaning,
        signed_at=timezone.now(),
        readings_count=count,
        readings_hash=digest,
        note=note,
        created_by=actor,
    )
    with audit.tracking(release, actor=actor, action="lotrelease.create"):
        release.save()
    with audit.tracking(lot, actor=actor, action="lot.release", reason=note):
        lot.status = LotStatus.RELEASED
        lot.save()
    return release
