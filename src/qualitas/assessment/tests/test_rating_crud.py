"""Ratings and consensus results through the API. A rating stays its assessor's own until consensus
opens (the readers' tests open it); results are recorded by the consensus and then corrected, not
created or deleted through the API."""

from typing import Any

from qualitas.assessment import queries, services
from qualitas.assessment.models import ElementResult, Rating
from qualitas.assessment.tests.factories import make_rating, rating_assessment
from qualitas.core.testing.cases import APITestCases


class RatingReadAPITests(APITestCases.List, APITestCases.Detail):
    model = Rating

    def make(self, org: Any, actor: Any) -> Rating:
        rating = make_rating(org, actor)
        services.transition_assessment(rating.assessment, "open_consensus", actor=actor)
        return rating


class RatingWriteAPITests(APITestCases.Create, APITestCases.Update):
    model = Rating

    def api_data(self) -> dict[str, Any]:
        assessment = rating_assessment(self.org_a, self.writer_user)
        element = queries.elements_in_scope(assessment).first()
        return {"assessment": assessment.pk, "element": element.pk, "level": 2, "comment": "Mostly informal"}

    def api_update_data(self, obj: Rating) -> dict[str, Any]:
        return {"level": 4, "comment": "Process reviews every quarter"}


class ElementResultAPITests(APITestCases.List, APITestCases.Detail, APITestCases.Update):
    model = ElementResult

    def api_update_data(self, obj: ElementResult) -> dict[str, Any]:
        return {"level": 2, "reasoning": "Practice varies between the sites", "target_level": 3}
