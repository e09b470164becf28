"""Removing an interaction returns to the page it came from, never to another site."""

from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.planning.models import ProcessInteraction
from qualitas.planning.tests.factories import make_interaction


class InteractionReturnAddressTests(QualitasTestCase):
    def test_a_hostile_next_returns_to_the_process(self) -> None:
        self.login(self.manager)
        for bad in ("//evil.example/", "/\\evil.example", "https://evil.example/", "javascript:alert(1)"):
            with audit.context("cli"):
                link = make_interaction(self.org_a, self.manager)
            expected = link.get_absolute_url()
            response = self.client.post(
                reverse("planning:interaction_delete", args=[link.pk]), {"next": bad, "reason": "x"}
            )
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], expected, bad)
            self.assertFalse(ProcessInteraction.objects.filter(pk=link.pk).exists())

    def test_a_path_on_this_site_is_followed(self) -> None:
        with audit.context("cli"):
            link = make_interaction(self.org_a, self.manager)
        self.login(self.manager)
        response = self.client.post(
            reverse("planning:interaction_delete", args=[link.pk]), {"next": "/planning/processes/"}
        )
        self.assertEqual(response["Location"], "/planning/processes/")
