import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.downloads import download_bytes
from qualitas.documents import imports
from qualitas.documents.models import Document

GOOD = (
    "code,title,type,owner,revision,effective_date,review_interval_months,tags\n"
    "QP-01,Control of documents,procedure,manager,C,2024-05-01,24,documents\n"
    "WI-01,Setting up lathe L3,Work instruction,owner,B,2026-01-10,12,cnc\n"
    "F-01,Router card,form,manager,,,36,form\n"
)
BAD = (
    "code,title,type,owner,revision,effective_date\n"
    "QP-01,Control of documents,procedure,manager,C,2024-05-01\n"
    "QP-01,Duplicate code,procedure,manager,A,2024-05-01\n"
    "QP-02,,memo,nobody,A,01/05/2024\n"
)


def upload(text: str, name: str = "register.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


class RegisterImportTests(QualitasTestCase):
    def test_preview_then_confirm_imports_every_row(self) -> None:
        self.login(self.manager)
        url = reverse("documents:document_import")
        preview = self.client.post(url, {"file": upload(GOOD)})
        self.assertEqual(preview.status_code, 200)
        self.assertContains(preview, "Import 3 documents")
        self.assertFalse(
            Document.objects.filter(organization=self.org_a).exists(), "the preview writes nothing"
        )
        done = self.client.post(url, {"confirm": "1"})
        self.assertEqual(done.status_code, 302)
        docs = {d.code: d for d in Document.objects.filter(organization=self.org_a)}
        self.assertEqual(set(docs), {"QP-01", "WI-01", "F-01"})
        self.assertEqual(docs["QP-01"].status, "effective")
        self.assertEqual(docs["QP-01"].current_label, "C")
        self.assertTrue(docs["QP-01"].review_overdue)
        self.assertEqual(docs["WI-01"].doc_type, "work_instruction")
        self.assertEqual(docs["F-01"].status, "draft")
        self.assertEqual(
            self.events_for(docs["QP-01"].effective_revision)[0].action, "revision.make_effective"
        )

    def test_errors_are_reported_per_row_and_nothing_is_written(self) -> None:
        self.login(self.manager)
        response = self.client.post(reverse("documents:document_import"), {"file": upload(BAD)})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "appears twice in the file", status_code=400)
        self.assertContains(response, "title is empty", status_code=400)
        self.assertContains(response, "unknown type", status_code=400)
        self.assertContains(response, "is not a member", status_code=400)
        self.assertContains(response, "effective_date must be YYYY-MM-DD", status_code=400)
        self.assertNotContains(response, "Import 3 documents", status_code=400)
        with self.assertRaises(ValidationError):
            imports.REGISTER.run(
                organization=self.org_a,
                actor=self.manager,
                table=imports.REGISTER.read("x.csv", BAD.encode()),
            )
        self.assertFalse(Document.objects.filter(organization=self.org_a).exists())

    def test_xlsx_is_read_like_csv(self) -> None:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for line in GOOD.strip().splitlines():
            ws.append(line.split(","))
        out = io.BytesIO()
        wb.save(out)
        table = imports.REGISTER.read("register.xlsx", out.getvalue())
        rows = imports.REGISTER.validate(self.org_a, table)
        self.assertEqual([r.errors for r in rows], [[], [], []])

    def test_a_missing_column_is_one_clear_message(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Missing columns: owner"):
            imports.REGISTER.read("x.csv", b"code,title\nA,B\n")

    def test_only_quality_managers_and_administrators_import(self) -> None:
        self.login(self.owner)
        self.assertEqual(self.client.get(reverse("documents:document_import")).status_code, 403)

    def test_the_master_list_exports_csv_and_xlsx_with_filters(self) -> None:
        imports.REGISTER.run(
            organization=self.org_a, actor=self.manager, table=imports.REGISTER.read("x.csv", GOOD.encode())
        )
        self.login(self.viewer)
        csv_response = self.client.get(
            reverse("documents:document_list"), {"export": "csv", "doc_type": "form"}
        )
        body = download_bytes(csv_response).decode("utf-8-sig")
        self.assertIn("F-01,Router card", body)
        self.assertNotIn("QP-01", body)
        xlsx = self.client.get(reverse("documents:document_list"), {"export": "xlsx"})
        self.assertEqual(
            xlsx["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
