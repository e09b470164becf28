import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import render, services
from qualitas.documents.tests.factories import make_document


def three_page_pdf() -> bytes:
    pages = "".join(
        f'<p style="page-break-after: always">Drawing sheet {i} of the flange</p>' for i in (1, 2, 3)
    )
    return HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def page_texts(data: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(data)).pages]


class UploadedPDFStampTests(QualitasTestCase):
    def upload(self, name: str, content: bytes) -> None:
        with audit.context("cli"):
            self.document = make_document(self.org_a, self.manager, code="DR-100", title="Flange", text="")
            self.revision = self.document.revisions.get()
            services.update_revision(
                self.revision, actor=self.manager, data={"file": SimpleUploadedFile(name, content)}
            )
            services.record_external_approval(
                self.revision,
                actor=self.manager,
                effective_date=self.revision.created_at.date(),
                reason="Signed on paper",
            )
        self.revision.refresh_from_db()

    def fetch(self, revision=None) -> bytes:
        self.login(self.member)
        response = self.client.get(reverse("documents:revision_pdf", args=[(revision or self.revision).pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return response.content

    def test_every_page_of_an_uploaded_pdf_carries_the_stamp(self) -> None:
        self.upload("flange.pdf", three_page_pdf())
        texts = page_texts(self.fetch())
        self.assertEqual(len(texts), 4, "three stamped pages of the file, then the signature page")
        effective = self.revision.effective_date.isoformat()
        for number, text in enumerate(texts[:3], start=1):
            self.assertIn(f"Drawing sheet {number}", text)
            self.assertIn("DR-100", text)
            self.assertIn("Rev. A", text)
            self.assertIn(effective, text)
            self.assertIn("Uncontrolled when printed", text)
        self.assertIn("Signature page of an uploaded PDF", texts[3])
        self.assertNotIn("cover sheet", " ".join(texts))

    def test_a_superseded_uploaded_pdf_is_stamped_obsolete_on_every_page(self) -> None:
        self.upload("flange.pdf", three_page_pdf())
        rev_b = services.start_revision(self.document, actor=self.manager, reason="New tolerance")
        services.record_external_approval(
            rev_b, actor=self.manager, effective_date=rev_b.created_at.date(), reason="Signed on paper"
        )
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "superseded")
        texts = page_texts(self.fetch())
        for text in texts[:3]:
            self.assertIn("OBSOLETE – do not use", text)
            self.assertNotIn("Uncontrolled when printed", text)

    def test_pages_of_other_sizes_and_rotations_get_a_stamp_of_their_own_size(self) -> None:
        writer = PdfWriter()
        writer.add_blank_page(width=842, height=595)
        writer.add_blank_page(width=200, height=300).rotate(90)
        out = io.BytesIO()
        writer.write(out)
        self.upload("mixed.pdf", out.getvalue())
        data = self.fetch()
        for text in page_texts(data)[:2]:
            self.assertIn("Uncontrolled when printed", text)

    def test_a_corrupt_pdf_falls_back_to_the_cover_sheet_with_a_message(self) -> None:
        self.upload("broken.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        self.login(self.member)
        response = self.client.get(reverse("documents:revision_pdf", args=[self.revision.pk]))
        self.assertEqual(response.status_code, 200)
        text = " ".join(page_texts(response.content))
        self.assertIn("cover sheet of an uploaded document", text)
        self.assertIn("could not be stamped", text)
        self.assertIn("Uncontrolled when printed", text)
        notices = [str(m) for m in response.wsgi_request._messages]
        self.assertTrue(any("could not be stamped" in m for m in notices))

    def test_an_encrypted_pdf_falls_back_to_the_cover_sheet_and_says_why(self) -> None:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(three_page_pdf())))
        writer.encrypt("secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        self.upload("locked.pdf", out.getvalue())
        text = " ".join(page_texts(self.fetch()))
        self.assertIn("encrypted", text)
        self.assertIn("cover sheet of an uploaded document", text)

    def test_a_word_file_keeps_the_cover_sheet_and_says_it_cannot_be_stamped(self) -> None:
        self.upload("flange.pdf", three_page_pdf())
        self.revision.file_mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        html = render.pdf_html(self.revision, signatures=[], printed_by="x", printed_at="now")
        self.assertIn("cover sheet of an uploaded document", html)
        self.assertIn("a Word document (DOCX), which Qualitas cannot stamp page by page", html)
        copy = render.controlled_copy(self.revision, signatures=[], printed_by="x", printed_at="now")
        self.assertEqual(copy.notice, "")
        self.assertEqual(len(page_texts(copy.pdf)), 1)
