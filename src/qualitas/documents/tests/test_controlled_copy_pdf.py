import shutil
import subprocess
import tempfile

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.documents import render, services
from qualitas.documents.tests.factories import make_effective_document


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout


class ControlledCopyTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_effective_document(
                self.org_a, self.manager, code="WI-CNC-03", title="Deburring of turned parts"
            )
        self.revision = self.document.effective_revision

    def test_the_stamp_names_code_revision_effective_date_and_uncontrolled_when_printed(self) -> None:
        stamp = render.stamp_text(self.revision)
        self.assertEqual(stamp["banner"], "Uncontrolled when printed")
        self.assertIn(
            "WI-CNC-03 · Rev. A · Effective " + self.revision.effective_date.isoformat(), stamp["head"]
        )
        self.login(self.viewer)
        html = self.client.get(reverse("documents:revision_pdf", args=[self.revision.pk]), {"html": "1"})
        self.assertContains(html, '@top-left { content: "WI-CNC-03 · Rev. A · Effective')
        self.assertContains(html, '@top-right { content: "Uncontrolled when printed"')

    def test_a_superseded_revision_is_stamped_obsolete(self) -> None:
        rev_b = services.start_revision(self.document, actor=self.manager, reason="Loupe check")
        services.record_external_approval(
            rev_b, actor=self.manager, effective_date=rev_b.created_at.date(), reason="Signed on paper"
        )
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "superseded")
        self.assertEqual(render.stamp_text(self.revision)["banner"], "OBSOLETE – do not use")

    def test_the_pdf_carries_the_stamp_on_every_page(self) -> None:
        if shutil.which("pdftotext") is None:
            self.skipTest("pdftotext is not installed")
        long_text = "\n\n".join(f"Step {i}: check the edge and record it." for i in range(1, 120))
        rev_b = services.start_revision(self.document, actor=self.manager, reason="Longer", text=long_text)
        services.record_external_approval(
            rev_b, actor=self.manager, effective_date=rev_b.created_at.date(), reason="Signed on paper"
        )
        self.login(self.member)
        response = self.client.get(reverse("documents:revision_pdf", args=[rev_b.pk]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        pages = pdf_text(response.content).split("\f")
        pages = [p for p in pages if p.strip()]
        self.assertGreater(len(pages), 1)
        for page in pages:
            self.assertIn("Uncontrolled when printed", page)
            self.assertIn("WI-CNC-03", page)
            self.assertIn("Rev. B", page)
        old = self.client.get(reverse("documents:revision_pdf", args=[self.revision.pk]))
        self.assertIn("OBSOLETE", pdf_text(old.content))
