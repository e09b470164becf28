"""The evidence pack: index.html, index.pdf, the scope and SoA, and the evidence files."""

import io
import tempfile
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from qualitas.core import audit
from qualitas.core import services as core_services
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import pack, queries, services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="qualitas-std-media-")


@override_settings(MEDIA_ROOT=MEDIA)
class EvidencePackTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"), override_settings(MEDIA_ROOT=MEDIA):
            services.save_scope(
                cls.org_a,
                actor=cls.manager,
                data={
                    "profile": "production",
                    "statement": "Machining to customer drawings at Plant 1.",
                    "sites": "Plant 1",
                    "products_services": "Turned parts",
                },
                design_justification="We make parts only to customer drawings.",
            )
            cls.req = queries.requirements(cls.org_a).get(clause__number="7.1.5.2")
            services.update_requirement(cls.req, actor=cls.manager, data={"status": "implemented"})
            core_services.add_attachment(
                cls.req,
                actor=cls.manager,
                upload=SimpleUploadedFile("calibration-cert.pdf", PDF, "application/pdf"),
            )
            proc = services.create_legacy_procedure(
                organization=cls.org_a,
                actor=cls.manager,
                data={
                    "reference": "QP-11",
                    "title": "Calibration procedure",
                    "element": queries.legacy_elements().get(number="4.11"),
                },
            )
            services.link_evidence(cls.req, proc, actor=cls.manager, note="How we calibrate")

    def build(self) -> zipfile.ZipFile:
        out = io.BytesIO()
        pack.build(self.org_a, out)
        out.seek(0)
        return zipfile.ZipFile(out)

    def test_the_pack_holds_index_pdf_and_the_files(self) -> None:
        zf = self.build()
        names = zf.namelist()
        self.assertIn("index.html", names)
        self.assertIn("index.pdf", names)
        self.assertTrue(zf.read("index.pdf").startswith(b"%PDF"))
        files = [n for n in names if n.startswith("files/7.1.5.2/")]
        self.assertEqual(len(files), 1)
        self.assertEqual(zf.read(files[0]), PDF)

    def test_the_index_maps_every_applicable_clause_and_shows_scope_and_soa(self) -> None:
        html = self.build().read("index.html").decode()
        for clause in queries.applicable_clauses(self.org_a):
            self.assertIn(f"<h3>{clause.number} ", html)
        self.assertNotIn("<h3>8.3.1 ", html)
        self.assertIn("Machining to customer drawings at Plant 1.", html)
        self.assertIn("We make parts only to customer drawings.", html)
        self.assertIn("Calibration procedure", html)
        self.assertIn("calibration-cert.pdf", html)

    def test_the_pack_of_organization_b_holds_nothing_of_a(self) -> None:
        out = io.BytesIO()
        pack.build(self.org_b, out)
        out.seek(0)
        zf = zipfile.ZipFile(out)
        self.assertFalse([n for n in zf.namelist() if n.startswith("files/")])
        self.assertNotIn("Calibration procedure", zf.read("index.html").decode())

    def test_the_command_writes_the_pack(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "pack.zip"
            call_command("evidence_pack", "org-a", str(target), stdout=io.StringIO())
            self.assertIn("index.pdf", zipfile.ZipFile(target).namelist())

    def test_the_button_queues_a_pack_job(self) -> None:
        self.login(self.viewer)
        self.assertEqual(self.client.get(reverse("standards:evidence_pack")).status_code, 200)
        response = self.client.post(reverse("standards:evidence_pack"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/evidence-pack/", response["Location"])
