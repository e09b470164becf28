"""Measure the SQLite FTS5 search on 50,000 documents (no Django database touched).

    QUALITAS_DEBUG=1 uv run python -m qualitas.documents.bench [--docs 50000]

Builds the same FTS5 table as migration 0003 in a temporary file, fills it with synthetic documents
(code, title, ~150 words of text) for 5 organizations, and times the exact MATCH / bm25 / snippet query
that ``search._search_sqlite`` runs (``search.SQLITE_SEARCH_SQL``). ``--old`` times the layout before
migration 0003 instead (organization as an UNINDEXED column filtered outside the MATCH). The Django side
of a search adds one primary-key lookup of at most ``limit`` rows."""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time

WORDS = [
    "deburr",
    "lathe",
    "spindle",
    "torque",
    "gauge",
    "calibration",
    "inspection",
    "tolerance",
    "drawing",
    "customer",
    "supplier",
    "fixture",
    "clamp",
    "coolant",
    "chip",
    "tool",
    "insert",
    "turning",
    "milling",
    "grinding",
    "thread",
    "bore",
    "surface",
    "roughness",
    "packing",
    "label",
    "lot",
    "release",
    "quarantine",
    "nonconforming",
    "audit",
    "training",
    "competence",
    "record",
    "router",
    "setup",
    "offset",
    "probe",
    "program",
    "feed",
    "speed",
    "depth",
    "flange",
    "shaft",
    "bracket",
    "housing",
    "sleeve",
    "bushing",
]
# A realistic vocabulary: the shop-floor words above plus 8,000 rarer terms with a Zipf-like frequency.
RARE = [f"term{i}" for i in range(8000)]
VOCAB = WORDS + RARE
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(VOCAB))]
QUERIES = [
    "deburr",
    "torque gauge",
    "calibration",
    "quarantine nonconforming",
    "term500",
    "term4000 term77",
    "zzzz",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--old", action="store_true", help="time the layout before migration 0003")
    args = parser.parse_args()
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitas.settings")
    django.setup()
    from qualitas.documents.search import SQLITE_SEARCH_SQL, fts5_query, org_match, org_token

    org_column = "org_id UNINDEXED" if args.old else "org"
    insert = "INSERT INTO documents_fts (rowid, org_id, code, title, body) VALUES (?,?,?,?,?)"
    if not args.old:
        insert = insert.replace("org_id", "org")
    rng = random.Random(7)
    with tempfile.NamedTemporaryFile(suffix=".sqlite3") as tmp:
        db = sqlite3.connect(tmp.name)
        db.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            f"{org_column}, code, title, body, tokenize = 'porter unicode61')"
        )
        start = time.perf_counter()
        rows = []
        for i in range(1, args.docs + 1):
            title = " ".join(rng.choices(VOCAB, weights=WEIGHTS, k=5)).capitalize()
            body = " ".join(rng.choices(VOCAB, weights=WEIGHTS, k=150))
            org = i % 5 + 1
            rows.append((i, org if args.old else org_token(org), f"WI-{i:05d}", title, body))
            if len(rows) == 5000:
                db.executemany(insert, rows)
                rows = []
        if rows:
            db.executemany(insert, rows)
        db.commit()
        print(f"indexed {args.docs} documents in {time.perf_counter() - start:.2f} s")
        if args.old:
            sql = (
                "SELECT rowid, bm25(documents_fts, 0.0, 10.0, 5.0, 1.0) AS score, "
                "snippet(documents_fts, 3, '[', ']', '…', 12) FROM documents_fts "
                "WHERE documents_fts MATCH ? AND org_id = ? ORDER BY score LIMIT 20"
            )
        else:
            sql = SQLITE_SEARCH_SQL.replace("%s", "?")

        def params(q: str) -> list:
            return [fts5_query(q), 3] if args.old else [org_match(3, fts5_query(q)), 20]

        for q in QUERIES:
            times = []
            for _ in range(5):
                t = time.perf_counter()
                found = db.execute(sql, params(q)).fetchall() if fts5_query(q) else []
                times.append(time.perf_counter() - t)
            print(f"{q!r:32} {len(found):3d} hits  median {sorted(times)[2] * 1000:7.1f} ms")
        t = time.perf_counter()
        db.execute("DELETE FROM documents_fts WHERE rowid = ?", [123])
        org4 = 4 if args.old else org_token(4)
        db.execute(insert, [123, org4, "WI-00123", "Updated title", "new body text deburr"])
        db.commit()
        print(f"re-index one document: {(time.perf_counter() - t) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
