"""Database-level guards on the audit trail (SQLite and PostgreSQL).

- ``append-only``: the event table refuses UPDATE and DELETE, row by row (a DELETE without WHERE
  too: SQLite never applies its truncate optimisation to a table with a DELETE trigger).
- ``anchor``: PostgreSQL refuses TRUNCATE of the event table and of the chain heads while they hold
  rows (TRUNCATE passes row triggers by); a chain head never moves backwards, never changes its hash
  or organization in place and is never deleted.

Only someone who can drop the triggers can alter history; ``audit verify`` then names the first
event that no longer fits the chain, and a signed checkpoint kept outside the database shows a
chain cut back or rewritten as a whole (``audit.anchor``). The application's database role should
not own the tables (docs/deploy.md): only an owner can drop the triggers.
"""

from __future__ import annotations

from typing import Any

TABLE = "core_auditevent"
HEAD = "core_auditchainhead"
APPEND_ONLY = "append-only"
ANCHOR = "anchor"
GROUPS = (APPEND_ONLY, ANCHOR)

# A head update that goes back, rewrites the hash it points to, or moves to another organization.
_BACKWARDS = (
    "NEW.seq < OLD.seq OR NEW.organization_id <> OLD.organization_id"
    " OR (NEW.seq = OLD.seq AND NEW.last_hash <> OLD.last_hash)"
)

# group -> vendor -> (create statements, drop statements)
_GUARDS: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    APPEND_ONLY: {
        "sqlite": (
            [
                f"""CREATE TRIGGER IF NOT EXISTS auditevent_no_update BEFORE UPDATE ON {TABLE}
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
                f"""CREATE TRIGGER IF NOT EXISTS auditevent_no_delete BEFORE DELETE ON {TABLE}
                    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;""",
            ],
            ["DROP TRIGGER IF EXISTS auditevent_no_update;", "DROP TRIGGER IF EXISTS auditevent_no_delete;"],
        ),
        "postgresql": (
            [
                """CREATE OR REPLACE FUNCTION qualitas_audit_append_only() RETURNS trigger AS $$
                   BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;""",
                f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};",
                f"""CREATE TRIGGER auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
                    FOR EACH ROW EXECUTE FUNCTION qualitas_audit_append_only();""",
            ],
            [f"DROP TRIGGER IF EXISTS auditevent_append_only ON {TABLE};"],
        ),
    },
    ANCHOR: {
        "sqlite": (
            [
                f"""CREATE TRIGGER IF NOT EXISTS auditchainhead_forward BEFORE UPDATE ON {HEAD}
                    WHEN {_BACKWARDS}
                    BEGIN SELECT RAISE(ABORT, 'the audit chain head never moves backwards'); END;""",
                f"""CREATE TRIGGER IF NOT EXISTS auditchainhead_no_delete BEFORE DELETE ON {HEAD}
                    BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be removed'); END;""",
            ],
            [
                "DROP TRIGGER IF EXISTS auditchainhead_forward;",
                "DROP TRIGGER IF EXISTS auditchainhead_no_delete;",
            ],
        ),
        "postgresql": (
            [
                # Statement level: an empty table may be truncated (nothing is lost; test flushes).
                """CREATE OR REPLACE FUNCTION qualitas_audit_no_truncate() RETURNS trigger AS $$
                   DECLARE found boolean;
                   BEGIN
                     EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
                       INTO found;
                     IF found THEN
                       RAISE EXCEPTION 'the audit trail is append-only: % cannot be truncated', TG_TABLE_NAME;
                     END IF;
                     RETURN NULL;
                   END; $$ LANGUAGE plpgsql;""",
                f"""CREATE OR REPLACE FUNCTION qualitas_audit_head_forward() RETURNS trigger AS $$
                   BEGIN
                     IF TG_OP = 'DELETE' THEN
                       RAISE EXCEPTION 'the audit chain head cannot be removed';
                     END IF;
                     IF {_BACKWARDS} THEN
                       RAISE EXCEPTION 'the audit chain head never moves backwards';
                     END IF;
                     RETURN NEW;
                   END; $$ LANGUAGE plpgsql;""",
                *(
                    statement
                    for table, name in (
                        (TABLE, "auditevent_no_truncate"),
                        (HEAD, "auditchainhead_no_truncate"),
                    )
                    for statement in (
                        f"DROP TRIGGER IF EXISTS {name} ON {table};",
                        f"""CREATE TRIGGER {name} BEFORE TRUNCATE ON {table}
                            FOR EACH STATEMENT EXECUTE FUNCTION qualitas_audit_no_truncate();""",
                    )
                ),
                f"DROP TRIGGER IF EXISTS auditchainhead_forward ON {HEAD};",
                f"""CREATE TRIGGER auditchainhead_forward BEFORE UPDATE OR DELETE ON {HEAD}
                    FOR EACH ROW EXECUTE FUNCTION qualitas_audit_head_forward();""",
            ],
            [
                f"DROP TRIGGER IF EXISTS auditevent_no_truncate ON {TABLE};",
                f"DROP TRIGGER IF EXISTS auditchainhead_no_truncate ON {HEAD};",
                f"DROP TRIGGER IF EXISTS auditchainhead_forward ON {HEAD};",
            ],
        ),
    },
}


def _statements(connection: Any, groups: tuple[str, ...], which: int) -> list[str]:
    vendor = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    return [sql for group in groups for sql in _GUARDS[group][vendor][which]]


def install(connection: Any, groups: tuple[str, ...] = GROUPS) -> None:
    """Install the guards of ``groups`` (all by default); installing twice changes nothing."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, groups, 0):
            cursor.execute(sql)


def remove(connection: Any, groups: tuple[str, ...] = GROUPS) -> None:
    """Remove the guards of ``groups`` (all by default)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, groups, 1):
            cursor.execute(sql)
