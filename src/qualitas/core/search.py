"""Substring search ("contains", case-insensitive) over large registers, answered by an index.

A register's ``?q=`` is a substring match over a few text columns (reference, title, product...).
As ``icontains`` that is a scan of every row of the organization: 100,000 actions take 40 ms of SQL.
A *trigram index* answers the same question from the index:

- **SQLite**: an FTS5 table with the ``trigram`` tokenizer over the columns, with the register's
  table as its external content (``{table}_search``, rowid = the record's id). Triggers on the
  register keep it in sync on every insert, update and delete, whoever writes (services, bulk
  generators, imports), so no service needs to know about it. A phrase query ``"torque"`` matches
  every row where one of the columns contains "torque", case-insensitively (Unicode case folding).
  Three characters at least: shorter words fall back to ``icontains``.
- **PostgreSQL**: ``pg_trgm`` GIN indexes on ``UPPER(column::text)``, the exact expression Django's
  ``icontains`` compares, so the same ``icontains`` query uses them with no change in SQL.

``contains(qs, fields, value)`` is the one call the filters make; it returns ``icontains`` wherever
no index exists (fewer than three characters, an old SQLite without the trigram tokenizer, a
PostgreSQL where the extension could not be created), so the answer is the same either way, only
the speed differs. A model names its indexed columns in ``trigram_search = ("reference", "title")``
and a migration creates the index (``TrigramIndex`` with the same columns). SQLite table rebuilds drop
triggers, so ``ensure_sqlite_triggers`` runs after every ``migrate`` (``CoreConfig.ready``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db import DatabaseError, connections, transaction
from django.db.migrations.operations.base import Operation
from django.db.models import Model, Q, QuerySet
from django.db.models.expressions import RawSQL

MIN_LENGTH = 3  # a trigram index cannot answer shorter words

_available: dict[tuple[str, str], bool] = {}

M = TypeVar("M", bound=Model)


def fts_table(table: str) -> str:
    return f"{table}_search"


def _sqlite_statements(table: str, columns: Sequence[str]) -> list[str]:
    fts = fts_table(table)
    cols = ", ".join(columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='id', tokenize='trigram')",
        *_sqlite_triggers(table, columns),
        f"INSERT INTO {fts}({fts}) VALUES('rebuild')",
    ]


def _sqlite_triggers(table: str, columns: Sequence[str]) -> list[str]:
    fts = fts_table(table)
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def _pg_index(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


class TrigramIndex(Operation):
    """Migration operation: a trigram index over ``columns`` of ``table`` (see the module docstring).
    No model state changes; on a database that cannot have the index it does nothing."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, table: str, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor == "sqlite":
            statements = _sqlite_statements(self.table, self.columns)
        elif connection.vendor == "postgresql":
            statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
                f'CREATE INDEX IF NOT EXISTS {_pg_index(self.table, c)} ON "{self.table}" '
                f'USING gin ((UPPER("{c}"::text)) gin_trgm_ops)'
                for c in self.columns
            ]
        else:
            return
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
        except DatabaseError:
            # No trigram tokenizer (SQLite < 3.34) or no right to create the extension: search
            # stays correct through icontains, only slower (docs/performance.md).
            pass
        _available.clear()

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        connection = schema_editor.connection
        fts = fts_table(self.table)
        if connection.vendor == "sqlite":
            statements = [f"DROP TRIGGER IF EXISTS {fts}_{s}" for s in ("ai", "ad", "au")]
            statements.append(f"DROP TABLE IF EXISTS {fts}")
        elif connection.vendor == "postgresql":
            statements = [f"DROP INDEX IF EXISTS {_pg_index(self.table, c)}" for c in self.columns]
        else:
            return
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
        _available.clear()

    def describe(self) -> str:
        return f"Trigram search index on {self.table} ({', '.join(self.columns)})"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return ("qualitas.core.search.TrigramIndex", [], {"table": self.table, "columns": list(self.columns)})


def sqlite_index_ready(connection: Any, table: str) -> bool:
    """Whether the FTS5 table and its three triggers exist (cached per process and database)."""
    key = (connection.alias, table)
    if key not in _available:
        fts = fts_table(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)",
                [fts, f"{fts}_ai", f"{fts}_ad", f"{fts}_au"],
            )
            _available[key] = cursor.fetchone()[0] == 4
    return _available[key]


def indexed_models() -> dict[str, tuple[str, ...]]:
    """table -> columns of every installed model that declares ``trigram_search``."""
    from django.apps import apps

    return {
        m._meta.db_table: tuple(getattr(m, "trigram_search"))  # noqa: B009 - only some models have one
        for m in apps.get_models()
        if getattr(m, "trigram_search", None)
    }


def ensure_sqlite_triggers(connection: Any) -> None:
    """Re-create the sync triggers a SQLite table rebuild dropped, and rebuild such an index (its
    rows may have changed while no trigger watched). Runs after every ``migrate``."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for table, columns in indexed_models().items():
            fts = fts_table(table)
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE %s", [f"{fts}%"])
            names = {row[0] for row in cursor.fetchall()}
            if fts not in names or names >= {f"{fts}_ai", f"{fts}_ad", f"{fts}_au"}:
                continue
            for sql in _sqlite_triggers(table, columns):
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES('rebuild')")
    _available.clear()


def contains(qs: QuerySet[M], fields: Sequence[str], value: str) -> QuerySet[M]:
    """Rows where any of ``fields`` contains ``value`` (case-insensitive), through the trigram
    index where there is one; the same rows as ``icontains`` on each field."""
    value = (value or "").strip()
    if not value:
        return qs
    plain = reduce(or_, (Q(**{f"{f}__icontains": value}) for f in fields))
    connection = connections[qs.db]
    table = qs.model._meta.db_table
    if (
        connection.vendor != "sqlite"
        or len(value) < MIN_LENGTH
        or tuple(fields) != tuple(getattr(qs.model, "trigram_search", ()))
        or not sqlite_index_ready(connection, table)
    ):
        return qs.filter(plain)
    fts = fts_table(table)
    phrase = '"' + value.replace('"', '""') + '"'
    ids = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [phrase])
    return qs.filter(pk__in=ids)
