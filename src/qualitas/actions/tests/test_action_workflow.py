from django.urls import reverse

from qualitas.actions import services
from qualitas.actions.choices import ActionStatus
from qualitas.actions.tests.factories import make_action
from qualitas.core import audit
from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase


class ActionLifeCycleTests(QualitasTestCase):
    def setUp(self) -> None:
        with audit.context("cli"):
            self.action = make_action(self.org_a, self.manager, owner=self.member)

    def test_owner_completes_their_action_with_a_note(self) -> None:
        self.login(self.member)
        url = reverse("actions:action_transition", args=[self.action.pk, "complete"])
        self.client.post(url, {"note": "Gauge sent to the lab, certificate attached."})
        self.action.refresh_from_db()
        self.assertEqual(self.action.status, ActionStatus.DONE)
        self.assertIsNotNone(self.action.completed_at)
        event = self.last_event()
        self.assertEqual(event.action, "action.complete")
        self.assertEqual(event.changes["status"], ["open", "done"])

    def test_completion_without_a_note_is_refused(self) -> None:
        with self.assertRaisesMessage(TransitionError, "Describe what was done"):
            services.transition_action(self.action, "complete", actor=self.member)

    def test_viewer_cannot_take_any_step(self) -> None:
        with self.assertRaises(TransitionError):
            services.transition_action(self.action, "start", actor=self.viewer)

    def test_member_who_is_not_the_owner_cannot_complete(self) -> None:
        with audit.context("cli"):
            other = make_action(self.org_a, self.manager, owner=self.owner)
        with self.assertRaisesMessage(TransitionError, "role does not allow"):
            services.transition_action(other, "complete", actor=self.member, note="done")

    def test_cancel_needs_a_reason_and_reopen_too(self) -> None:
        with self.assertRaisesMessage(TransitionError, "reason is required"):
            services.transition_action(self.action, "cancel", actor=self.manager)
        services.transition_action(self.action, "cancel", actor=self.manager, reason="Duplicate of ACT-7")
        self.assertEqual(self.last_event().reason, "Duplicate of ACT-7")
        with self.assertRaisesMessage(TransitionError, "Cannot complete"):
            services.transition_action(self.action, "complete", actor=self.manager, note="x")

    def test_owner_must_be_a_member_of_the_organization(self) -> None:
        from django.core.exceptions import ValidationError

        with self.assertRaises(ValidationError), audit.context("cli"):
            make_action(self.org_a, self.manager, owner=self.outsider)

    def test_api_transition_and_refusal_is_409(self) -> None:
        client = self.api_client(self.member)
        url = reverse("action-transition", args=[self.action.pk, "complete"])
        refused = client.post(url, {}, format="json")
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(refused.json()["code"], "transition_refused")
        done = client.post(url, {"note": "Done and filed."}, format="json")
        self.assertEqual(done.status_code, 200, done.content)
        self.assertEqual(done.json()["status"], "done")


class MyTasksTests(QualitasTestCase):
    def test_home_lists_my_open_tasks_and_marks_overdue(self) -> None:
        import datetime as dt

        from django.utils import timezone

        with audit.context("cli"):
            make_action(
                self.org_a,
                self.manager,
                owner=self.member,
                title="Late one",
                due_date=timezone.localdate() - dt.timedelta(days=3),
            )
            make_action(self.org_a, self.manager, owner=self.member, title="Future one")
            make_action(self.org_a, self.manager, owner=self.owner, title="Someone else's")
        self.login(self.member)
        response = self.client.get(reverse("core:home"))
        self.assertContains(response, "Late one")
        self.assertContains(response, "Future one")
        self.assertNotContains(response, "Someone else")
        self.assertContains(response, "1 overdue")
        self.assertContains(response, "3 d overdue")
