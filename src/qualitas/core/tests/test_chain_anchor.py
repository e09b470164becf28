"""The audit chain's anchor: the database refuses to truncate the trail or move its head back, and
``audit verify`` fails when records exist but the chain is short, empty, or no longer reaches a
checkpoint signed with a key the database does not hold."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from qualitas.accounts.models import Organization
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, db_guards
from qualitas.core.models import AuditChainHead, AuditEvent
from qualitas.core.testing import QualitasTestCase


def execute(sql: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


class TruncateGuardTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            make_action(self.org_a, self.manager, title="Calibrate gauge")

    def test_postgresql_refuses_to_truncate_the_event_table(self) -> None:
        if connection.vendor != "postgresql":
            self.skipTest("TRUNCATE is PostgreSQL's")
        for sql in (
            "TRUNCATE core_auditevent",
            "TRUNCATE core_auditchainhead",
            # Cascading from the organizations reaches the trail too.
            "TRUNCATE accounts_organization CASCADE",
        ):
            with (
                self.subTest(sql=sql),
                self.assertRaisesMessage(DatabaseError, "cannot be truncated"),
                transaction.atomic(),
            ):
                # Fire the deferred foreign-key checks of this test's inserts first: TRUNCATE
                # refuses a table with pending trigger events, which would hide the guard.
                execute("SET CONSTRAINTS ALL IMMEDIATE")
                execute(sql)
        self.assertTrue(AuditEvent.objects.filter(organization=self.org_a).exists())

    def test_sqlite_refuses_to_empty_the_event_table(self) -> None:
        # SQLite has no TRUNCATE: a DELETE without WHERE is its truncate optimisation, which
        # SQLite never applies to a table with a DELETE trigger, so the row guard refuses it.
        if connection.vendor != "sqlite":
            self.skipTest("SQLite's truncate optimisation")
        with self.assertRaisesMessage(DatabaseError, "append-only"), transaction.atomic():
            execute("DELETE FROM core_auditevent")
        self.assertTrue(AuditEvent.objects.filter(organization=self.org_a).exists())


class HeadGuardTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            for i in range(3):
                make_action(self.org_a, self.manager, title=f"Task {i}")
        self.head = AuditChainHead.objects.get(organization=self.org_a)

    def test_the_head_never_moves_backwards(self) -> None:
        earlier = AuditEvent.objects.get(organization=self.org_a, seq=self.head.seq - 2)
        with self.assertRaisesMessage(DatabaseError, "never moves backwards"), transaction.atomic():
            execute(
                "UPDATE core_auditchainhead SET seq = %s, last_hash = %s WHERE id = %s",
                [earlier.seq, earlier.hash, self.head.pk],
            )
        with self.assertRaisesMessage(DatabaseError, "never moves backwards"), transaction.atomic():
            execute("UPDATE core_auditchainhead SET seq = 0 WHERE id = %s", [self.head.pk])
        self.head.refresh_from_db()
        self.assertGreater(self.head.seq, earlier.seq)

    def test_the_head_keeps_its_hash_and_organization_at_the_same_seq(self) -> None:
        quiet = Organization.objects.create(name="No trail yet", slug="quiet")
        for sql, params in (
            ("UPDATE core_auditchainhead SET last_hash = %s WHERE id = %s", ["f" * 64, self.head.pk]),
            ("UPDATE core_auditchainhead SET organization_id = %s WHERE id = %s", [quiet.pk, self.head.pk]),
        ):
            with (
                self.subTest(sql=sql),
                self.assertRaisesMessage(DatabaseError, "never moves backwards"),
                transaction.atomic(),
            ):
                execute(sql, params)

    def test_the_head_cannot_be_removed(self) -> None:
        with self.assertRaisesMessage(DatabaseError, "cannot be removed"), transaction.atomic():
            execute("DELETE FROM core_auditchainhead WHERE id = %s", [self.head.pk])
        self.assertTrue(AuditChainHead.objects.filter(pk=self.head.pk).exists())

    def test_appending_still_moves_the_head_forward(self) -> None:
        with audit.context("cli"):
            make_action(self.org_a, self.manager, title="One more")
        self.assertEqual(AuditChainHead.objects.get(pk=self.head.pk).seq, self.head.seq + 1)
        self.assertTrue(audit.verify_chain(self.org_a).ok)


def lift_guards_and(*statements: tuple[str, list[object]]) -> None:
    """Rewrite the trail the way someone who owns the tables would: guards off, SQL, guards on."""
    db_guards.remove(connection)
    try:
        for sql, params in statements:
            execute(sql, params)
    finally:
        db_guards.install(connection)


def run_verify(*args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


class ShortChainTests(QualitasTestCase):
    def test_an_emptied_trail_with_its_head_reset_fails_while_records_exist(self) -> None:
        with audit.context("cli"):
            make_action(self.org_a, self.manager, title="Calibrate gauge")
        lift_guards_and(
            ("DELETE FROM core_auditevent WHERE organization_id = %s", [self.org_a.pk]),
            ("DELETE FROM core_auditchainhead WHERE organization_id = %s", [self.org_a.pk]),
        )
        code, out = run_verify("--org", "org-a")
        self.assertEqual(code, 1, out)
        self.assertIn(
            "org-a: BROKEN at event #1: the chain is empty, but the organization holds records", out
        )

    def test_a_cut_tail_with_the_head_moved_back_fails(self) -> None:
        later = timezone.now() + dt.timedelta(hours=1)
        with audit.context("cli"), mock.patch("django.utils.timezone.now", return_value=later):
            action = make_action(self.org_a, self.manager, title="Written an hour later")
        events = list(audit.history_for(action).order_by("seq"))
        keep = AuditEvent.objects.get(organization=self.org_a, seq=events[0].seq - 1)
        lift_guards_and(
            (
                "DELETE FROM core_auditevent WHERE organization_id = %s AND seq >= %s",
                [self.org_a.pk, events[0].seq],
            ),
            (
                "UPDATE core_auditchainhead SET seq = %s, last_hash = %s WHERE organization_id = %s",
                [keep.seq, keep.hash, self.org_a.pk],
            ),
        )
        self.assertTrue(audit.verify_chain(self.org_a).ok)  # the chain alone still fits
        code, out = run_verify("--org", "org-a")
        self.assertEqual(code, 1, out)
        self.assertIn(f"the chain ends at #{keep.seq}, but actions.action #{action.pk} changed later", out)

    def test_organizations_whose_records_all_have_events_verify(self) -> None:
        with audit.context("cli"):
            make_action(self.org_a, self.manager, title="Calibrate gauge")
        Organization.objects.create(name="No records yet", slug="quiet")
        code, out = run_verify()
        self.assertEqual(code, 0, out)
        self.assertIn("org-a: OK", out)
        self.assertIn("org-b: OK", out)
        self.assertIn("quiet: OK, 0 events verified", out)
