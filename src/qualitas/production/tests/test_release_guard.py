"""Release cannot be used to guess a password: who may release and whether the lot may be released
are decided before the password; wrong passwords lock signing (shared with document signatures)."""

from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD
from qualitas.production import services
from qualitas.production.choices import LotStatus
from qualitas.production.tests.factories import make_characteristic, make_lot


class ReleaseGuardTestCase(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.ch = make_characteristic(self.org_a, self.manager)
            self.lot = make_lot(self.org_a, self.manager, product=self.ch.product)

    def inspect(self) -> None:
        rows = [{"characteristic": self.ch, "lot": self.lot, "value": 10.0} for _ in range(5)]
        services.import_readings(organization=self.org_a, actor=self.member, rows=rows)


class NoPasswordOracleOnReleaseTests(ReleaseGuardTestCase):
    def test_a_lot_that_may_not_be_released_is_refused_the_same_for_a_right_or_wrong_password(self) -> None:
        answers = []
        for password in (PASSWORD, "guess"):
            with self.assertRaises(ValidationError) as caught:
                services.release_lot(self.lot, actor=self.manager, password=password)
            answers.append(caught.exception.message_dict)
        self.assertEqual(answers[0], answers[1])
        self.assertNotIn("password", answers[0])
        self.assertFalse(AuditEvent.objects.filter(action="signature.refused").exists())

    def test_a_batch_with_one_unreleasable_lot_is_refused_before_the_password(self) -> None:
        self.inspect()
        with audit.context("cli"):
            other = make_lot(self.org_a, self.manager, product=self.ch.product)
        for password in (PASSWORD, "guess"):
            with self.assertRaisesMessage(ValidationError, "no inspection record"):
                services.release_lots([self.lot, other], actor=self.manager, password=password)

    def test_a_person_who_may_not_release_is_refused_the_same_for_a_right_or_wrong_password(self) -> None:
        self.inspect()
        for password in (PASSWORD, "guess"):
            with self.assertRaises(NotAllowed):
                services.release_lot(self.lot, actor=self.owner, password=password)

    def test_page_and_api_answer_the_same_for_a_right_or_wrong_password(self) -> None:
        self.login(self.manager)
        url = reverse("production:lot_release", args=[self.lot.pk])
        for password in (PASSWORD, "guess"):
            page = self.client.post(url, {"password": password})
            self.assertContains(page, "no inspection record", status_code=400)
            self.assertNotContains(page, "password is not correct", status_code=400)
        client = self.api_client(self.manager)
        api_url = reverse("lot-release", args=[self.lot.pk])
        right = client.post(api_url, {"password": PASSWORD}, format="json")
        wrong = client.post(api_url, {"password": "guess"}, format="json")
        self.assertEqual(right.status_code, 400)
        self.assertEqual((wrong.status_code, wrong.json()), (right.status_code, right.json()))
        member = self.api_client(self.member)
        refused = [member.post(api_url, {"password": p}, format="json") for p in (PASSWORD, "guess")]
        self.assertEqual(refused[0].status_code, 403)
        self.assertEqual((refused[1].status_code, refused[1].json()), (403, refused[0].json()))


@override_settings(QUALITAS_SIGNING_MAX_FAILURES=2)
class ReleaseLockoutTests(ReleaseGuardTestCase):
    def test_wrong_passwords_lock_release_and_the_right_one_is_refused_while_locked(self) -> None:
        self.inspect()
        for _ in range(2):
            with self.assertRaisesMessage(ValidationError, "password"):
                services.release_lot(self.lot, actor=self.manager, password="guess")
        self.assertEqual(
            AuditEvent.objects.filter(action="signature.refused", object_type="production.lot").count(), 2
        )
        self.assertTrue(
            AuditEvent.objects.filter(action="signature.locked", actor_id=self.manager.pk).exists()
        )
        api = self.api_client(self.manager).post(
            reverse("lot-release", args=[self.lot.pk]), {"password": PASSWORD}, format="json"
        )
        self.assertEqual(api.status_code, 400)
        self.assertIn("Signing is locked", str(api.json()))
        self.lot.refresh_from_db()
        self.assertEqual(self.lot.status, LotStatus.IN_PROCESS)

    def test_one_lock_for_documents_and_lots(self) -> None:
        from qualitas.documents import services as documents
        from qualitas.documents.tests.factories import make_document

        self.inspect()
        with audit.context("cli"):
            document = make_document(self.org_a, self.admin, reviewers=[self.manager], approvers=[self.admin])
            revision = document.revisions.get()
            documents.transition_revision(revision, "submit", actor=self.admin)
        for _ in range(2):
            with self.assertRaises(ValidationError):
                documents.sign_revision(revision, actor=self.manager, password="guess", meaning="reviewed")
        with self.assertRaisesMessage(ValidationError, "Signing is locked"):
            services.release_lot(self.lot, actor=self.manager, password=PASSWORD)
