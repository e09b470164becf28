"""Database-level guards: the audit table refuses UPDATE and DELETE (SQLite and PostgreSQL).

Only someone who can drop the triggers can alter history, and then ``audit verify`` names the
first event that no longer fits the chain.
"""

from __future__ import annotations

from typing import Any

TABLE = "core_auditevent"

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS auditevent_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS auditevent_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS auditevent_no_update;", "DROP TRIGGER IF EXISTS auditevent_no_delete;"]

PG_CREATE = [
    """CREATE OR REPLACE FUNCTION qualitas_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
    f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};",
    f"""CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION qualitas_audit_append_only();""",
]
PG_DROP = [f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};"]


def install(connection: Any) -> None:
    statements = PG_CREATE if connection.vendor == "postgresql" else SQLITE_CREATE
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def remove(connection: Any) -> None:
    statements = PG_DROP if connection.vendor == "postgresql" else SQLITE_DROP
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
