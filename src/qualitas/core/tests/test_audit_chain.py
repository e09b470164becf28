import datetime as dt
import hashlib
import itertools
import json
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import TransactionTestCase

from qualitas.accounts.models import Organization
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, db_guards
from qualitas.core.audit import verification, verify_chain
from qualitas.core.bulk import BulkAuditWriter
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase


def tamper(sql: str, params: list) -> None:
    """Change history the way an attacker with the right to drop the guards would."""
    db_guards.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        db_guards.install(connection)


class AuditChainTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            for i in range(3):
                make_action(self.org_a, self.manager, title=f"Task {i}")

    def test_events_form_a_gap_free_chain_per_organization(self) -> None:
        events = list(AuditEvent.objects.filter(organization=self.org_a).order_by("seq"))
        self.assertEqual([e.seq for e in events], list(range(1, len(events) + 1)))
        for prev, nxt in itertools.pairwise(events):
            self.assertEqual(nxt.prev_hash, prev.hash)
        self.assertTrue(verify_chain(self.org_a).ok)
        self.assertTrue(verify_chain(self.org_b).ok)

    def test_the_database_refuses_update_and_delete_of_events(self) -> None:
        event = AuditEvent.objects.filter(organization=self.org_a).first()
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
        with self.assertRaises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()

    def _tamper(self, sql: str, params: list) -> None:
        tamper(sql, params)

    def test_tampering_with_the_trigger_dropped_is_caught_and_named(self) -> None:
        target = AuditEvent.objects.filter(organization=self.org_a).order_by("seq")[3]
        self._tamper("UPDATE core_auditevent SET actor_name = %s WHERE id = %s", ["Mallory", target.pk])
        result = verify_chain(self.org_a)
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_seq, target.seq)
        out = StringIO()
        with self.assertRaises(SystemExit) as exit_:
            call_command("audit", "verify", stdout=out)
        self.assertEqual(exit_.exception.code, 1)
        self.assertIn(f"BROKEN at event #{target.seq}", out.getvalue())
        self.assertIn("org-b: OK", out.getvalue())

    def test_a_deleted_event_is_caught(self) -> None:
        target = AuditEvent.objects.filter(organization=self.org_a).order_by("seq")[2]
        self._tamper("DELETE FROM core_auditevent WHERE id = %s", [target.pk])
        result = verify_chain(self.org_a)
        self.assertEqual(result.broken_seq, target.seq)
        self.assertIn("missing", result.problem)

    def test_a_truncated_tail_is_caught_by_the_chain_head(self) -> None:
        last = AuditEvent.objects.filter(organization=self.org_a).order_by("-seq").first()
        self._tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
        self.assertFalse(verify_chain(self.org_a).ok)

    def test_every_event_names_actor_source_and_request(self) -> None:
        with audit.context("web", "req-12345678"):
            action = make_action(self.org_a, self.owner)
        event = audit.history_for(action).first()
        self.assertEqual(event.actor_id, self.owner.pk)
        self.assertEqual(event.actor_name, "Owner")
        self.assertEqual(event.source, "web")
        self.assertEqual(event.request_id, "req-12345678")
        self.assertEqual(event.changes["title"], [None, "Recalibrate gauge G-12"])

    def test_writing_outside_a_transaction_is_refused(self) -> None:
        from unittest import mock

        with mock.patch("qualitas.core.audit.writing.transaction.get_connection") as conn:
            conn.return_value.in_atomic_block = False
            with self.assertRaises(RuntimeError):
                audit.append(
                    organization=self.org_a,
                    actor=None,
                    action="x",
                    object_type="x",
                    object_id=1,
                    object_repr="x",
                )


