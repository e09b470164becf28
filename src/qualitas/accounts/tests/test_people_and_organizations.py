from django.core.exceptions import ValidationError
from django.urls import reverse

from qualitas.accounts import services
from qualitas.accounts.choices import Role
from qualitas.accounts.models import ApiToken, Membership
from qualitas.core import audit
from qualitas.core.exceptions import NotAllowed
from qualitas.core.testing import QualitasTestCase


class OrganizationSwitchTests(QualitasTestCase):
    def test_a_person_in_two_organizations_switches_between_them(self) -> None:
        with audit.context("cli"):
            services.add_member(self.org_b, actor=self.outsider, username="manager", role=Role.VIEWER)
        self.login(self.manager)
        self.assertEqual(self.client.get(reverse("core:home")).context["current_organization"], self.org_a)
        self.client.post(reverse("accounts:switch"), {"organization": self.org_b.pk})
        response = self.client.get(reverse("core:home"))
        self.assertEqual(response.context["current_organization"], self.org_b)
        self.assertEqual(response.context["current_membership"].role, Role.VIEWER)

    def test_switching_to_an_organization_you_do_not_belong_to_is_404(self) -> None:
        self.login(self.manager)
        response = self.client.post(reverse("accounts:switch"), {"organization": self.org_b.pk})
        self.assertEqual(response.status_code, 404)

    def test_a_user_without_membership_is_asked_to_create_an_organization(self) -> None:
        from qualitas.accounts.models import User

        newcomer = User.objects.create_user("newcomer", password="x" * 12)
        self.login(newcomer)
        self.assertRedirects(
            self.client.get(reverse("actions:action_list")), reverse("accounts:no_organization")
        )
        response = self.client.post(
            reverse("accounts:no_organization"), {"name": "Acme Machining", "slug": ""}
        )
        self.assertRedirects(response, reverse("accounts:member_list"))
        membership = Membership.objects.get(user=newcomer)
        self.assertEqual((membership.organization.slug, membership.role), ("acme-machining", Role.ADMIN))

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        response = self.client.get(reverse("actions:action_list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])


class MembershipTests(QualitasTestCase):
    def test_administrator_invites_a_colleague_with_a_role(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("accounts:member_list"),
            {
                "username": "jan",
                "full_name": "Jan Novak",
                "email": "jan@example.com",
                "role": Role.PROCESS_OWNER,
                "password": "a-long-password-1",
            },
        )
        self.assertRedirects(response, reverse("accounts:member_list"))
        m = Membership.objects.get(organization=self.org_a, user__username="jan")
        self.assertEqual(m.role, Role.PROCESS_OWNER)
        event = self.last_event()
        self.assertEqual((event.action, event.actor_id), ("membership.create", self.admin.pk))

    def test_only_administrators_invite(self) -> None:
        self.login(self.manager)
        response = self.client.post(reverse("accounts:member_list"), {"username": "x", "role": Role.MEMBER})
        self.assertEqual(response.status_code, 403)
        with self.assertRaises(NotAllowed):
            services.add_member(self.org_a, actor=self.manager, username="y")

    def test_the_last_administrator_cannot_be_demoted(self) -> None:
        m = Membership.objects.get(organization=self.org_a, user=self.admin)
        with self.assertRaisesMessage(ValidationError, "at least one administrator"):
            services.change_role(m, actor=self.admin, role=Role.MEMBER)

    def test_role_change_is_audited_with_before_and_after(self) -> None:
        m = Membership.objects.get(organization=self.org_a, user=self.viewer)
        self.login(self.admin)
        self.client.post(reverse("accounts:member_role", args=[m.pk]), {"role": Role.AUDITOR})
        m.refresh_from_db()
        self.assertEqual(m.role, Role.AUDITOR)
        self.assertEqual(self.last_event().changes, {"role": [Role.VIEWER, Role.AUDITOR]})

    def test_a_site_of_another_organization_is_refused(self) -> None:
        with audit.context("cli"):
            site_b = services.create_site(self.org_b, actor=self.outsider, name="B plant", code="B1")
        with self.assertRaisesMessage(ValidationError, "another organization"):
            services.add_member(self.org_a, actor=self.admin, username="z", site=site_b)


class TokenTests(QualitasTestCase):
    def test_a_token_is_shown_once_and_stored_as_a_hash(self) -> None:
        self.login(self.member)
        response = self.client.post(reverse("accounts:token_list"), {"name": "CMM station 3"})
        key = response.context["new_key"]
        self.assertTrue(key.startswith("qlt_"))
        token = ApiToken.objects.get(name="CMM station 3")
        self.assertNotEqual(token.key_hash, key)
        self.assertEqual(token.key_hash, ApiToken.hash_key(key))
        self.assertNotContains(self.client.get(reverse("accounts:token_list")), key)

    def test_a_token_works_only_in_its_own_organization(self) -> None:
        client = self.api_client(self.outsider)
        self.assertEqual(client.get("/api/me/").json()["organization_slug"], "org-b")
