"""Inviting and removing assessors from the assessment's page: one message, back to the assessors,
a refusal kept on the form or shown on the page."""

from django.urls import reverse

from qualitas.assessment import services
from qualitas.assessment.models import Assessor
from qualitas.assessment.tests.factories import make_assessment
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class AssessorPageTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.a = make_assessment(self.org_a, self.manager, mode="small")
        self.add_url = reverse("assessment:assessor_add", args=[self.a.pk])

    def test_an_invited_member_is_named_in_the_message_and_the_page_returns_to_the_assessors(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.add_url, {"user": self.member.pk, "perspective": "production"})
        assessors = self.a.get_absolute_url() + "#assessors"
        self.assertRedirects(response, assessors, fetch_redirect_response=False)
        self.assertTrue(Assessor.objects.filter(assessment=self.a, user=self.member).exists())
        self.assertContains(self.client.get(response["Location"]), f"Invited {self.member}")

    def test_a_viewer_is_refused_on_the_form_with_what_was_typed(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.add_url, {"user": self.viewer.pk, "perspective": "top management"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "top management", status_code=400)
        self.assertFalse(Assessor.objects.filter(assessment=self.a, user=self.viewer).exists())

    def test_a_member_who_does_not_run_the_assessment_gets_403(self) -> None:
        self.login(self.member)
        self.assertEqual(self.client.post(self.add_url, {"user": self.member.pk}).status_code, 403)
        self.assertFalse(self.a.assessors.exists())

    def test_removing_an_assessor_names_them_and_returns_to_the_assessors(self) -> None:
        with audit.context("cli"):
            assessor = services.add_assessor(self.a, actor=self.manager, user=self.member)
        self.login(self.manager)
        response = self.client.post(reverse("assessment:assessor_delete", args=[assessor.pk]), follow=True)
        self.assertRedirects(response, self.a.get_absolute_url() + "#assessors")
        self.assertContains(response, f"Removed {self.member}")
        self.assertFalse(self.a.assessors.exists())
