"""The evidence pack button: a job built a bounded chunk per progress poll, then downloaded."""

import io
import tempfile
import zipfile
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from qualitas.core import audit
from qualitas.core import services as core_services
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing.world import QualitasTestCase
from qualitas.standards import pack, queries, services
from qualitas.standards.choices import PackJobStatus
from qualitas.standards.models import PackJob
from qualitas.standards.services import packs

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEDIA = tempfile.mkdtemp(prefix="qualitas-std-packjob-")


@override_settings(MEDIA_ROOT=MEDIA)
class EvidencePackJobTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        with audit.context("cli"), override_settings(MEDIA_ROOT=MEDIA):
            services.ensure_requirements(cls.org_a, actor=cls.manager)
            for number, name in (
                ("7.1.5.2", "calibration.pdf"),
                ("7.2", "training.pdf"),
                ("8.7.1", "ncr.pdf"),
            ):
                req = queries.requirements(cls.org_a).get(clause__number=number)
                core_services.add_attachment(
                    req, actor=cls.manager, upload=SimpleUploadedFile(name, PDF, "application/pdf")
                )

    def start(self, user=None) -> PackJob:
        self.login(user or self.manager)
        response = self.client.post(reverse("standards:evidence_pack"))
        job = PackJob.objects.filter(organization=self.org_a).latest("pk")
        self.assertRedirects(response, job.get_absolute_url())
        return job

    def poll(self, job: PackJob) -> str:
        response = self.client.get(reverse("standards:packjob_progress", args=[job.pk]))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def finish(self, job: PackJob) -> str:
        html = ""
        for _ in range(50):
            html = self.poll(job)
            job.refresh_from_db()
            if job.finished:
                return html
        self.fail("the pack never finished")

    def test_the_button_queues_a_job_with_an_audit_event_and_shows_a_polling_progress_page(self) -> None:
        job = self.start()
        self.assertEqual(job.status, PackJobStatus.PENDING)
        self.assertEqual(job.created_by, self.manager)
        self.assertEqual(self.last_event(self.org_a).action, "packjob.create")
        page = self.client.get(job.get_absolute_url()).content.decode()
        self.assertIn('hx-trigger="load delay:1s"', page)
        self.assertIn(reverse("standards:packjob_progress", args=[job.pk]), page)

    def test_each_poll_advances_a_bounded_chunk_and_shows_the_counts(self) -> None:
        job = self.start()
        with mock.patch.object(packs, "PACK_CHUNK_STEPS", 1):
            self.poll(job)  # collects the evidence and writes index.html
            job.refresh_from_db()
            self.assertEqual((job.status, job.done_steps), (PackJobStatus.RUNNING, 1))
            self.assertEqual(job.total_steps, 3 + 3)  # index.html, index.pdf, three files, README
            self.poll(job)  # index.pdf
            html = self.poll(job)  # the first file
        job.refresh_from_db()
        self.assertEqual(job.done_steps, 3)
        self.assertIn("3 of 6 steps", html)
        self.assertIn(f'class="pack-clause">{job.current_clause}<', html)
        self.assertIn("7.1.5.2", html)
        self.assertIn("hx-get", html)

    def test_the_finished_job_offers_a_download_with_the_same_entries_as_the_command(self) -> None:
        job = self.start()
        html = self.finish(job)
        self.assertEqual(job.status, PackJobStatus.DONE)
        self.assertEqual(job.done_steps, job.total_steps)
        self.assertNotIn("hx-get", html)
        url = reverse("standards:packjob_download", args=[job.pk])
        self.assertIn(url, html)
        self.assertEqual(self.last_event(self.org_a).action, "packjob.done")
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/zip")
        from_button = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        out = io.BytesIO()
        pack.build(self.org_a, out)
        from_command = zipfile.ZipFile(out)
        self.assertEqual(sorted(from_button.namelist()), sorted(from_command.namelist()))
        self.assertEqual(len([n for n in from_button.namelist() if n.startswith("files/")]), 3)
        self.assertTrue(from_button.read("index.pdf").startswith(b"%PDF"))
        self.assertIsNone(from_button.testzip())

    def test_a_broken_build_marks_the_job_failed_with_a_message_not_a_server_error(self) -> None:
        job = self.start()
        with mock.patch.object(pack, "collect", side_effect=RuntimeError("disk on fire")):
            html = self.poll(job)
        job.refresh_from_db()
        self.assertEqual(job.status, PackJobStatus.FAILED)
        self.assertIn("disk on fire", job.message)
        self.assertIn("Failed", html)
        self.assertNotIn("hx-get", html)
        self.assertEqual(self.last_event(self.org_a).action, "packjob.fail")
        url = reverse("standards:packjob_download", args=[job.pk])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_another_organizations_job_progress_and_download_answer_404(self) -> None:
        job = self.start()
        self.finish(job)
        self.login(self.outsider)
        for name in ("packjob", "packjob_progress", "packjob_download"):
            self.assertEqual(self.client.get(reverse(f"standards:{name}", args=[job.pk])).status_code, 404)

    def test_a_viewer_may_build_a_pack_as_the_button_always_allowed(self) -> None:
        self.login(self.viewer)
        self.assertIn("Build the pack", self.client.get(reverse("standards:evidence_pack")).content.decode())
        job = self.start(self.viewer)
        self.poll(job)
        job.refresh_from_db()
        self.assertEqual(job.status, PackJobStatus.RUNNING)

    def test_someone_outside_the_organization_cannot_start_its_pack(self) -> None:
        with self.assertRaises(NotAllowed):
            services.start_pack_job(self.org_a, actor=self.outsider)
        self.assertFalse(PackJob.objects.filter(organization=self.org_a).exists())
