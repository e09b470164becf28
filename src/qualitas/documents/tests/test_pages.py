import random
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import render, services
from qualitas.documents.models import Acknowledgement, Document, Record, Signature
from qualitas.documents.tests.factories import make_document, make_effective_document, make_record


class PagesTests(QualitasTestCase):
    def test_every_page_of_the_area_renders_for_a_reader(self) -> None:
        with audit.context("cli"):
            doc = make_effective_document(self.org_a, self.manager, ack_roles=["viewer"])
            record = make_record(self.org_a, self.manager)
        self.login(self.viewer)
        for url in (
            reverse("documents:document_list"),
            doc.get_absolute_url(),
            doc.effective_revision.get_absolute_url(),
            reverse("documents:to_read"),
            reverse("documents:search"),
            reverse("documents:record_list"),
            record.get_absolute_url(),
            record.record_type.get_absolute_url(),
            reverse("documents:recordtype_list"),
            reverse("core:home"),
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
        self.assertContains(self.client.get(reverse("documents:to_read")), "Read and understood")
        with audit.context("cli"):
            draft = make_document(self.org_a, self.manager)
        self.login(self.manager)
        for url in (
            reverse("documents:revision_edit", args=[draft.revisions.get().pk]),
            reverse("documents:document_edit", args=[draft.pk]),
            reverse("documents:document_add"),
            reverse("documents:document_import"),
            reverse("documents:record_add"),
            reverse("documents:recordtype_add"),
        ):
            self.assertEqual(self.client.get(url).status_code, 200, url)
        edit = self.client.post(
            reverse("documents:revision_edit", args=[draft.revisions.get().pk]),
            {"change_reason": "First issue.", "text": "# New text", "version": 1},
        )
        self.assertEqual(edit.status_code, 302, edit.content[:500])
        self.assertEqual(draft.revisions.get().text, "# New text")

    def test_a_signer_sees_the_sign_form_and_the_revision_in_to_read(self) -> None:
        with audit.context("cli"):
            doc = make_document(self.org_a, self.owner, approvers=[self.manager])
            services.transition_revision(doc.revisions.get(), "submit", actor=self.owner)
        self.login(self.manager)
        self.assertContains(self.client.get(doc.revisions.get().get_absolute_url()), 'name="password"')
        self.assertContains(self.client.get(reverse("documents:to_read")), doc.code)

    def test_an_uploaded_pdf_gets_a_stamped_cover_sheet(self) -> None:
        with audit.context("cli"):
            doc = make_document(self.org_a, self.manager, text="")
            services.update_revision(
                doc.revisions.get(),
                actor=self.manager,
                data={
                    "file": SimpleUploadedFile(
                        "drawing.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
                    )
                },
            )
        revision = doc.revisions.get()
        html = render.pdf_html(revision, signatures=[], printed_by="x", printed_at="now")
        self.assertIn("cover sheet of an uploaded document", html)
        self.assertIn(revision.file_sha256, html)
        self.login(self.member)
        response = self.client.get(reverse("documents:revision_file", args=[revision.pk]))
        self.assertEqual(response.status_code, 200)

    def test_the_change_request_button_starts_a_draft(self) -> None:
        with audit.context("cli"):
            doc = make_effective_document(self.org_a, self.manager, owner=self.owner)
        self.login(self.owner)
        response = self.client.post(
            reverse("documents:document_change", args=[doc.pk]), {"reason": "New gauge"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(doc.revisions.filter(label="B", status="draft").exists())
        self.login(self.member)
        response = self.client.post(reverse("documents:document_change", args=[doc.pk]), {"reason": "x"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(doc.revisions.count(), 2, "a member cannot request a change")


class DemoDataTests(QualitasTestCase):
    def test_the_demo_loader_builds_documents_signatures_overdue_reviews_and_pending_reading(self) -> None:
        from qualitas.documents import demo

        people = {
            "admin": self.admin,
            "quality": self.manager,
            "director": self.admin,
            "production": self.owner,
            "purchasing": self.admin,
            "auditor": self.auditor,
            "operator": self.member,
            "operator2": self.member,
            "certifier": self.viewer,
        }
        with audit.context("cli"), mock.patch("qualitas.demo.loader.DEMO_PASSWORD", PASSWORD):
            demo.load(self.org_a, people, random.Random(1))
        docs = Document.objects.filter(organization=self.org_a)
        self.assertGreaterEqual(docs.count(), 25)
        self.assertTrue(Signature.objects.filter(organization=self.org_a).exists())
        self.assertTrue(any(d.review_overdue for d in docs))
        self.assertTrue(
            Acknowledgement.objects.filter(
                organization=self.org_a, user=self.member, acknowledged_at__isnull=True
            ).exists()
        )
        self.assertTrue(Record.objects.filter(organization=self.org_a, status="disposed").exists())
        self.assertTrue(docs.get(code="WI-CNC-03").revisions.filter(status="superseded").exists())
