"""Revisions, signatures and acknowledgements through the API. A revision is created with its
document (or by a new revision of it) and edited while a draft; signatures are made only by
signing and acknowledgements only by the release, so their endpoints read (the writes have their
own tests: test_electronic_signatures, test_acknowledgements)."""

from typing import Any

from qualitas.core.testing.cases import APITestCases
from qualitas.documents.models import Acknowledgement, Revision, Signature
from qualitas.documents.tests.factories import make_effective_document


class _NoHistoryRoute:
    """A read-only endpoint has no history route: the record's events are in its document's history."""

    def test_api_history_lists_the_record_events(self: Any) -> None:
        obj = self.make_a()
        self.assertEqual(self.api_client(self.viewer).get(self.api_url(obj) + "history/").status_code, 404)


class RevisionAPITests(_NoHistoryRoute, APITestCases.List, APITestCases.Detail, APITestCases.Update):
    model = Revision

    def api_update_data(self, obj: Revision) -> dict[str, Any]:
        return {"change_reason": "Torque values from the new fixture", "text": "Check at 25 Nm."}


class SignatureAPITests(_NoHistoryRoute, APITestCases.List, APITestCases.Detail):
    model = Signature


class AcknowledgementAPITests(_NoHistoryRoute, APITestCases.List, APITestCases.Detail):
    model = Acknowledgement

    def make(self, org: Any, actor: Any) -> Acknowledgement:
        # The release asks the organization's administrators to acknowledge (B's is the outsider).
        document = make_effective_document(org, actor, ack_roles=["admin"])
        return Acknowledgement.objects.filter(document=document).get()
