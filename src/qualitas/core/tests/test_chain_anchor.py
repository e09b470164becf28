"""The audit chain's anchor: the database refuses to truncate the trail or move its head back, and
``audit verify`` fails when records exist but the chain is short, empty, or no longer reaches a
checkpoint signed with a key the database does not hold."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import zipfile
from dataclasses import replace
from io import StringIO
from pathlib import Path
from unittest import mock

from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from qualitas.accounts.models import Organization
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit, db_guards, transfer
from qualitas.core.audit import EVENT_COLUMNS, checkpoints, compute_hash
from qualitas.core.audit.checkpoints import Checkpoint
from qualitas.core.audit.coverage import check_coverage
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


def rewrite_from(org: Organization, seq: int, reason: str) -> list[tuple[str, list[object]]]:
    """The SQL that edits event ``seq`` and recomputes every later hash and the head."""
    prev = AuditEvent.objects.get(organization=org, seq=seq - 1).hash
    statements: list[tuple[str, list[object]]] = []
    rows = AuditEvent.objects.filter(organization=org, seq__gte=seq).order_by("seq")
    for row in rows.values("id", *EVENT_COLUMNS):
        pk = row.pop("id")
        if row["seq"] == seq:
            row["reason"] = reason
        row["prev_hash"] = prev
        new_hash = compute_hash(org_uuid=str(org.uuid), **row)
        statements.append(
            (
                "UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row["reason"], prev, new_hash, pk],
            )
        )
        prev = new_hash
    statements.append(
        ("UPDATE core_auditchainhead SET last_hash = %s WHERE organization_id = %s", [prev, org.pk])
    )
    return statements


class CheckpointTests(QualitasTestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        settings_ = override_settings(
            QUALITAS_CHECKPOINT_KEY="",
            QUALITAS_CHECKPOINT_KEY_FILE=self.folder / "keys" / "checkpoint.key",
            QUALITAS_CHECKPOINT_DIR=self.folder / "checkpoints",
        )
        settings_.enable()
        self.addCleanup(settings_.disable)
        with audit.context("cli"):
            self.action = make_action(self.org_a, self.manager, title="Calibrate gauge")

    def checkpoint(self, *args: str) -> list[Checkpoint]:
        out = StringIO()
        call_command("audit", "checkpoint", *args, stdout=out, stderr=StringIO())
        return checkpoints.read(out.getvalue().splitlines())

    def note(self, action: str) -> None:
        """An event that changes no record (as a link, a view or a sent reminder writes)."""
        with audit.context("cli"), transaction.atomic():
            audit.record(self.action, actor=self.manager, action=action)

    def test_a_checkpoint_signs_each_head_with_a_key_outside_the_database(self) -> None:
        printed = self.checkpoint()
        head = AuditChainHead.objects.get(organization=self.org_a)
        mine = next(cp for cp in printed if cp.organization == str(self.org_a.uuid))
        self.assertEqual((mine.slug, mine.seq, mine.hash), ("org-a", head.seq, head.last_hash))
        key_file = self.folder / "keys" / "checkpoint.key"
        self.assertEqual(key_file.stat().st_mode & 0o777, 0o600)
        self.assertTrue(mine.is_signed_with(key_file.read_text().strip().encode()))
        self.assertFalse(mine.is_signed_with(b"another key"))
        self.assertEqual(checkpoints.latest(str(self.org_a.uuid)), mine)
        self.assertEqual({cp.organization for cp in printed}, {str(self.org_a.uuid), str(self.org_b.uuid)})
        code, out = run_verify()
        self.assertEqual(code, 0, out)
        self.assertIn("org-a: OK", out)

    def test_a_chain_cut_back_before_the_checkpoint_fails(self) -> None:
        self.note("action.reminded")
        self.note("action.reminded")
        (mine,) = self.checkpoint("--org", "org-a")
        keep = AuditEvent.objects.get(organization=self.org_a, seq=mine.seq - 2)
        lift_guards_and(
            (
                "DELETE FROM core_auditevent WHERE organization_id = %s AND seq > %s",
                [self.org_a.pk, keep.seq],
            ),
            (
                "UPDATE core_auditchainhead SET seq = %s, last_hash = %s WHERE organization_id = %s",
                [keep.seq, keep.hash, self.org_a.pk],
            ),
        )
        self.assertTrue(check_coverage(self.org_a, audit.verify_chain(self.org_a)).ok)
        code, out = run_verify("--org", "org-a")
        self.assertEqual(code, 1, out)
        self.assertIn(
            f"the chain ends at #{keep.seq}, before the checkpoint of {mine.at} at #{mine.seq}", out
        )

    def test_an_edited_event_with_later_hashes_recomputed_fails(self) -> None:
        self.note("action.reminded")
        (mine,) = self.checkpoint("--org", "org-a")
        target = mine.seq - 2
        lift_guards_and(*rewrite_from(self.org_a, target, "rewritten"))
        self.assertTrue(audit.verify_chain(self.org_a).ok)  # the chain alone fits again
        code, out = run_verify("--org", "org-a")
        self.assertEqual(code, 1, out)
        self.assertIn(f"event #{mine.seq} does not match the checkpoint of {mine.at}", out)
        # A copy kept elsewhere catches it too, after the stored checkpoints are gone.
        copy = self.folder / "kept-elsewhere.jsonl"
        copy.write_text(mine.line() + "\n")
        shutil.rmtree(self.folder / "checkpoints")
        code, out = run_verify("--org", "org-a", "--checkpoint", str(copy))
        self.assertEqual(code, 1, out)
        self.assertIn("the chain was rewritten", out)

    def test_a_forged_checkpoint_is_refused(self) -> None:
        (mine,) = self.checkpoint("--org", "org-a")
        forged = self.folder / "forged.jsonl"
        forged.write_text(replace(mine, seq=mine.seq - 1).line() + "\n")
        code, out = run_verify("--org", "org-a", "--checkpoint", str(forged))
        self.assertEqual(code, 1, out)
        self.assertIn("is not signed with this key", out)

    def test_checkpoints_without_their_key_or_in_a_bad_file_are_a_setup_error(self) -> None:
        self.checkpoint("--org", "org-a")
        (self.folder / "keys" / "checkpoint.key").unlink()
        with self.assertRaisesMessage(CommandError, "no checkpoint key"):
            run_verify("--org", "org-a")
        bad = self.folder / "bad.jsonl"
        bad.write_text("not a checkpoint\n")
        with self.assertRaisesMessage(CommandError, "not a checkpoint"):
            run_verify("--checkpoint", str(bad))

    def test_a_broken_chain_is_not_signed(self) -> None:
        event = AuditEvent.objects.filter(organization=self.org_a).order_by("seq")[1]
        lift_guards_and(("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [event.pk]))
        err = StringIO()
        with self.assertRaises(SystemExit):
            call_command("audit", "checkpoint", "--org", "org-a", stdout=StringIO(), stderr=err)
        self.assertIn(f"org-a: not signed, BROKEN at event #{event.seq}", err.getvalue())
        self.assertIsNone(checkpoints.latest(str(self.org_a.uuid)))

    def test_checkpoints_go_by_mail_and_into_the_export_manifest(self) -> None:
        (mine,) = self.checkpoint("--org", "org-a", "--mail", "auditor@example.org")
        self.assertEqual(mail.outbox[0].to, ["auditor@example.org"])
        self.assertIn(mine.line(), mail.outbox[0].body)
        archive = self.folder / "org-a.zip"
        transfer.export_organization(self.org_a, archive)
        with zipfile.ZipFile(archive) as zf:
            manifest = json.loads(zf.read("manifest.json"))
        self.assertEqual(manifest["checkpoint"]["seq"], mine.seq)
        self.assertEqual(manifest["checkpoint"]["signature"], mine.signature)
