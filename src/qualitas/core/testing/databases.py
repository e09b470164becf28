"""Databases a test run builds once and shares (SQLite; other engines build them where needed).

- ``migrated_copy(path)``: a freshly migrated database file, copied from the snapshot each test worker
  takes of its own test database right after migrating it (the root ``conftest.py`` takes it), so
  tests that start the product in a subprocess need not migrate again.
- ``SharedRows(name)``: rows one test class writes (e.g. the demo organization) kept in the run's
  folder, so that other classes and the other workers load them instead of building them again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.db import connection

RUN_DIR_ENV = "PYTEST_QUALITAS_RUN_DIR"
_snapshot: Path | None = None


def run_dir() -> Path:
    """The folder shared by every worker of this test run."""
    path = os.environ.get(RUN_DIR_ENV)
    if not path:
        path = tempfile.mkdtemp(prefix="qualitas-tests-")
        os.environ[RUN_DIR_ENV] = path
    return Path(path)


def _raw() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def snapshot_migrated() -> None:
    """Copy the just-migrated test database (SQLite only) to a file of this worker."""
    global _snapshot
    if connection.vendor != "sqlite":
        return
    target = Path(tempfile.mkdtemp(prefix="migrated-", dir=run_dir())) / "migrated.sqlite3"
    with contextlib.closing(sqlite3.connect(target)) as dest:
        _raw().backup(dest)
    _snapshot = target


def migrated_copy(path: Path) -> bool:
    """Write a freshly migrated SQLite database to ``path``; False when there is no snapshot to copy
    (the suite runs on another engine): the caller then migrates."""
    if _snapshot is None:
        return False
    shutil.copyfile(_snapshot, path)
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Whether this worker holds the lock; a worker that finds it taken does not wait for it."""
    with open(path.with_suffix(".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _tables(db: sqlite3.Connection) -> list[tuple[str, bool]]:
    """(table, is virtual) for every table that holds rows of its own (not a full-text index's
    shadow tables, which SQLite keeps itself)."""
    rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [
        (name, name in virtual)
        for name, _sql in rows
        if not name.startswith("sqlite_") and not any(name.startswith(f"{v}_") for v in virtual)
    ]


def _columns(db: sqlite3.Connection, table: str, virtual: bool) -> list[str]:
    names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
    return ["rowid", *names] if virtual else names


def _select(table: str, columns: list[str]) -> str:
    """The stored values: ``+column`` (a no-op) has no declared type, so the converters Django
    registers for dates, booleans and decimals leave it alone."""
    values = ", ".join(f'+"{c}"' for c in columns)
    return f'SELECT {values} FROM "{table}"'


class SharedRows:
    """Rows that one builder writes inside a test class's transaction, shared with the rest of the run.

    ``load(build)`` runs ``build()`` in the first class of the run that asks and keeps every row
    the database then holds; later classes, in any worker, insert those rows instead (a class that
    asks while another worker is still building builds its own rather than wait). SQLite only:
    elsewhere ``build()`` always runs. The rows are inserted only when the rows this database
    already holds (content types, shipped catalogs) are the same as the builder's.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def load(self, build: Callable[[], Any]) -> bool:
        """Build or insert the rows; True when they were inserted from the shared copy."""
        if connection.vendor != "sqlite":
            build()
            return False
        path = run_dir() / f"{self.name}.sqlite3"
        with _locked(path) as owner:
            if path.exists() and self._insert(path):
                return True
            build()
            if owner and not path.exists():
                self._keep(path)
        return False

    def _keep(self, path: Path) -> None:
        raw = _raw()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(partial)) as out:
            for table, virtual in _tables(raw):
                columns = _columns(raw, table, virtual)
                quoted = ", ".join(f'"{c}"' for c in columns)
                out.execute(f'CREATE TABLE "{table}" ({quoted})')  # no types: values kept as stored
                marks = ", ".join("?" * len(columns))
                out.executemany(
                    f'INSERT INTO "{table}" VALUES ({marks})', raw.execute(_select(table, columns))
                )
            out.commit()
        partial.rename(path)

    def _insert(self, path: Path) -> bool:
        # The test connection's own sqlite3 handle, inside the class's transaction: rows go in at
        # C speed and leave with the transaction's rollback, like any other test data.
        raw = _raw()
        plan: list[tuple[str, str, int, set[tuple[Any, ...]]]] = []
        with contextlib.closing(sqlite3.connect(path)) as shared:
            for table, virtual in _tables(raw):
                columns = _columns(raw, table, virtual)
                quoted = ", ".join(f'"{c}"' for c in columns)
                theirs = set(shared.execute(_select(table, columns)).fetchall())
                here = set(raw.execute(_select(table, columns)).fetchall())
                if not here <= theirs:
                    return False  # this database differs from the builder's (e.g. after a flush)
                plan.append((table, quoted, len(columns), theirs - here))
        for table, quoted, width, missing in plan:
            if missing:
                marks = ", ".join("?" * width)
                raw.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', sorted(missing, key=repr)
                )
        return True
