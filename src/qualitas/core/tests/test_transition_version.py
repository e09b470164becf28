"""A workflow step carries the version the person read: a stale one changes nothing (page and API)."""

from django.urls import reverse

from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.testing import QualitasTestCase
from qualitas.core.transitions import run_transition


class TransitionVersionTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.action = make_action(self.org_a, self.manager, owner=self.member)
        self.url = reverse("actions:action_transition", args=[self.action.pk, "start"])

    def test_the_record_page_sends_the_version_it_shows(self) -> None:
        self.login(self.member)
        page = self.client.get(self.action.get_absolute_url())
        self.assertContains(page, f'name="version" value="{self.action.version}"')

    def test_a_current_version_takes_the_step(self) -> None:
        self.login(self.member)
        response = self.client.post(self.url, {"version": self.action.version})
        self.assertEqual(response.status_code, 302)
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, "in_progress")

    def test_a_stale_version_is_refused_with_a_message_on_the_page(self) -> None:
        self.login(self.member)
        response = self.client.post(self.url, {"version": self.action.version - 1}, follow=True)
        self.assertContains(response, "changed by someone else")
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, "open")

    def test_a_version_that_is_not_a_number_is_refused(self) -> None:
        self.login(self.member)
        response = self.client.post(self.url, {"version": "abc"}, follow=True)
        self.assertContains(response, "whole number")
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, "open")

    def test_the_api_answers_409_conflict_for_a_stale_version(self) -> None:
        client = self.api_client(self.member)
        url = reverse("action-detail", args=[self.action.pk]) + "transition/start/"
        stale = client.post(url, {"version": self.action.version - 1}, format="json")
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["code"], "conflict")
        self.assertIn("changed by someone else", stale.json()["detail"])
        ok = client.post(url, {"version": self.action.version}, format="json")
        self.assertEqual(ok.status_code, 200, ok.content)
        self.assertEqual(ok.json()["status"], "in_progress")

    def test_a_service_that_takes_expected_version_gets_it(self) -> None:
        seen = {}

        def transition_x(obj, name, *, actor, reason="", note="", expected_version=None):  # type: ignore[no-untyped-def]
            seen.update(name=name, expected_version=expected_version, reason=reason)
            return obj

        run_transition(transition_x, self.action, "start", actor=self.member, reason="r", expected_version=7)
        self.assertEqual(seen, {"name": "start", "expected_version": 7, "reason": "r"})
