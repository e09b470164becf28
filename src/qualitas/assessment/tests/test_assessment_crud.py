from typing import Any

from django.urls import reverse

from qualitas.assessment.models import Assessment
from qualitas.assessment.tests.factories import make_assessment
from qualitas.core.testing.cases import APITestCases, ViewTestCases


class AssessmentViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Assessment
    url_prefix = "assessment:assessment"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> Assessment:
        return make_assessment(org, actor)

    def url(self, suffix: str, *args: Any) -> str:
        return reverse(
            {
                "list": "assessment:assessment_list",
                "add": "assessment:assessment_add",
                "edit": "assessment:assessment_edit",
                "delete": "assessment:assessment_delete",
            }[suffix],
            args=args,
        )

    def form_data(self) -> dict[str, Any]:
        from qualitas.assessment.queries import default_model

        return {
            "title": "Maturity check 2026",
            "scope": "Whole company",
            "date": "2026-04-01",
            "facilitator": self.manager.pk,
            "mode": "detailed",
            "maturity_model": default_model().pk,
        }

    def update_data(self, obj: Assessment) -> dict[str, Any]:
        return {
            "title": obj.title + " (revised)",
            "scope": obj.scope,
            "date": "2026-04-02",
            "facilitator": obj.facilitator_id,
            "mode": obj.mode,
            "maturity_model": obj.maturity_model_id,
            "summary": "",
        }


class AssessmentAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Assessment
    url_prefix = "assessment:assessment"
    api_basename = "assessment"
    api_list_query_count = 4

    def make(self, org: Any, actor: Any) -> Assessment:
        return make_assessment(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "title": "Quick maturity check",
            "scope": "Plant 1",
            "date": "2026-05-01",
            "facilitator": self.manager.pk,
            "mode": "quick",
        }

    def api_update_data(self, obj: Assessment) -> dict[str, Any]:
        return {"scope": "Plant 1 and the warehouse"}
