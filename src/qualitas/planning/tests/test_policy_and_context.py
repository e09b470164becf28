from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.core.exceptions import TransitionError
from qualitas.core.testing import QualitasTestCase
from qualitas.planning import services
from qualitas.planning.models import PolicyCommunication
from qualitas.planning.tests.factories import make_policy


class QualityPolicyTests(QualitasTestCase):
    def test_approval_is_an_audited_transition_that_supersedes_the_previous_policy(self) -> None:
        first = make_policy(self.org_a, self.manager)
        services.transition_policy(first, "approve", actor=self.manager)
        second = make_policy(self.org_a, self.manager, text="Revised")
        services.transition_policy(second, "approve", actor=self.admin)
        first.refresh_from_db()
        self.assertEqual(first.status, "superseded")
        self.assertEqual(second.status, "approved")
        self.assertEqual(second.approved_by, self.admin)
        self.assertTrue(any(e.action == "qualitypolicy.approve" for e in self.events_for(second)))
        self.assertTrue(any(e.action == "qualitypolicy.supersede" for e in self.events_for(first)))

    def test_only_the_authorised_roles_approve(self) -> None:
        policy = make_policy(self.org_a, self.manager)
        with self.assertRaises(TransitionError):
            services.transition_policy(policy, "approve", actor=self.owner)

    def test_an_approved_policy_is_no_longer_editable(self) -> None:
        policy = make_policy(self.org_a, self.manager)
        services.transition_policy(policy, "approve", actor=self.manager)
        with self.assertRaises(ValidationError):
            services.update_policy(policy, actor=self.manager, data={"text": "changed"})

    def test_communication_is_recorded_on_the_approved_policy(self) -> None:
        policy = make_policy(self.org_a, self.manager)
        self.login(self.manager)
        url = reverse("planning:communication_add", args=[policy.pk])
        data = {"date": "2026-03-01", "channel": "Staff meeting", "audience": "Everyone"}
        self.assertEqual(self.client.post(url, data).status_code, 400)  # a draft is not communicated
        self.client.post(reverse("planning:policy_transition", args=[policy.pk, "approve"]))
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(PolicyCommunication.objects.filter(policy=policy).count(), 1)
        page = self.client.get(reverse("planning:identity"))
        self.assertContains(page, "Quality policy in force")
        self.assertContains(page, policy.text)


class IdentityTests(QualitasTestCase):
    def test_identity_is_created_then_updated_with_a_version_check(self) -> None:
        self.login(self.manager)
        url = reverse("planning:identity_edit")
        self.assertEqual(self.client.post(url, {"mission": "Precision parts"}).status_code, 302)
        identity = services.get_identity(self.org_a)
        self.assertEqual(identity.mission, "Precision parts")
        ok = self.client.post(url, {"mission": "Precision parts, on time", "version": identity.version})
        self.assertEqual(ok.status_code, 302)
        stale = self.client.post(url, {"mission": "Other", "version": identity.version})
        self.assertEqual(stale.status_code, 409)

    def test_viewer_cannot_edit_identity(self) -> None:
        self.login(self.viewer)
        self.assertEqual(
            self.client.post(reverse("planning:identity_edit"), {"mission": "x"}).status_code, 403
        )
