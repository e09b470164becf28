"""The hash chain's payload: which event columns it covers, in which order, and how it is encoded.

The order is written once, here (``EVENT_COLUMNS``). ``compute_hash`` (one event written by a
service), ``BulkAuditWriter`` (many events) and both fast paths of ``verify_chain`` build the
payload from it, so the writers and the verifier cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, cast

GENESIS = "0" * 64

# The hashed payload is ``[organization uuid, *these columns]`` as compact, key-sorted JSON.
EVENT_COLUMNS: tuple[str, ...] = (
    "seq",
    "created_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "source",
    "request_id",
    "prev_hash",
)
# The columns an event row stores, in the order bulk inserts write them.
STORED_COLUMNS: tuple[str, ...] = ("organization_id", *EVENT_COLUMNS, "hash")

SEQ = EVENT_COLUMNS.index("seq")
CREATED_AT = EVENT_COLUMNS.index("created_at")
CHANGES = EVENT_COLUMNS.index("changes")
PREV_HASH = EVENT_COLUMNS.index("prev_hash")


def ordered(fields: Mapping[str, Any]) -> list[Any]:
    """The values of one event in payload order."""
    return [fields[name] for name in EVENT_COLUMNS]


def stamp(created_at: dt.datetime) -> str:
    """The time as the payload writes it: ISO 8601 in UTC."""
    return created_at.astimezone(dt.UTC).isoformat()


def payload_values(org_uuid: str, values: list[Any]) -> list[Any]:
    """The JSON value hashed for one event; ``values`` in ``EVENT_COLUMNS`` order, time as a datetime."""
    out = list(values)
    out[CREATED_AT] = stamp(out[CREATED_AT])
    return [org_uuid, *out]


def compute_hash(*, org_uuid: str, **fields: Any) -> str:
    """The SHA-256 of one event (``fields``: every name of ``EVENT_COLUMNS``)."""
    payload = json.dumps(
        payload_values(org_uuid, ordered(fields)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def payload_encoder() -> tuple[Callable[[str], Any], Callable[[Any], Any]]:
    """(decode, encode): the JSON scanner and the ``compute_hash`` encoder (sorted keys, no spaces,
    UTF-8) of the standard library's C accelerator, called directly: ``json.loads``/``dumps`` add
    several Python frames per call. Falls back to the public functions where the accelerator is missing."""
    try:
        from _json import make_encoder, make_scanner
    except ImportError:  # pragma: no cover - CPython always has the accelerator
        encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return json.loads, encoder.iterencode
    # The accelerator takes the decoder for its settings and no default hook (its stubs say otherwise).
    scan = make_scanner(cast(Any, json.JSONDecoder()))
    encode = make_encoder(
        None, cast(Any, None), json.encoder.encode_basestring, None, ":", ",", True, False, True
    )

    def decode(text: str) -> Any:
        try:
            return scan(text, 0)[0]
        except StopIteration:
            return json.loads(text)

    return decode, lambda value: encode(value, 0)


def sqlite_payload_sql(table: str, upper: str = "", *, limit: int) -> str:
    """SQLite builds each event's hash payload itself: ``json_array`` quotes text exactly as the
    payload's encoder does (compact, UTF-8 as is, the same escapes), and ``changes`` is spliced in as
    stored. Events written since ``changes`` is stored canonically (``CanonicalJSONField``) give
    the exact ``compute_hash`` payload; for older rows the hash does not match and the chunk is
    re-checked by the Python path, so the verdict never depends on this fast path."""

    def column(name: str) -> str:
        # The stored text "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC) as ISO 8601 with its offset.
        return "replace(CAST(created_at AS TEXT), ' ', 'T') || '+00:00'" if name == "created_at" else name

    before = ", ".join(["%s", *(column(c) for c in EVENT_COLUMNS[:CHANGES])])
    after = ", ".join(column(c) for c in EVENT_COLUMNS[CHANGES + 1 :])
    head = f"rtrim(json_array({before}), ']')"
    tail = f"ltrim(json_array({after}), '[')"
    return (
        # As a BLOB: the UTF-8 bytes the hash takes, without a round trip through a Python str.
        f"SELECT seq, prev_hash, hash, CAST({head} || ',' || changes || ',' || {tail} AS BLOB) FROM {table} "
        f"WHERE organization_id = %s AND seq > %s{upper} ORDER BY seq LIMIT {int(limit)}"
    )
