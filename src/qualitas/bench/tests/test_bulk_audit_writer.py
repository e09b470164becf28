import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.db import connection, transaction

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, db_guards
from qualitas.core.audit import compute_hash, verify_chain
from qualitas.core.bulk import BulkAuditWriter
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.testing import QualitasTestCase

FIELDS = (
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


class BulkAuditWriterTests(QualitasTestCase):
    def write_bulk(self, n: int = 30) -> None:
        start = dt.datetime(2024, 1, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)
        with audit.context("cli"), transaction.atomic(), BulkAuditWriter(self.org_a, batch_size=7) as trail:
            for i in range(n):
                trail.add(
                    actor=self.manager if i % 3 else None,
                    action="bench.test",
                    object_type="actions.action",
                    object_id=i,
                    object_repr=f"Task «{i}» ✓",
                    created_at=start + dt.timedelta(minutes=i),
                    changes={
                        "title": [None, f"Tâche {i}"],
                        "due": [None, dt.date(2024, 2, i % 28 + 1)],
                        "n": [i, i + 0.5],
                    },
                    reason="imported" if i % 2 else "",
                )

    def test_bulk_events_continue_the_chain_and_verify(self) -> None:
        with audit.context("cli"):
            make_action(self.org_a, self.manager)
        before = AuditEvent.objects.filter(organization=self.org_a).count()
        self.write_bulk(30)
        with audit.context("cli"):
            make_action(self.org_a, self.manager)  # a service event after the bulk events still chains
        events = list(AuditEvent.objects.filter(organization=self.org_a).order_by("seq"))
        self.assertEqual(len(events), before + 31)
        self.assertEqual([e.seq for e in events], list(range(1, len(events) + 1)))
        self.assertEqual(AuditChainHead.objects.get(organization=self.org_a).seq, len(events))
        result = verify_chain(self.org_a)
        self.assertTrue(result.ok, result.problem)
        self.assertEqual(result.checked, len(events))
        out = StringIO()
        call_command("audit", "verify", "--org", "org-a", stdout=out)
        self.assertIn("org-a: OK", out.getvalue())

    def test_bulk_hashes_are_what_compute_hash_gives_after_a_round_trip(self) -> None:
        self.write_bulk(10)
        rows = AuditEvent.objects.filter(organization=self.org_a, action="bench.test").values_list(
            *FIELDS, "hash"
        )
        for row in rows:
            record = dict(zip(FIELDS, row[:-1], strict=True))
            self.assertEqual(compute_hash(org_uuid=str(self.org_a.uuid), **record), row[-1])
        self.assertEqual(rows[0][1].microsecond, 123000, "times are kept to the millisecond")

    def test_writer_refuses_to_run_outside_a_transaction(self) -> None:
        from unittest import mock

        with mock.patch.object(connection, "in_atomic_block", False), self.assertRaises(RuntimeError):
            BulkAuditWriter(self.org_a).__enter__()

    def test_a_failure_inside_the_block_writes_nothing(self) -> None:
        before = AuditEvent.objects.count()
        with (
            self.assertRaises(ValueError),
            transaction.atomic(),
            BulkAuditWriter(self.org_a, batch_size=2) as trail,
        ):
            for i in range(5):
                trail.add(actor=None, action="bench.test", object_type="x", object_id=i, object_repr="x")
            raise ValueError("boom")
        self.assertEqual(AuditEvent.objects.count(), before)
        self.assertTrue(verify_chain(self.org_a).ok)

    def test_tampered_changes_are_caught_and_reformatted_equal_json_is_not(self) -> None:
        self.write_bulk(5)
        target = AuditEvent.objects.filter(organization=self.org_a, action="bench.test").order_by("seq")[2]
        db_guards.remove(connection)
        try:
            with connection.cursor() as cursor:
                # The same content, other key order and spacing: not a change.
                cursor.execute(
                    "UPDATE core_auditevent SET changes = %s WHERE id = %s",
                    [
                        '{"title":[null,"T\\u00e2che 2"],  "n": [2, "2.5"], "due":[null,"2024-02-03"]}',
                        target.pk,
                    ],
                )
                self.assertTrue(verify_chain(self.org_a).ok, verify_chain(self.org_a).problem)
                cursor.execute(
                    "UPDATE core_auditevent SET changes = %s WHERE id = %s",
                    ['{"title": [null, "Tache 2"], "n": [2, "2.5"], "due": [null, "2024-02-03"]}', target.pk],
                )
        finally:
            db_guards.install(connection)
        result = verify_chain(self.org_a)
        self.assertFalse(result.ok)
        self.assertEqual(result.broken_seq, target.seq)
        self.assertIn("content", result.problem)
