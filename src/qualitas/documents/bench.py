"""Measure the SQLite FTS5 search on 50,000 documents (no Django database touched).

    QUALITAS_DEBUG=1 uv run python -m qualitas.documents.bench [--docs 50000]

Builds the same FTS5 table as migration 0002 in a temporary file, fills it with synthetic documents
(code, title, ~150 words of text) for 5 organizations, and times the exact MATCH / bm25 / snippet query
that ``search._search_sqlite`` runs. The Django side of a search adds one primary-key lookup of at most
``limit`` rows."""

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
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.NamedTemporaryFile(suffix=".sqlite3") as tmp:
        db = sqlite3.connect(tmp.name)
        db.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "org_id UNINDEXED, code, title, body, tokenize = 'porter unicode61')"
        )
        start = time.perf_counter()
        rows = []
        for i in range(1, args.docs + 1):
            title = " ".join(rng.choices(VOCAB, weights=WEIGHTS, k=5)).capitalize()
            body = " ".join(rng.choices(VOCAB, weights=WEIGHTS, k=150))
            rows.append((i, i % 5 + 1, f"WI-{i:05d}", title, body))
            if len(rows) == 5000:
                db.executemany(
                    "INSERT INTO documents_fts (rowid, org_id, code, title, body) VALUES (?,?,?,?,?)", rows
                )
                rows = []
        if rows:
            db.executemany(
                "INSERT INTO documents_fts (rowid, org_id, code, title, body) VALUES (?,?,?,?,?)", rows
            )
        db.commit()
        print(f"indexed {args.docs} documents in {time.perf_counter() - start:.2f} s")
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qualitas.settings")
        django.setup()
        from qualitas.documents.search import fts5_query

        sql = (
            "SELECT rowid, bm25(documents_fts, 0.0, 10.0, 5.0, 1.0) AS score, "
            "snippet(documents_fts, 3, '[', ']', '…', 12) FROM documents_fts "
            "WHERE documents_fts MATCH ? AND org_id = ? ORDER BY score LIMIT 20"
        )
        for q in QUERIES:
            times = []
            for _ in range(5):
                t = time.perf_counter()
                found = db.execute(sql, [fts5_query(q), 3]).fetchall()
                times.append(time.perf_counter() - t)
            print(f"{q!r:32} {len(found):3d} hits  median {sorted(times)[2] * 1000:7.1f} ms")
        t = time.perf_counter()
        db.execute("DELETE FROM documents_fts WHERE rowid = ?", [123])
        db.execute(
            "INSERT INTO documents_fts (rowid, org_id, code, title, body) VALUES (?,?,?,?,?)",
            [123, 4, "WI-00123", "Updated title", "new body text deburr"],
        )
        db.commit()
        print(f"re-index one document: {(time.perf_counter() - t) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
