from django.urls import reverse

from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.improvement.tests.factories import make_category, make_nc


class NonconformityAPIFlowTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.nc = make_nc(self.org_a, self.manager)
            self.cat = make_category(self.org_a, self.manager)

    def test_whys_causes_root_cause_and_transitions_through_the_api(self) -> None:
        client = self.api_client(self.manager)
        base = reverse("nonconformity-detail", args=[self.nc.pk])
        r = client.post(base + "whys/", {"why": "Why?", "because": "Because"}, format="json")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()[0]["position"], 1)
        r = client.post(
            base + "causes/", {"six_m": "machine", "text": "Worn", "is_root": True}, format="json"
        )
        self.assertEqual(r.json()[0]["is_root"], True)
        r = client.post(
            base + "root-cause/", {"cause_category": self.cat.pk, "root_cause": "x"}, format="json"
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["cause_category"], self.cat.pk)
        r = client.post(base + "transition/contain/", {}, format="json")
        self.assertEqual(r.json()["status"], "containment")
        refused = client.post(base + "transition/analyse/", {}, format="json")
        self.assertEqual(refused.status_code, 409)
        r = client.post(
            base + "actions/",
            {"title": "Counter", "kind": "corrective", "owner": self.owner.pk},
            format="json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()[0]["kind"], "corrective")

    def test_category_of_another_organization_is_a_400(self) -> None:
        with audit.context("cli"):
            theirs = make_category(self.org_b, self.outsider)
        client = self.api_client(self.manager)
        r = client.post(
            reverse("nonconformity-detail", args=[self.nc.pk]) + "root-cause/",
            {"cause_category": theirs.pk},
            format="json",
        )
        self.assertEqual(r.status_code, 400)

    def test_viewer_cannot_add_whys(self) -> None:
        r = self.api_client(self.viewer).post(
            reverse("nonconformity-detail", args=[self.nc.pk]) + "whys/",
            {"why": "a", "because": "b"},
            format="json",
        )
        self.assertEqual(r.status_code, 403)


class EightDReportTests(QualitasTestCase):
    def test_8d_html_has_every_discipline_and_pdf_renders(self) -> None:
        from qualitas.improvement.report_pdf import render_html

        with audit.context("cli"):
            nc = make_nc(self.org_a, self.manager, description="Bores oversize")
        html = render_html(nc)
        for d in ("D1", "D2", "D3", "D4", "D5", "D7", "D8"):
            self.assertIn(d, html)
        self.login(self.viewer)
        response = self.client.get(reverse("improvement:nonconformity_pdf", args=[nc.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
