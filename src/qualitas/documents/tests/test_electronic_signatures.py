from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import queries, services
from qualitas.documents.models import Signature
from qualitas.documents.tests.factories import make_document


class InReviewCase(QualitasTestCase):
    """A document with one reviewer (auditor) and two approvers (manager, owner), its revision in review."""

    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_document(
                self.org_a, self.manager, reviewers=[self.auditor], approvers=[self.manager, self.owner]
            )
            self.revision = self.document.revisions.get()
            services.transition_revision(self.revision, "submit", actor=self.manager)
        self.revision.refresh_from_db()


class ElectronicSignatureTests(InReviewCase):
    def test_a_signature_binds_name_time_meaning_and_the_content_hash(self) -> None:
        sig = services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        self.assertEqual(sig.signer_name, "Auditor")
        self.assertEqual(sig.signer_username, "auditor")
        self.assertEqual(sig.content_sha256, self.revision.compute_content_hash())
        self.assertEqual(sig.signature_sha256, sig.compute_signature_hash())
        self.assertEqual(self.last_event().action, "signature.reviewed")

    def test_a_wrong_password_is_refused_and_the_attempt_is_audited(self) -> None:
        with self.assertRaisesMessage(ValidationError, "password is not correct"):
            services.sign_revision(self.revision, actor=self.auditor, password="guess", meaning="reviewed")
        self.assertFalse(Signature.objects.exists())
        event = self.last_event()
        self.assertEqual(event.action, "signature.refused")
        self.assertEqual(event.actor_id, self.auditor.pk)
        self.assertEqual(event.reason, "wrong password")

    def test_no_self_approval_when_the_organization_forbids_it(self) -> None:
        services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        with self.assertRaisesMessage(TransitionError, "self-approval"):
            services.sign_revision(self.revision, actor=self.manager, password=PASSWORD, meaning="approved")
        self.org_a.allow_self_approval = True
        self.org_a.save()
        services.sign_revision(self.revision, actor=self.manager, password=PASSWORD, meaning="approved")

    def test_sequential_order_waits_for_reviews_before_approval(self) -> None:
        with self.assertRaisesMessage(TransitionError, "waits until every reviewer"):
            services.sign_revision(self.revision, actor=self.owner, password=PASSWORD, meaning="approved")

    def test_parallel_order_accepts_approval_before_review(self) -> None:
        self.document.approval_order = "parallel"
        self.document.save()
        services.sign_revision(self.revision, actor=self.owner, password=PASSWORD, meaning="approved")
        self.revision.refresh_from_db()
        self.assertEqual(
            self.revision.status, "in_review", "still waiting for the review and the other approver"
        )

    def test_only_named_reviewers_and_approvers_may_sign(self) -> None:
        with self.assertRaisesMessage(TransitionError, "not a reviewer"):
            services.sign_revision(self.revision, actor=self.member, password=PASSWORD, meaning="reviewed")
        with self.assertRaisesMessage(TransitionError, "not an approver"):
            services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="approved")

    def test_rejection_needs_a_comment_and_returns_the_revision_to_draft(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Say why you reject"):
            services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="rejected")
        services.sign_revision(
            self.revision,
            actor=self.auditor,
            password=PASSWORD,
            meaning="rejected",
            comment="Step 2 contradicts the drawing.",
        )
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "draft")
        # A new round: the old signatures do not count.
        services.transition_revision(self.revision, "submit", actor=self.manager)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.cycle, 2)
        self.assertEqual(len(queries.pending_signers(self.revision)["reviewers"]), 1)

    def test_the_same_person_cannot_sign_twice_with_the_same_meaning(self) -> None:
        services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        with self.assertRaisesMessage(TransitionError, "already signed"):
            services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")

    def test_signatures_are_shown_on_the_page_and_signing_works_from_the_form(self) -> None:
        self.login(self.auditor)
        url = reverse("documents:revision_sign", args=[self.revision.pk])
        response = self.client.post(url, {"meaning": "reviewed", "password": "nope"})
        # Refused: the sign form again, with the reason on the password field and the meaning kept.
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "nothing was signed", status_code=400)
        self.assertContains(response, 'value="reviewed" selected', status_code=400)
        self.assertFalse(Signature.objects.exists())
        self.client.post(url, {"meaning": "reviewed", "password": PASSWORD})
        page = self.client.get(self.revision.get_absolute_url())
        self.assertContains(page, "Electronic signatures")
        self.assertContains(page, "Auditor")
        self.assertContains(page, "Reviewed")

    def test_api_sign_with_a_wrong_password_is_400_and_the_right_one_201(self) -> None:
        client = self.api_client(self.auditor)
        url = reverse("revision-sign", args=[self.revision.pk])
        bad = client.post(url, {"meaning": "reviewed", "password": "x"}, format="json")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("password", bad.json()["fields"])
        ok = client.post(url, {"meaning": "reviewed", "password": PASSWORD}, format="json")
        self.assertEqual(ok.status_code, 201, ok.content)
        self.assertEqual(ok.json()["signer_name"], "Auditor")

    def test_refusal_events_survive_while_no_signature_is_written(self) -> None:
        # Parallel order: the owner may approve now, so the password is what is refused.
        self.document.approval_order = "parallel"
        self.document.save()
        before = AuditEvent.objects.filter(action="signature.refused").count()
        for _ in range(2):
            with self.assertRaises(ValidationError):
                services.sign_revision(self.revision, actor=self.owner, password="bad", meaning="approved")
        self.assertEqual(AuditEvent.objects.filter(action="signature.refused").count(), before + 2)


