"""Checkpoints: the chain's head anchored outside the database.

``qualitas audit checkpoint`` signs each organization's head (seq and hash) with HMAC-SHA256 under a
key the database never holds (``QUALITAS_CHECKPOINT_KEY``, else the key file
``QUALITAS_CHECKPOINT_KEY_FILE``), appends the signed line to the organization's file in
``QUALITAS_CHECKPOINT_DIR`` and prints it, so it can also be kept elsewhere (mail, minutes, a
write-once store). ``qualitas audit verify`` then checks that the chain still reaches every
checkpoint with the same hash: a chain cut back before a checkpoint, or rewritten with every later
hash recomputed, no longer fits, even by someone who can drop the database's guards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from django.conf import settings

from qualitas.core.audit.chain import GENESIS
from qualitas.core.audit.coverage import check_coverage
from qualitas.core.audit.verification import VerifyResult, _verify_range
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.types import Tenant

FORMAT = "qualitas-checkpoint-v1"


class CheckpointError(Exception):
    """A missing key or an unreadable checkpoint: a setup problem, not a broken chain."""


def key(*, create: bool = False) -> bytes:
    """The signing key: the setting, else the key file (written on first use when ``create``)."""
    configured: str = settings.QUALITAS_CHECKPOINT_KEY
    if configured:
        return configured.encode()
    path = Path(settings.QUALITAS_CHECKPOINT_KEY_FILE)
    if path.exists():
        text = path.read_text().strip()
        if not text:
            raise CheckpointError(f"the checkpoint key file {path} is empty")
        return text.encode()
    if not create:
        raise CheckpointError(
            "no checkpoint key: set QUALITAS_CHECKPOINT_KEY or QUALITAS_CHECKPOINT_KEY_FILE (docs/deploy.md)"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip().encode()


@dataclass(frozen=True)
class Checkpoint:
    organization: str  # uuid
    slug: str
    seq: int
    hash: str
    at: str  # ISO 8601, UTC
    signature: str = ""

    def message(self) -> bytes:
        # The slug is a label only: organizations are named by uuid.
        return json.dumps([FORMAT, self.organization, self.seq, self.hash, self.at]).encode()

    def signed(self, secret: bytes) -> Checkpoint:
        return replace(self, signature=hmac.new(secret, self.message(), hashlib.sha256).hexdigest())

    def is_signed_with(self, secret: bytes) -> bool:
        expected = hmac.new(secret, self.message(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.signature)

    def line(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, sort_keys=True)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        try:
            data = json.loads(text)
            if data.pop("format") != FORMAT:
                raise ValueError("unknown format")
            return cls(
                organization=str(data["organization"]),
                slug=str(data["slug"]),
                seq=int(data["seq"]),
                hash=str(data["hash"]),
                at=str(data["at"]),
                signature=str(data["signature"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise CheckpointError(f"not a checkpoint: {text[:80]!r}") from None


def store_path(organization_uuid: str) -> Path:
    return Path(settings.QUALITAS_CHECKPOINT_DIR) / f"{organization_uuid}.jsonl"


def take(organization: Tenant, secret: bytes) -> Checkpoint | VerifyResult:
    """Sign the organization's head, after checking that the chain links from the last stored
    checkpoint (or from its start) to it and covers the records: a checkpoint never vouches for a
    broken or short chain."""
    head = AuditChainHead.objects.filter(organization_id=organization.pk).first()
    seq, last_hash = (head.seq, head.last_hash) if head is not None else (0, GENESIS)
    previous = latest(str(organization.uuid))
    start = previous if previous is not None and previous.is_signed_with(secret) else None
    if start is not None and start.seq > seq:
        return VerifyResult(
            str(organization.uuid),
            seq,
            seq + 1,
            f"the chain head #{seq} is behind the checkpoint #{start.seq}",
        )
    first, prev = (start.seq + 1, start.hash) if start is not None else (1, GENESIS)
    outcome = _verify_range(organization.pk, str(organization.uuid), first, seq, prev, None)
    if isinstance(outcome, VerifyResult):
        return outcome
    if outcome != (seq + 1, last_hash):
        return VerifyResult(str(organization.uuid), seq, seq, "the last event does not match the chain head")
    covered = check_coverage(organization, VerifyResult(str(organization.uuid), seq))
    if not covered.ok:
        return covered
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    checkpoint = Checkpoint(str(organization.uuid), organization.slug, seq, last_hash, at).signed(secret)
    path = store_path(checkpoint.organization)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as fh:
        fh.write(checkpoint.line() + "\n")
    return checkpoint


def read(lines: Iterable[str]) -> list[Checkpoint]:
    return [Checkpoint.parse(text) for text in lines if text.strip()]


def stored() -> list[Checkpoint]:
    """Every checkpoint in the checkpoint directory (none when it does not exist)."""
    folder = Path(settings.QUALITAS_CHECKPOINT_DIR)
    if not folder.is_dir():
        return []
    return [cp for path in sorted(folder.glob("*.jsonl")) for cp in read(path.read_text().splitlines())]


def latest(organization_uuid: str) -> Checkpoint | None:
    """The organization's newest stored checkpoint, if any."""
    path = store_path(organization_uuid)
    if not path.exists():
        return None
    found = read(path.read_text().splitlines())
    return max(found, key=lambda cp: cp.seq) if found else None


def latest_summary(organization_uuid: str) -> dict[str, Any] | None:
    """The newest checkpoint as the export manifest shows it (a missing or bad store: none)."""
    try:
        checkpoint = latest(organization_uuid)
    except (CheckpointError, OSError):
        return None
    return None if checkpoint is None else asdict(checkpoint)


def check(
    organization: Tenant, result: VerifyResult, checkpoints: Iterable[Checkpoint], secret: bytes
) -> VerifyResult:
    """``result`` (a verified chain), or the first checkpoint of ``organization`` it does not reach."""
    if not result.ok:
        return result
    org_uuid = str(organization.uuid)
    mine = sorted((cp for cp in checkpoints if cp.organization == org_uuid), key=lambda cp: cp.seq)
    hashes = dict(
        AuditEvent.objects.filter(
            organization_id=organization.pk, seq__in=[cp.seq for cp in mine]
        ).values_list("seq", "hash")
    )
    hashes[0] = GENESIS
    for cp in mine:
        if not cp.is_signed_with(secret):
            return VerifyResult(
                org_uuid, result.checked, cp.seq, f"the checkpoint of {cp.at} is not signed with this key"
            )
        if cp.seq > result.checked:
            return VerifyResult(
                org_uuid,
                result.checked,
                result.checked + 1,
                f"the chain ends at #{result.checked}, before the checkpoint of {cp.at} at #{cp.seq}",
            )
        if hashes.get(cp.seq) != cp.hash:
            return VerifyResult(
                org_uuid,
                result.checked,
                cp.seq,
                f"event #{cp.seq} does not match the checkpoint of {cp.at}: the chain was rewritten",
            )
    return result
