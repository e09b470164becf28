from typing import Any

from django.urls import reverse

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.improvement.models import ImprovementOpportunity, Lesson, Nonconformity
from qualitas.improvement.tests.factories import make_lesson, make_nc, make_opportunity


class NonconformityViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Nonconformity
    url_prefix = "improvement:nonconformity"
    list_query_count = 8  # one of them reads the organization's sources and severities

    def make(self, org: Any, actor: Any) -> Nonconformity:
        return make_nc(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Scratches on housing",
            "source": "customer_complaint",
            "severity": "minor",
            "detected_on": "2026-03-01",
            "quantity": "4",
        }

    def update_data(self, obj: Nonconformity) -> dict[str, Any]:
        return {
            "title": obj.title + " (revised)",
            "source": obj.source,
            "severity": "critical",
            "detected_on": obj.detected_on.isoformat(),
        }


class NonconformityAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Nonconformity
    url_prefix = "improvement:nonconformity"
    api_basename = "nonconformity"
    api_list_query_count = 4  # one of them reads the organization's sources and severities

    def make(self, org: Any, actor: Any) -> Nonconformity:
        return make_nc(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {
            "title": "Wrong thread pitch",
            "source": "inspection",
            "severity": "major",
            "product": "Shaft S-3",
        }

    def api_update_data(self, obj: Nonconformity) -> dict[str, Any]:
        return {"severity": "critical"}


class LessonViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = Lesson
    url_prefix = "improvement:lesson"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> Lesson:
        return make_lesson(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Label gauges with the due date",
            "summary": "Operators check the label before use.",
            "tags": "gauges, calibration",
        }

    def update_data(self, obj: Lesson) -> dict[str, Any]:
        return {"title": obj.title + "!", "summary": obj.summary, "tags": obj.tags}


class LessonAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = Lesson
    url_prefix = "improvement:lesson"
    api_basename = "lesson"
    api_list_query_count = 3

    def make(self, org: Any, actor: Any) -> Lesson:
        return make_lesson(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Check certificates at goods-in", "summary": "No certificate, no release."}

    def api_update_data(self, obj: Lesson) -> dict[str, Any]:
        return {"tags": "goods-in"}


class OpportunityViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = ImprovementOpportunity
    url_prefix = "improvement:opportunity"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> ImprovementOpportunity:
        return make_opportunity(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {"title": "Quick-change fixtures on the mill"}

    def update_data(self, obj: ImprovementOpportunity) -> dict[str, Any]:
        return {"title": obj.title, "plan_notes": "Trial on mill M2 for a month."}


class OpportunityAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = ImprovementOpportunity
    url_prefix = "improvement:opportunity"
    api_basename = "improvementopportunity"
    api_list_query_count = 3

    def make(self, org: Any, actor: Any) -> ImprovementOpportunity:
        return make_opportunity(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"title": "Shadow board for gauges"}

    def api_update_data(self, obj: ImprovementOpportunity) -> dict[str, Any]:
        return {"expected_benefit": "Less searching."}


class PagesRenderTests(APITestCases.Base):
    model = Nonconformity
    url_prefix = "improvement:nonconformity"

    def test_other_pages_answer(self) -> None:
        self.login(self.manager)
        for name in (
            "improvement:analysis",
            "improvement:causecategory_list",
            "improvement:settings",
            "improvement:preferences",
            "improvement:report",
            "improvement:opportunity_list",
        ):
            self.assertEqual(self.client.get(reverse(name)).status_code, 200, name)
