import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import queries, services
from qualitas.documents.models import DocumentStatus, Revision
from qualitas.documents.tests.factories import make_document


class RevisionLifeCycleTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_document(
                self.org_a, self.owner, reviewers=[self.auditor], approvers=[self.manager]
            )
        self.revision = self.document.revisions.get()

    def approve(self, revision: Revision) -> Revision:
        services.transition_revision(revision, "submit", actor=self.owner)
        services.sign_revision(revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        services.sign_revision(revision, actor=self.manager, password=PASSWORD, meaning="approved")
        revision.refresh_from_db()
        return revision

    def test_a_new_document_starts_with_a_draft_revision_a_and_an_automatic_code(self) -> None:
        self.assertEqual(self.revision.label, "A")
        self.assertEqual(self.revision.status, "draft")
        self.assertEqual(self.document.code, "WI-01")
        self.assertEqual(self.document.status, DocumentStatus.DRAFT)

    def test_review_then_approval_then_release_makes_the_revision_effective(self) -> None:
        revision = self.approve(self.revision)
        self.assertEqual(revision.status, "approved")
        self.assertIsNotNone(revision.approved_at)
        services.release_revision(revision, actor=self.manager)
        revision.refresh_from_db()
        self.document.refresh_from_db()
        self.assertEqual(revision.status, "effective")
        self.assertEqual(revision.effective_date, timezone.localdate())
        self.assertEqual(self.document.status, DocumentStatus.EFFECTIVE)
        self.assertEqual(self.document.effective_revision_id, revision.pk)
        self.assertEqual(self.document.next_review_due, queries.add_months(timezone.localdate(), 24))

    def test_a_change_request_keeps_the_old_revision_in_force_until_the_new_one_takes_effect(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        with self.assertRaises(ValidationError):
            services.start_revision(self.document, actor=self.owner, reason="")
        rev_b = services.start_revision(self.document, actor=self.owner, reason="New torque value")
        self.assertEqual(rev_b.label, "B")
        self.assertEqual(rev_b.text, self.revision.text)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "effective")
        with self.assertRaisesMessage(ValidationError, "already in progress"):
            services.start_revision(self.document, actor=self.owner, reason="Another one")
        services.update_revision(rev_b, actor=self.owner, data={"text": rev_b.text.replace("25 Nm", "30 Nm")})
        rev_b = self.approve(rev_b)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "effective", "approval alone does not supersede")
        services.release_revision(rev_b, actor=self.manager)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "superseded")
        self.assertIsNotNone(self.revision.superseded_at)
        self.document.refresh_from_db()
        self.assertEqual(self.document.current_label, "B")

    def test_a_superseded_revision_cannot_be_approved_or_signed(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        rev_b = services.start_revision(self.document, actor=self.owner, reason="Update")
        services.release_revision(self.approve(rev_b), actor=self.manager)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "superseded")
        with self.assertRaisesMessage(TransitionError, "Only a revision in review"):
            services.sign_revision(self.revision, actor=self.manager, password=PASSWORD, meaning="approved")
        with self.assertRaises(TransitionError):
            services.transition_revision(self.revision, "approve", actor=self.manager)
        with self.assertRaisesMessage(TransitionError, "Only an approved revision"):
            services.release_revision(self.revision, actor=self.manager)

    def test_only_a_draft_can_be_edited(self) -> None:
        services.transition_revision(self.revision, "submit", actor=self.owner)
        with self.assertRaisesMessage(ValidationError, "Only a draft"):
            services.update_revision(self.revision, actor=self.owner, data={"text": "changed"})

    def test_submission_needs_content_and_an_approver(self) -> None:
        with audit.context("cli"):
            empty = make_document(self.org_a, self.owner, text="", approvers=[self.manager])
            no_approver = make_document(self.org_a, self.owner)
        with self.assertRaisesMessage(TransitionError, "Write the content"):
            services.transition_revision(empty.revisions.get(), "submit", actor=self.owner)
        with self.assertRaisesMessage(TransitionError, "at least one approver"):
            services.transition_revision(no_approver.revisions.get(), "submit", actor=self.owner)

    def test_approval_is_not_a_button(self) -> None:
        services.transition_revision(self.revision, "submit", actor=self.owner)
        with self.assertRaisesMessage(TransitionError, "electronic signature"):
            services.transition_revision(self.revision, "approve", actor=self.admin)

    def test_a_text_revision_shows_a_diff_against_the_previous_one(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        rev_b = services.start_revision(self.document, actor=self.owner, reason="New torque")
        services.update_revision(
            rev_b, actor=self.owner, data={"text": self.revision.text.replace("25 Nm", "30 Nm")}
        )
        self.login(self.viewer)
        response = self.client.get(reverse("documents:revision", args=[rev_b.pk]))
        self.assertContains(response, "Changes since revision A")
        self.assertContains(response, '<table class="diff list"')
        self.assertContains(response, "30 Nm")

    def test_markdown_content_is_rendered_safely(self) -> None:
        services.update_revision(
            self.revision,
            actor=self.owner,
            data={"text": "# Title\n\n<script>alert(1)</script> [x](javascript:alert(1))"},
        )
        self.login(self.viewer)
        response = self.client.get(reverse("documents:revision", args=[self.revision.pk]))
        self.assertContains(response, "<h1>Title</h1>")
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertNotContains(response, 'href="javascript:')

    def test_obsolete_needs_a_reason_and_takes_the_document_out_of_force(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        with self.assertRaisesMessage(TransitionError, "reason is required"):
            services.transition_revision(self.revision, "obsolete", actor=self.manager)
        services.transition_revision(self.revision, "obsolete", actor=self.manager, reason="Machine sold")
        self.document.refresh_from_db()
        self.assertEqual(self.document.status, DocumentStatus.OBSOLETE)

    def test_uploaded_content_is_checked_and_hashed(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        pdf = SimpleUploadedFile("wi.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        services.update_revision(self.revision, actor=self.owner, data={"file": pdf})
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.file_mime, "application/pdf")
        self.assertEqual(len(self.revision.file_sha256), 64)
        fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf at all")
        with self.assertRaises(ValidationError):
            services.update_revision(self.revision, actor=self.owner, data={"file": fake})

    def test_the_code_of_an_effective_document_cannot_change(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        with self.assertRaisesMessage(ValidationError, "cannot change"):
            services.update_document(self.document, actor=self.manager, data={"code": "WI-99"})

    def test_an_effective_document_cannot_be_deleted(self) -> None:
        services.release_revision(self.approve(self.revision), actor=self.manager)
        with self.assertRaises(ValidationError):
            services.delete_document(self.document, actor=self.admin, reason="x")

    def test_revision_labels_follow_the_scheme(self) -> None:
        with audit.context("cli"):
            doc = make_document(self.org_a, self.manager, revision_scheme="numbers")
        self.assertEqual(doc.revisions.get().label, "1")
        self.assertEqual(queries.next_label(self.document), "B")

    def test_add_months_clamps_to_the_end_of_the_month(self) -> None:
        self.assertEqual(queries.add_months(dt.date(2026, 1, 31), 1), dt.date(2026, 2, 28))
        self.assertEqual(queries.add_months(dt.date(2026, 11, 15), 24), dt.date(2028, 11, 15))
