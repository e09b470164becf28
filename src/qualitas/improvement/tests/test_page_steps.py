"""The forms and buttons on a nonconformity's page: permission first, bad input kept on the form,
a refusal shown on the page, and back to the section (or a safe return address)."""

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement import services
from qualitas.improvement.models import Nonconformity, WhyStep
from qualitas.improvement.tests.factories import make_nc


class NonconformityPageStepTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.nc = make_nc(self.org_a, self.manager)
        self.why_url = reverse("improvement:nonconformity_why_add", args=[self.nc.pk])

    def test_a_role_that_may_not_change_the_nonconformity_gets_403_and_nothing_is_written(self) -> None:
        self.login(self.member)
        response = self.client.post(self.why_url, {"why": "Why oversize?", "because": "Insert worn"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(WhyStep.objects.filter(nonconformity=self.nc).exists())

    def test_another_organizations_nonconformity_is_not_found(self) -> None:
        self.login(self.outsider)
        response = self.client.post(self.why_url, {"why": "Why?", "because": "Because"})
        self.assertEqual(response.status_code, 404)

    def test_bad_input_is_refused_on_the_form_keeping_what_was_typed(self) -> None:
        self.login(self.manager)
        response = self.client.post(self.why_url, {"why": "Why oversize?", "because": ""})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Why oversize?", status_code=400)
        self.assertFalse(WhyStep.objects.filter(nonconformity=self.nc).exists())

    def test_a_saved_step_returns_to_its_section_and_ignores_a_foreign_return_address(self) -> None:
        self.login(self.manager)
        response = self.client.post(
            self.why_url, {"why": "Why oversize?", "because": "Insert worn", "next": "https://evil.example/"}
        )
        self.assertRedirects(response, self.nc.get_absolute_url() + "#why", fetch_redirect_response=False)
        self.assertEqual(WhyStep.objects.get(nonconformity=self.nc).why, "Why oversize?")

    def test_removing_a_why_of_a_finished_nonconformity_is_refused_on_its_page(self) -> None:
        with audit.context("cli"):
            step = services.add_why(self.nc, actor=self.manager, why="Why?", because="Because")
        Nonconformity.objects.filter(pk=self.nc.pk).update(status="closed")
        self.login(self.manager)
        response = self.client.post(reverse("improvement:why_delete", args=[step.pk]), follow=True)
        self.assertRedirects(response, self.nc.get_absolute_url() + "#why")
        self.assertContains(response, "its analysis can no longer change")
        self.assertTrue(WhyStep.objects.filter(pk=step.pk).exists())
