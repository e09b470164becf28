"""An organization exported to an archive and imported into an empty database comes back whole:
same records, same numbers, attachments, and an audit chain that still verifies."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qualitas.actions.models import Action
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.services import add_attachment, add_comment
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.databases import migrated_copy
from qualitas.core.transfer import export_organization, unscoped_models

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qualitas.cli", *args], env=env, capture_output=True, text=True, timeout=240
    )


class ExportImportRoundTripTests(QualitasTestCase):
    def test_every_model_is_scoped_to_an_organization(self) -> None:
        self.assertEqual(unscoped_models(), [])

    @pytest.mark.slow
    def test_round_trip_into_an_empty_database(self) -> None:
        import tempfile

        with audit.context("cli"):
            action = make_action(self.org_a, self.manager, title="Round trip")
            add_comment(action, actor=self.manager, body="Looks right")
            add_attachment(action, actor=self.manager, upload=SimpleUploadedFile("cert.pdf", PDF))
            make_action(self.org_b, self.outsider, title="Not exported")
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "org-a.zip"
            counts = export_organization(self.org_a, archive)
            self.assertEqual(counts["actions.action"], 1)
            self.assertEqual(counts["accounts.organization"], 1)
            self.assertNotIn("outsider", archive.read_bytes().decode("latin-1"))

            env = {k: v for k, v in os.environ.items() if not k.startswith("QUALITAS_")}
            env.update(
                QUALITAS_DATABASE_URL=f"sqlite:///{tmp}/target.sqlite3",
                QUALITAS_SECRET_KEY="x" * 50,
                QUALITAS_BASE_URL="https://qms.example",
                QUALITAS_MEDIA_DIR=f"{tmp}/media",
                QUALITAS_DATA_DIR=tmp,
                DJANGO_SETTINGS_MODULE="qualitas.settings",
            )
            migrated_copy(Path(tmp) / "target.sqlite3")  # else (another engine) migrate builds it all
            self.assertEqual(_run(["migrate", "-v0"], env).returncode, 0)
            result = _run(["import", str(archive)], env)
            self.assertEqual(result.returncode, 0, result.stderr)
            verify = _run(["audit", "verify"], env)
            self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
            self.assertIn("org-a: OK", verify.stdout)
            check = _run(
                [
                    "shell",
                    "-c",
                    "from qualitas.actions.models import Action; from qualitas.core.models import Attachment;"
                    "a = Action.objects.get(); print(a.reference, a.title, a.owner.username);"
                    "f = Attachment.objects.get(); print(f.file.read()[:8])",
                ],
                env,
            )
            self.assertIn(f"{action.reference} Round trip manager", check.stdout, check.stderr)
            self.assertIn("%PDF-1.4", check.stdout)
            again = _run(["import", str(archive)], env)
            self.assertEqual(again.returncode, 2)
            self.assertIn("not empty", again.stderr)
        self.assertEqual(Action.objects.count(), 2)


class CommandLineErrorTests(QualitasTestCase):
    def test_bad_input_exits_2_with_one_line(self) -> None:
        from django.core.management import call_command
        from django.core.management.base import CommandError

        for args in (
            ["export", "no-such-org", "/tmp/x.zip"],
            ["import", "/no/such/file.zip"],
            ["audit", "verify", "--org", "nope"],
        ):
            with self.assertRaises(CommandError) as ctx:
                call_command(*args)
            self.assertEqual(ctx.exception.returncode, 2, args)
            self.assertNotIn("\n", str(ctx.exception))

    def test_import_of_a_file_that_is_no_archive_exits_2(self) -> None:
        import tempfile

        from django.core.management import call_command
        from django.core.management.base import CommandError

        with tempfile.NamedTemporaryFile(suffix=".zip") as fh:
            fh.write(b"not a zip")
            fh.flush()
            with self.assertRaises(CommandError) as ctx:
                call_command("import", fh.name)
        self.assertEqual(ctx.exception.returncode, 2)
