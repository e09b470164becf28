"""Evidence links and the scope statement through the API. A link is made or removed, never edited;
the scope statement is one per organization, created and then changed."""

from typing import Any

from qualitas.core.models import AuditEvent
from qualitas.core.testing.cases import APITestCases
from qualitas.standards.models import EvidenceLink, ScopeStatement
from qualitas.standards.tests.factories import make_legacy_procedure, make_requirement


class _OwnLastEvent:
    """The write leaves events on other records after the record's own (the requirement's evidence
    list; the requirements a new scope creates): the record's own last event is the one checked."""

    model: Any

    def last_event(self, org: Any = None) -> AuditEvent:
        events = AuditEvent.objects.filter(
            organization=org or self.org_a,  # type: ignore[attr-defined]
            object_type=self.model._meta.label_lower,
        )
        return events.order_by("-seq").first()  # type: ignore[return-value]


class EvidenceLinkAPITests(
    _OwnLastEvent, APITestCases.List, APITestCases.Detail, APITestCases.Create, APITestCases.Delete
):
    model = EvidenceLink

    def test_api_history_lists_the_record_events(self) -> None:
        # No history route: a link's events are in its requirement's history.
        obj = self.make_a()
        self.assertEqual(self.api_client(self.viewer).get(self.api_url(obj) + "history/").status_code, 404)

    def api_data(self) -> dict[str, Any]:
        requirement = make_requirement(self.org_a, self.manager)
        procedure = make_legacy_procedure(self.org_a, self.manager)
        return {
            "requirement": requirement.pk,
            "record_type": "standards.legacyprocedure",
            "record_id": procedure.pk,
            "note": "The old procedure still describes the control",
        }


class ScopeStatementAPITests(_OwnLastEvent, APITestCases.Crud):
    model = ScopeStatement

    def api_data(self) -> dict[str, Any]:
        return {
            "profile": "custom",
            "statement": "Turning and milling of parts to customer drawings.",
            "sites": "Plant 1 and Plant 2",
            "products_services": "Turned and milled parts",
        }

    def api_update_data(self, obj: ScopeStatement) -> dict[str, Any]:
        return {"sites": "Plant 1, Plant 2 and the warehouse"}
