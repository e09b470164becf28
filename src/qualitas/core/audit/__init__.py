"""The audit trail, written in one place.

Services wrap every write in ``tracking(obj, actor=..., action=..., reason=...)``: it locks the
record's row, reloads the instance in place from it, checks the optimistic-lock version, and appends
one event with the field-level diff in the same transaction. ``record()`` appends an explicit event
(deletes, links). ``verify_chain`` recomputes an organization's hash chain.

- ``chain``: the hashed payload (its column order, written once) and its encoders;
- ``writing``: sources, snapshots and diffs, ``append``/``record``/``tracking``/``lock``;
- ``verification``: ``verify_chain`` and its fast paths;
- ``trail``: filters for reading the trail and one record's history;
- ``coverage``: whether the chain reaches the organization's last record change;
- ``checkpoints``: signed chain heads kept outside the database, and the check against them.
"""

from qualitas.core.audit.chain import EVENT_COLUMNS, GENESIS, STORED_COLUMNS, compute_hash
from qualitas.core.audit.trail import history_for, single_action, trail_filters
from qualitas.core.audit.verification import VerifyResult, split_ranges, verify_chain, verify_ranges
from qualitas.core.audit.writing import (
    SOURCES,
    AuditContext,
    append,
    context,
    current_context,
    diff,
    lock,
    lock_head,
    object_type_of,
    record,
    set_source,
    snapshot,
    to_jsonable,
    tracking,
)

__all__ = [
    "EVENT_COLUMNS",
    "GENESIS",
    "SOURCES",
    "STORED_COLUMNS",
    "AuditContext",
    "VerifyResult",
    "append",
    "compute_hash",
    "context",
    "current_context",
    "diff",
    "history_for",
    "lock",
    "lock_head",
    "object_type_of",
    "record",
    "set_source",
    "single_action",
    "snapshot",
    "split_ranges",
    "to_jsonable",
    "tracking",
    "trail_filters",
    "verify_chain",
    "verify_ranges",
]
