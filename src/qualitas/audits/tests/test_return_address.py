"""The verify form returns to the page it came from, never to another site."""

from django.urls import reverse

from qualitas.audits.tests.factories import make_finding
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class VerifyReturnAddressTests(QualitasTestCase):
    def test_a_hostile_next_returns_to_the_finding(self) -> None:
        with audit.context("cli"):
            finding = make_finding(self.org_a, self.manager)
        self.login(self.manager)
        url = reverse("audits:finding_verify", args=[finding.pk])
        for bad in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
            response = self.client.post(url, {"note": "checked", "next": bad})
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], finding.get_absolute_url(), bad)
        audit_page = finding.audit.get_absolute_url()
        response = self.client.post(url, {"note": "checked", "next": audit_page})
        self.assertEqual(response["Location"], audit_page)
