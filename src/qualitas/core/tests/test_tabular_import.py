"""core.tabular: reading uploads within limits, import specs (every row checked, all or nothing) and
the one ImportView (upload → preview → confirm)."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from qualitas.actions.models import Action
from qualitas.core.models import AuditEvent
from qualitas.core.tabular.imports import ImportColumn
from qualitas.core.tabular.reading import cell_text, column_name, read_upload, restore
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import xlsx_bytes
from qualitas.core.tests.mechanism_urls import ActionImport


class ReadingTests(SimpleTestCase):
    def test_csv_with_semicolons_and_xlsx_read_alike(self) -> None:
        import datetime as dt

        from_csv = read_upload("a.csv", "title;due\nGauge;2026-03-01\n\n;\n".encode("utf-8-sig"))
        from_xlsx = read_upload(
            "a.xlsx", xlsx_bytes([["title", "due"], ["Gauge", dt.datetime(2026, 3, 1)], [None]])
        )
        self.assertEqual(from_csv, [["title", "due"], ["Gauge", "2026-03-01"]])
        self.assertEqual(from_xlsx, from_csv)

    def test_reading_stops_at_the_row_limit(self) -> None:
        body = "title\n" + "x\n" * 10
        self.assertEqual(len(read_upload("a.csv", body.encode(), max_rows=10)), 11)
        with self.assertRaisesMessage(ValidationError, "At most 9 rows per file"):
            read_upload("a.csv", body.encode(), max_rows=9)
        with self.assertRaisesMessage(ValidationError, "At most 2 rows per file"):
            read_upload("a.xlsx", xlsx_bytes([["title"], ["a"], ["b"], ["c"]]), max_rows=2)

    def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 << 20))  # 3 MB of zeros, a few KB packed
        self.assertLess(len(out.getvalue()), 100_000)
        with self.assertRaisesMessage(ValidationError, "unpacks to more than 2 MB"):
            read_upload("bomb.xlsx", out.getvalue(), max_xlsx_bytes=2 << 20)

    def test_unreadable_files_are_one_clear_message(self) -> None:
        for name, content, message in (
            ("a.xlsx", b"PK\x03\x04 not a zip", "not a readable XLSX"),
            ("a.csv", "title\nK\xf6ln\n".encode("latin-1"), "UTF-8"),
            ("a.csv", b"\n\n", "no rows"),
        ):
            with self.assertRaisesMessage(ValidationError, message):
                read_upload(name, content)

    def test_cells_read_as_typed_and_the_export_apostrophe_comes_off(self) -> None:
        self.assertEqual(cell_text(12.0), "12")
        self.assertEqual(cell_text(12.5), "12.5")
        self.assertEqual(cell_text(None), "")
        self.assertEqual(restore("'=SUM(A1)"), "=SUM(A1)")
        self.assertEqual(restore("'quoted'"), "'quoted'")
        self.assertEqual(column_name("Review interval (months)"), "review_interval_months")


GOOD = "title,owner,due,priority\nRecalibrate G-12,owner,2026-04-01,high\nOrder gauges,Manager,,\n"


class ImportSpecTests(QualitasTestCase):
    spec = ActionImport()

    def test_every_row_is_checked_and_each_error_names_its_row_and_column(self) -> None:
        table = self.spec.read(
            "a.csv",
            b"title,owner,due,priority\nA,owner,2026-13-01,high\nA,nobody,,someday\n,owner,,\n",
        )
        rows = self.spec.validate(self.org_a, table)
        self.assertEqual([r.line for r in rows], [2, 3, 4])
        self.assertEqual(rows[0].errors, ["due must be YYYY-MM-DD"])
        self.assertIn("title A appears twice in the file", rows[1].errors)
        self.assertIn("owner “nobody” is not a member (use the user name)", rows[1].errors)
        self.assertIn("unknown priority “someday”", rows[1].errors)
        self.assertEqual(rows[2].errors, ["title is empty"])

    def test_a_missing_required_column_is_one_message(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Missing columns: owner"):
            self.spec.read("a.csv", b"title\nA\n")

    def test_all_rows_or_none(self) -> None:
        created = self.spec.run(
            organization=self.org_a, actor=self.manager, table=self.spec.read("a.csv", GOOD.encode())
        )
        self.assertEqual([a.title for a in created], ["Recalibrate G-12", "Order gauges"])
        self.assertEqual(created[0].priority, "high")
        self.assertEqual(created[1].owner, self.manager)
        before = (Action.objects.count(), AuditEvent.objects.count())
        table = self.spec.read("a.csv", b"title,owner\nNew one,owner\nRecalibrate G-12,owner\n")
        with self.assertRaises(ValidationError) as refused:
            self.spec.run(organization=self.org_a, actor=self.manager, table=table)
        self.assertIn("Row 3: title Recalibrate G-12 already exists", str(refused.exception))
        self.assertEqual((Action.objects.count(), AuditEvent.objects.count()), before)

    def test_refusals_of_the_service_are_collected_per_row_and_roll_everything_back(self) -> None:
        long_title = "x" * 250  # this spec reads any length: the service's full_clean refuses it

        class AnyLengthTitles(ActionImport):
            columns = [ImportColumn("title", required=True), *ActionImport.columns[1:]]

        spec = AnyLengthTitles()
        table = spec.read("a.csv", f"title,owner\nFine,owner\n{long_title},owner\n".encode())
        with self.assertRaises(ValidationError) as refused:
            spec.run(organization=self.org_a, actor=self.manager, table=table)
        self.assertIn("Row 3: title: Ensure this value has at most 200 characters", str(refused.exception))
        self.assertFalse(Action.objects.filter(organization=self.org_a, title="Fine").exists())

    def test_the_role_is_checked(self) -> None:
        from qualitas.core.exceptions import NotAllowed

        with self.assertRaises(NotAllowed):
            self.spec.run(
                organization=self.org_a, actor=self.viewer, table=self.spec.read("a.csv", GOOD.encode())
            )


@override_settings(ROOT_URLCONF="qualitas.core.tests.mechanism_urls")
class ImportViewTests(QualitasTestCase):
    def upload(self, body: str, name: str = "actions.csv") -> SimpleUploadedFile:
        return SimpleUploadedFile(name, body.encode())

    def test_upload_previews_then_confirm_imports_every_row(self) -> None:
        self.login(self.manager)
        url = reverse("t_action_import")
        page = self.client.get(url)
        self.assertContains(page, "<code>title</code> <strong>required</strong>")
        preview = self.client.post(url, {"file": self.upload(GOOD)})
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "Import 2 actions")
        self.assertFalse(
            Action.objects.filter(organization=self.org_a).exists(), "the preview writes nothing"
        )
        done = self.client.post(url, {"confirm": "1"})
        self.assertRedirects(done, reverse("actions:action_list"), fetch_redirect_response=False)
        self.assertEqual(Action.objects.filter(organization=self.org_a).count(), 2)
        again = self.client.post(url, {"confirm": "1"}, follow=True)
        self.assertContains(again, "The preview expired")
        self.assertEqual(Action.objects.filter(organization=self.org_a).count(), 2)

    def test_rows_with_errors_are_shown_and_cannot_be_confirmed(self) -> None:
        self.login(self.manager)
        url = reverse("t_action_import")
        response = self.client.post(url, {"file": self.upload("title,owner\nA,nobody\n")})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "is not a member", status_code=400)
        self.assertNotContains(response, 'name="confirm"', status_code=400)
        self.client.post(url, {"confirm": "1"})
        self.assertFalse(Action.objects.filter(organization=self.org_a).exists())

    def test_too_many_rows_a_bad_file_and_a_read_only_role(self) -> None:
        self.login(self.manager)
        url = reverse("t_action_import")
        many = "title,owner\n" + "".join(f"T{i},owner\n" for i in range(6))
        self.assertContains(
            self.client.post(url, {"file": self.upload(many)}), "At most 5 rows", status_code=400
        )
        bad = self.client.post(url, {"file": self.upload("PK\x03\x04", "a.xlsx")})
        self.assertContains(bad, "not a readable XLSX", status_code=400)
        self.assertEqual(self.client.post(url, {}).status_code, 400)
        self.login(self.viewer)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.assertEqual(self.client.post(url, {"file": self.upload(GOOD)}).status_code, 403)
