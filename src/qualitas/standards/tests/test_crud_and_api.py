from typing import Any

from django.urls import reverse

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.standards import queries
from qualitas.standards.choices import LEGACY_1994
from qualitas.standards.models import LegacyProcedure, Requirement
from qualitas.standards.tests.factories import make_legacy_procedure, make_requirement


class RequirementViewTests(ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Update):
    model = Requirement
    url_prefix = "standards:requirement"
    list_query_count = 6

    def make(self, org: Any, actor: Any) -> Requirement:
        return make_requirement(org, actor)

    def update_data(self, obj: Requirement) -> dict[str, Any]:
        return {
            "status": "in_progress",
            "owner": self.owner.pk,
            "target_date": "2030-03-31",
            "notes": "Calibration register being moved into Qualitas.",
        }


class RequirementAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Update):
    model = Requirement
    url_prefix = "standards:requirement"
    api_basename = "requirement"
    api_list_query_count = 3

    def make(self, org: Any, actor: Any) -> Requirement:
        return make_requirement(org, actor)

    def api_update_data(self, obj: Requirement) -> dict[str, Any]:
        return {"status": "implemented", "owner": self.owner.pk}


class LegacyProcedureViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = LegacyProcedure
    url_prefix = "standards:legacyprocedure"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> LegacyProcedure:
        return make_legacy_procedure(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "reference": "QP-4.11-01",
            "title": "Calibration",
            "element": queries.clauses(LEGACY_1994).get(number="4.11").pk,
        }

    def update_data(self, obj: LegacyProcedure) -> dict[str, Any]:
        return {"reference": obj.reference, "title": obj.title + " (rev. B)", "element": obj.element_id}

    def test_detail_shows_where_the_element_lands_in_2015(self) -> None:
        obj = self.make_a()
        self.login(self.viewer)
        response = self.client.get(obj.get_absolute_url())
        self.assertContains(response, reverse("standards:clause", args=["8.5.1"]))

    def test_a_2015_clause_is_not_accepted_as_a_1994_element(self) -> None:
        self.login(self.manager)
        data = {**self.form_data(), "element": queries.clauses().get(number="8.5.1").pk}
        self.assertEqual(self.client.post(self.url("add"), data).status_code, 400)


class LegacyProcedureAPITests(
    APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update
):
    model = LegacyProcedure
    url_prefix = "standards:legacyprocedure"
    api_basename = "legacyprocedure"

    def make(self, org: Any, actor: Any) -> LegacyProcedure:
        return make_legacy_procedure(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "reference": "QP-4.17-01",
            "title": "Internal audits",
            "element": queries.clauses(LEGACY_1994).get(number="4.17").pk,
        }

    def api_update_data(self, obj: LegacyProcedure) -> dict[str, Any]:
        return {"title": "Internal quality audits"}