class TwoApproversAtOnceTests(QualitasTestCase):
    """Two approvers act on stale copies of the same revision: both signatures are kept, the approval
    step completes exactly once, and a repeated signature is refused."""

    def setUp(self) -> None:
        with audit.context("cli"):
            self.document = make_document(
                self.org_a, self.admin, approvers=[self.manager, self.owner], approval_order="parallel"
            )
            self.revision = self.document.revisions.get()
            services.transition_revision(self.revision, "submit", actor=self.manager)

    def test_both_signatures_are_kept_and_the_step_completes_once(self) -> None:
        from qualitas.documents.models import Revision

        stale_1 = Revision.objects.get(pk=self.revision.pk)
        stale_2 = Revision.objects.get(pk=self.revision.pk)
        services.sign_revision(stale_1, actor=self.manager, password=PASSWORD, meaning="approved")
        services.sign_revision(stale_2, actor=self.owner, password=PASSWORD, meaning="approved")
        self.assertEqual(Signature.objects.filter(revision=self.revision).count(), 2)
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "approved")
        approvals = AuditEvent.objects.filter(action="revision.approve", object_id=str(self.revision.pk))
        self.assertEqual(approvals.count(), 1)

    def test_a_stale_second_signature_after_approval_is_refused(self) -> None:
        from qualitas.documents.models import Revision

        stale = Revision.objects.get(pk=self.revision.pk)
        services.sign_revision(self.revision, actor=self.manager, password=PASSWORD, meaning="approved")
        services.sign_revision(self.revision, actor=self.owner, password=PASSWORD, meaning="approved")
        self.assertEqual(stale.status, "in_review")
        with self.assertRaisesMessage(TransitionError, "Only a revision in review"):
            services.sign_revision(stale, actor=self.manager, password=PASSWORD, meaning="approved")
        self.assertEqual(Signature.objects.filter(revision=self.revision).count(), 2)

    def test_the_same_approver_on_two_stale_copies_signs_once(self) -> None:
        from qualitas.documents.models import Revision

        a, b = Revision.objects.get(pk=self.revision.pk), Revision.objects.get(pk=self.revision.pk)
        services.sign_revision(a, actor=self.manager, password=PASSWORD, meaning="approved")
        with self.assertRaisesMessage(TransitionError, "already signed"):
            services.sign_revision(b, actor=self.manager, password=PASSWORD, meaning="approved")
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.status, "in_review")
