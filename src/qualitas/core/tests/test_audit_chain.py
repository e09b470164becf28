import itertools
from io import StringIO

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, db_guards
from qualitas.core.audit import verify_chain
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase


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
        db_guards.remove(connection)
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
        finally:
            db_guards.install(connection)

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

        with mock.patch("qualitas.core.audit.transaction.get_connection") as conn:
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