class FastVerifyTests(QualitasTestCase):
    """The SQLite payload path and the range split must give the verdicts of the Python path."""

    def setUp(self) -> None:
        with audit.context("cli"):
            for title in (
                "Prüfmittel kalibrieren «G-12»",
                'Quote " and \\ backslash',
                "Tab\there\nnewline\x01",
            ):
                make_action(self.org_a, self.manager, title=title)

    def _tamper(self, sql: str, params: list) -> None:
        tamper(sql, params)

    def test_changes_are_stored_as_the_canonical_text_the_hash_covers(self) -> None:
        event = AuditEvent.objects.filter(organization=self.org_a, action="action.create").first()
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(changes AS TEXT) FROM core_auditevent WHERE id = %s", [event.pk])
            (stored,) = cursor.fetchone()
        canonical = json.dumps(event.changes, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if connection.vendor == "sqlite":
            self.assertEqual(stored, canonical)

    def test_the_sql_built_payload_is_the_hashed_payload(self) -> None:
        if connection.vendor != "sqlite":
            self.skipTest("SQLite builds the payload in SQL")
        sql = verification._sqlite_payload_sql("core_auditevent")
        with connection.cursor() as cursor:
            cursor.execute(sql, [str(self.org_a.uuid), self.org_a.pk, 0])
            rows = cursor.fetchall()
        self.assertGreater(len(rows), 3)
        for _seq, _prev, stored_hash, payload in rows:
            self.assertEqual(hashlib.sha256(payload).hexdigest(), stored_hash)

    def test_rows_stored_in_another_json_form_still_verify(self) -> None:
        # Events written before changes were stored canonically: the Python path takes over.
        event = AuditEvent.objects.get(organization=self.org_a, object_repr__contains="Prüfmittel")
        loose = json.dumps(event.changes)  # spaces, ASCII escapes, insertion order
        self.assertIn("Pr\\u00fcfmittel", loose)
        self._tamper("UPDATE core_auditevent SET changes = %s WHERE id = %s", [loose, event.pk])
        self.assertTrue(verify_chain(self.org_a).ok)
        self._tamper(
            "UPDATE core_auditevent SET changes = %s WHERE id = %s", [loose.replace("Pr", "Br"), event.pk]
        )
        self.assertEqual(verify_chain(self.org_a).broken_seq, event.seq)

    def test_ranges_join_in_order_and_name_the_first_break(self) -> None:
        last = AuditEvent.objects.filter(organization=self.org_a).count()
        ranges = audit.split_ranges(last, 3)
        self.assertEqual(ranges[0][0], 1)
        self.assertIsNone(ranges[-1][1])
        sequential = verify_chain(self.org_a)
        joined = audit.verify_ranges(
            self.org_a, ranges, lambda args: [verification._verify_range(*a, None) for a in args]
        )
        self.assertEqual(
            joined, (sequential.checked + 1, AuditEvent.objects.get(organization=self.org_a, seq=last).hash)
        )
        # A relinked first event of the second range is caught at the boundary.
        boundary = ranges[1][0]
        self._tamper(
            "UPDATE core_auditevent SET prev_hash = %s WHERE organization_id = %s AND seq = %s",
            ["f" * 64, self.org_a.pk, boundary],
        )
        joined = audit.verify_ranges(
            self.org_a, ranges, lambda args: [verification._verify_range(*a, None) for a in args]
        )
        self.assertEqual((joined.broken_seq, joined.problem), (boundary, "does not link to its predecessor"))
        self.assertEqual(verify_chain(self.org_a).broken_seq, boundary)
        # A content change earlier in the first range wins over the later break.
        self._tamper(
            "UPDATE core_auditevent SET reason = 'x' WHERE organization_id = %s AND seq = 2", [self.org_a.pk]
        )
        joined = audit.verify_ranges(
            self.org_a, ranges, lambda args: [verification._verify_range(*a, None) for a in args]
        )
        self.assertEqual(joined.broken_seq, 2)

    def test_a_missing_first_event_of_a_range_is_named(self) -> None:
        last = AuditEvent.objects.filter(organization=self.org_a).count()
        ranges = audit.split_ranges(last, 2)
        boundary = ranges[1][0]
        self._tamper(
            "DELETE FROM core_auditevent WHERE organization_id = %s AND seq = %s", [self.org_a.pk, boundary]
        )
        joined = audit.verify_ranges(
            self.org_a, ranges, lambda args: [verification._verify_range(*a, None) for a in args]
        )
        self.assertEqual((joined.broken_seq, joined.problem), (boundary, f"event #{boundary} is missing"))

    def test_jobs_are_refused_inside_a_transaction(self) -> None:
        # Tests run in a transaction: forked processes could not see it, so the walk stays sequential.
        self.assertTrue(verify_chain(self.org_a, jobs=2).ok)
        out = StringIO()
        with self.assertRaises(Exception) as raised:
            call_command("audit", "verify", "--jobs", "0", stdout=out)
        self.assertIn("--jobs", str(raised.exception))


class FlushesTheTrail(TransactionTestCase):
    """Emptying the tables after each test deletes audit events (row by row on SQLite, TRUNCATE on
    PostgreSQL), which the trail's guards refuse: lift them for the flush only."""

    def _fixture_teardown(self) -> None:
        aliases = self._databases_names(include_mirrors=False)
        for alias in aliases:
            db_guards.remove(connections[alias])
        try:
            super()._fixture_teardown()
        finally:
            for alias in aliases:
                db_guards.install(connections[alias])


class ParallelVerifyTests(FlushesTheTrail):
    """``audit verify --jobs 2`` for real: committed events, forked workers, each with its own
    connection, while the parent has just used its own (PostgreSQL broke its protocol when a worker
    inherited the parent's socket)."""

    available_apps = ["qualitas.accounts", "qualitas.core"]

    def test_forked_workers_verify_ranges_and_the_parent_connection_survives(self) -> None:
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.skipTest("forked processes cannot open an in-memory test database")
        org = Organization.objects.create(name="Forks", slug="forks")
        start = dt.datetime(2024, 1, 1, 8, 0, tzinfo=dt.UTC)
        with audit.context("cli"), transaction.atomic(), BulkAuditWriter(org, batch_size=50) as trail:
            for i in range(240):
                trail.add(
                    actor=None,
                    action="test.event",
                    object_type="actions.action",
                    object_id=i,
                    object_repr=f"Task {i}",
                    created_at=start + dt.timedelta(minutes=i),
                    changes={"n": [None, i]},
                )
        with (
            mock.patch.object(verification, "_PARALLEL_FROM", 100),
            mock.patch.object(
                verification, "_verify_parallel", wraps=verification._verify_parallel
            ) as forked,
        ):
            result = verify_chain(org, jobs=2)
        forked.assert_called_once()
        self.assertTrue(result.ok, result)
        self.assertEqual(result.checked, 240)
        # The parent goes on using the database after the workers are gone.
        self.assertEqual(AuditEvent.objects.filter(organization=org).count(), 240)
