from typing import Any

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.reviews.models import ManagementReview, ReviewOutput
from qualitas.reviews.tests.factories import make_output, make_review


class ReviewViewTests(
    ViewTestCases.List, ViewTestCases.Detail, ViewTestCases.Create, ViewTestCases.Update, ViewTestCases.Delete
):
    model = ManagementReview
    url_prefix = "reviews:review"

    def make(self, org: Any, actor: Any) -> ManagementReview:
        return make_review(org, actor)

    def form_data(self) -> dict[str, Any]:
        return {
            "title": "Management review 2026",
            "planned_date": "2026-06-15",
            "interval_months": "12",
            "chair": self.manager.pk,
        }

    def update_data(self, obj: ManagementReview) -> dict[str, Any]:
        return {
            "title": obj.title + " (moved)",
            "planned_date": "2026-06-20",
            "interval_months": "12",
            "chair": obj.chair_id,
            "period_start": str(obj.period_start),
        }


class ReviewAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Update):
    model = ManagementReview
    url_prefix = "reviews:review"
    api_list_query_count = 4
    api_basename = "managementreview"

    def make(self, org: Any, actor: Any) -> ManagementReview:
        return make_review(org, actor)

    def api_data(self) -> dict[str, Any]:
        return {"planned_date": "2026-12-01", "chair": self.manager.pk}

    def api_update_data(self, obj: ManagementReview) -> dict[str, Any]:
        return {"agenda": "1. Inputs 2. Decisions"}


class OutputViewTests(ViewTestCases.List, ViewTestCases.Detail):
    model = ReviewOutput
    url_prefix = "reviews:output"
    list_query_count = 5

    def make(self, org: Any, actor: Any) -> ReviewOutput:
        return make_output(org, actor)


class OutputAPITests(APITestCases.List, APITestCases.Detail):
    model = ReviewOutput
    url_prefix = "reviews:output"
    api_list_query_count = 3
    api_basename = "reviewoutput"

    def make(self, org: Any, actor: Any) -> ReviewOutput:
        return make_output(org, actor)
