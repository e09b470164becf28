"""Signing cannot be used to guess a password: who may sign is decided before the password, and
repeated wrong passwords lock signing for a while (an audit event, and the person is told)."""

import datetime as dt
from unittest import mock

from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from qualitas.core.exceptions import TransitionError
from qualitas.core.models import AuditEvent
from qualitas.core.testing.world import PASSWORD
from qualitas.documents import services
from qualitas.documents.models import Signature
from qualitas.documents.tests.test_electronic_signatures import InReviewCase


class SigningTestCase(InReviewCase):
    def refusals(self) -> int:
        return AuditEvent.objects.filter(action="signature.refused").count()


class NoPasswordOracleTests(SigningTestCase):
    def test_a_member_who_may_not_sign_gets_the_same_refusal_for_a_right_or_wrong_password(self) -> None:
        before = self.refusals()
        answers = []
        for password in (PASSWORD, "guess"):
            with self.assertRaises(TransitionError) as caught:
                services.sign_revision(
                    self.revision, actor=self.member, password=password, meaning="reviewed"
                )
            answers.append(str(caught.exception))
        self.assertEqual(answers[0], answers[1])
        self.assertIn("not a reviewer", answers[0])
        self.assertEqual(self.refusals(), before, "the password was never looked at")

    def test_a_revision_not_in_review_is_refused_before_the_password(self) -> None:
        services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        for password in (PASSWORD, "guess"):
            with self.assertRaisesMessage(TransitionError, "already signed"):
                services.sign_revision(
                    self.revision, actor=self.auditor, password=password, meaning="reviewed"
                )

    def test_the_page_answers_the_same_for_a_right_or_wrong_password(self) -> None:
        self.login(self.member)
        url = reverse("documents:revision_sign", args=[self.revision.pk])
        for password in (PASSWORD, "guess"):
            response = self.client.post(url, {"meaning": "reviewed", "password": password})
            self.assertEqual(response.status_code, 409)
            self.assertContains(response, "not a reviewer", status_code=409)
            self.assertNotContains(response, "password is not correct", status_code=409)

    def test_the_api_answers_the_same_for_a_right_or_wrong_password(self) -> None:
        client = self.api_client(self.member)
        url = reverse("revision-sign", args=[self.revision.pk])
        right = client.post(url, {"meaning": "reviewed", "password": PASSWORD}, format="json")
        wrong = client.post(url, {"meaning": "reviewed", "password": "guess"}, format="json")
        self.assertEqual(right.status_code, 409, right.content)
        self.assertEqual((wrong.status_code, wrong.json()), (right.status_code, right.json()))
        self.assertFalse(Signature.objects.exists())


@override_settings(QUALITAS_SIGNING_MAX_FAILURES=3, QUALITAS_SIGNING_LOCK_MINUTES=15)
class SigningLockoutTests(SigningTestCase):
    def guess(self, password: str = "guess") -> ValidationError:
        with self.assertRaises(ValidationError) as caught:
            services.sign_revision(self.revision, actor=self.auditor, password=password, meaning="reviewed")
        return caught.exception

    def test_the_third_wrong_password_locks_signing_and_the_right_one_is_then_refused_unchecked(self) -> None:
        self.auditor.email = "auditor@example.com"
        self.auditor.save()
        self.guess()
        self.guess()
        with self.captureOnCommitCallbacks(execute=True):
            third = self.guess()
        self.assertIn("Signing is locked", third.message_dict["password"][0])
        locked = AuditEvent.objects.get(action="signature.locked")
        self.assertEqual(locked.actor_id, self.auditor.pk)
        self.assertEqual(locked.object_type, "accounts.membership")
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["auditor@example.com"])
        self.assertIn("locked", mail.outbox[0].subject)
        before = self.refusals()
        with mock.patch("django.contrib.auth.base_user.AbstractBaseUser.check_password") as checked:
            refused = self.guess(PASSWORD)
        checked.assert_not_called()
        self.assertIn("Signing is locked", refused.message_dict["password"][0])
        self.assertEqual(self.refusals(), before, "attempts while locked are not counted again")
        self.assertFalse(Signature.objects.exists())

    def test_the_lock_expires_and_the_count_starts_again(self) -> None:
        for _ in range(3):
            self.guess()
        later = timezone.now() + dt.timedelta(minutes=16)
        with mock.patch("django.utils.timezone.now", return_value=later):
            again = self.guess()
            self.assertIn("password is not correct", again.message_dict["password"][0])
            sig = services.sign_revision(
                self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed"
            )
        self.assertEqual(sig.signer_id, self.auditor.pk)

    def test_wrong_passwords_older_than_the_window_do_not_count(self) -> None:
        self.guess()
        self.guess()
        later = timezone.now() + dt.timedelta(minutes=16)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertIn("password is not correct", self.guess().message_dict["password"][0])
            services.sign_revision(self.revision, actor=self.auditor, password=PASSWORD, meaning="reviewed")
        self.assertFalse(AuditEvent.objects.filter(action="signature.locked").exists())

    def test_the_page_and_the_api_say_that_signing_is_locked(self) -> None:
        for _ in range(3):
            self.guess()
        self.login(self.auditor)
        page = self.client.post(
            reverse("documents:revision_sign", args=[self.revision.pk]),
            {"meaning": "reviewed", "password": PASSWORD},
        )
        self.assertContains(page, "Signing is locked", status_code=400)
        api = self.api_client(self.auditor).post(
            reverse("revision-sign", args=[self.revision.pk]),
            {"meaning": "reviewed", "password": PASSWORD},
            format="json",
        )
        self.assertEqual(api.status_code, 400)
        self.assertIn("Signing is locked", str(api.json()))
        self.assertFalse(Signature.objects.exists())
