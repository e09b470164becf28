import random

from django.urls import reverse

from qualitas.accounts.choices import Role
from qualitas.assessment import demo, queries
from qualitas.assessment.choices import AssessmentStatus
from qualitas.assessment.models import Assessment
from qualitas.assessment.tests.factories import add_person, make_result
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase


class DemoTests(QualitasTestCase):
    def test_demo_has_two_completed_assessments_a_year_apart_with_progress_and_one_decline(self) -> None:
        with audit.context("cli"):
            people = {"quality": self.manager, "director": self.owner}
            for name, role in (
                ("production", Role.PROCESS_OWNER),
                ("purchasing", Role.PROCESS_OWNER),
                ("auditor2", Role.AUDITOR),
                ("operator2", Role.MEMBER),
            ):
                people[name] = add_person(self.org_a, self.admin, name, role)
            people["auditor"] = people.pop("auditor2")
            demo.load(self.org_a, people, random.Random(1))
        first, second = Assessment.objects.filter(organization=self.org_a).order_by("date")
        self.assertEqual({first.status, second.status}, {AssessmentStatus.COMPLETED})
        self.assertGreaterEqual((second.date - first.date).days, 360)
        self.assertEqual(first.assessors.count(), 6)
        previous = queries.previous_completed(second)
        trends = {r.element.number: r.trend for r in queries.result_rows(second, previous)}
        self.assertEqual(trends["9.2.4"], "down")
        self.assertEqual(trends["10.6"], "up")
        moves = queries.previous_plan_moves(second, previous, queries.result_rows(second, previous))
        self.assertEqual(len(moves), 3)
        self.assertTrue(any(m["done"] == 0 for m in moves) and any(m["done"] == 1 for m in moves))


class CatalogAPITests(QualitasTestCase):
    def test_maturity_models_are_read_only_and_carry_levels_and_criteria(self) -> None:
        client = self.api_client(self.viewer)
        listing = client.get(reverse("maturitymodel-list"))
        self.assertEqual(listing.status_code, 200)
        self.assertIn("iso9004-2018", [m["code"] for m in listing.json()])
        detail = client.get(reverse("maturitymodel-detail", args=["iso9004-2018"])).json()
        element = next(e for e in detail["elements"] if e["number"] == "11.2")
        self.assertEqual(len(element["levels"]), 5)
        self.assertTrue(element["levels"][0]["criteria"])
        refused = self.api_client(self.admin).post(
            reverse("maturitymodel-list"), {"code": "x"}, format="json"
        )
        self.assertEqual(refused.status_code, 405)

    def test_maturity_model_pages_render(self) -> None:
        self.login(self.member)
        self.assertContains(self.client.get(reverse("assessment:maturitymodel_list")), "ISO 9004")
        page = self.client.get(reverse("assessment:maturitymodel", args=["iso9004-2018"]))
        self.assertContains(page, "Engagement of people")
        self.assertEqual(self.client.get(reverse("assessment:maturitymodel", args=["nope"])).status_code, 404)


class ElementResultAPITests(QualitasTestCase):
    def test_facilitator_patches_consensus_and_viewer_cannot(self) -> None:
        with audit.context("cli"):
            result = make_result(self.org_a, self.manager)
        url = reverse("elementresult-detail", args=[result.pk])
        self.assertEqual(
            self.api_client(self.viewer).patch(url, {"level": 2}, format="json").status_code, 403
        )
        ok = self.api_client(self.manager).patch(
            url, {"level": 2, "target_level": 4, "version": result.version}, format="json"
        )
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual((ok.json()["level"], ok.json()["gap"]), (2, 2))

    def test_result_of_another_organization_is_404(self) -> None:
        with audit.context("cli"):
            theirs = make_result(self.org_b, self.outsider)
        response = self.api_client(self.manager).get(reverse("elementresult-detail", args=[theirs.pk]))
        self.assertEqual(response.status_code, 404)
