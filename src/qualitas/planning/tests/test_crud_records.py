"""CRUD pages and endpoints of planning's smaller records: the policy and its communications, the
identity and settings singletons, process interactions and KPI measurements."""

from typing import Any

from qualitas.core.testing.cases import APITestCases, ViewTestCases
from qualitas.planning import services
from qualitas.planning.models import (
    Identity,
    Measurement,
    PlanningSettings,
    PolicyCommunication,
    ProcessInteraction,
    QualityPolicy,
)
from qualitas.planning.tests import factories as f


class _EveryFieldOptional:
    """A singleton whose fields are all optional: an empty body is a valid save, so the bad body
    carries a wrong value instead."""

    bad_body: dict[str, Any]

    def test_api_bad_input_is_400_with_field_errors(self: Any) -> None:
        response = self.api_client(self.writer_user).post(self.api_url(), self.bad_body, format="json")
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual(body["code"], "invalid")
        self.assertEqual(set(body["fields"]), set(self.bad_body))


class QualityPolicyTests(
    ViewTestCases.Detail,
    ViewTestCases.Create,
    ViewTestCases.Update,
    ViewTestCases.Delete,
    APITestCases.Crud,
    APITestCases.Delete,
):
    # No list page: the identity page shows the policies.
    model = QualityPolicy
    url_prefix = "planning:policy"

    def form_data(self) -> dict[str, Any]:
        return {"title": "Quality policy 2027", "text": "We deliver precise parts on time."}


class PolicyCommunicationAPITests(APITestCases.Crud):
    model = PolicyCommunication

    def api_data(self) -> dict[str, Any]:
        policy = f.make_policy(self.org_a, self.manager)
        services.transition_policy(policy, "approve", actor=self.manager)
        return {"policy": policy.pk, "date": "2026-04-01", "channel": "Notice board", "audience": "All"}

    def api_update_data(self, obj: PolicyCommunication) -> dict[str, Any]:
        return {"note": "Read out at the shift change"}


class IdentityAPITests(_EveryFieldOptional, APITestCases.Crud):
    model = Identity
    bad_body = {"mission": None}

    def api_data(self) -> dict[str, Any]:
        return {"mission": "Precision parts, on time.", "vision": "The region's first choice."}


class PlanningSettingsAPITests(_EveryFieldOptional, APITestCases.Crud):
    model = PlanningSettings
    bad_body = {"matrix_size": 9}

    def api_data(self) -> dict[str, Any]:
        return {"matrix_size": 4}


class ProcessInteractionAPITests(
    APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Delete
):
    # No PATCH: an interaction is added or removed, not edited.
    model = ProcessInteraction

    def api_data(self) -> dict[str, Any]:
        source, target = f.make_process(self.org_a, self.manager), f.make_process(self.org_a, self.manager)
        return {"source": source.pk, "target": target.pk, "description": "drawings"}


class MeasurementAPITests(APITestCases.Crud, APITestCases.Delete):
    model = Measurement

    def api_data(self) -> dict[str, Any]:
        kpi = f.make_kpi(self.org_a, self.manager)
        return {"kpi": kpi.pk, "period": "2026-02-01", "value": 97.5}

    def api_update_data(self, obj: Measurement) -> dict[str, Any]:
        return {"value": 91.0, "note": "Corrected after the recount"}
