"""The audit trail through the API: read only (events are written only by the services), looked up
by the organization's own gap-free ``seq`` rather than an id, so the list and detail tests compare
events by their hash and ask for another organization's event by a number its own trail lacks."""

from typing import Any

from django.urls import reverse

from qualitas.actions.tests.factories import make_action
from qualitas.core.models import AuditEvent
from qualitas.core.testing.cases import APITestCases


class AuditEventAPITests(APITestCases.List, APITestCases.Detail):
    model = AuditEvent

    def make(self, org: Any, actor: Any) -> AuditEvent:
        make_action(org, actor)
        return AuditEvent.objects.filter(organization=org).order_by("-seq").first()  # type: ignore[return-value]

    def api_url(self, obj: Any = None) -> str:
        return reverse("auditevent-detail", args=[obj.seq]) if obj else reverse("auditevent-list")

    def test_api_list_is_scoped_to_the_token_organization(self) -> None:
        mine, theirs = self.make_a(), self.make_b()
        response = self.api_client(self.viewer).get(self.api_url(), {"page_size": 500})
        self.assertEqual(response.status_code, 200)
        hashes = {row["hash"] for row in response.json()["results"]}
        self.assertIn(mine.hash, hashes)
        self.assertNotIn(theirs.hash, hashes)

    def test_api_detail_of_another_organization_is_404(self) -> None:
        clients = [
            self.api_client(user) for user in (self.viewer, self.manager, self.admin)
        ]  # tokens: events
        theirs = self.make_b()
        while theirs.seq <= AuditEvent.objects.filter(organization=self.org_a).count():
            theirs = self.make_b()
        for client in clients:
            response = client.get(self.api_url(theirs))
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response.json()["code"], "not_found")

    def test_api_history_lists_the_record_events(self) -> None:
        # An event has no history of its own: the trail is append-only.
        obj = self.make_a()
        self.assertEqual(self.api_client(self.viewer).get(self.api_url(obj) + "history/").status_code, 404)
