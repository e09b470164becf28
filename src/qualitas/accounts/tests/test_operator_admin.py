"""/admin/ is for installation operators only, and read-only: no write there bypasses the services
and the audit trail."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from qualitas.accounts.choices import Role
from qualitas.accounts.models import Membership, Organization, User
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase

GOOD_PASSWORD = "operator-horse-battery-4"


class OperatorAdminTests(QualitasTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        call_command("createoperator", "--username", "ops", "--password", GOOD_PASSWORD, stdout=StringIO())
        cls.operator = User.objects.get(username="ops")

    def test_an_organization_administrator_gets_no_admin_access(self) -> None:
        self.login(self.admin)
        response = self.client.get(reverse("admin:index"))
        self.assertRedirects(response, f"{reverse('admin:login')}?next={reverse('admin:index')}")
        membership = Membership.objects.get(organization=self.org_b, user=self.outsider)
        url = reverse("admin:accounts_membership_change", args=[membership.pk])
        self.assertEqual(self.client.get(url).status_code, 302)

    def test_even_a_staff_flag_gives_an_organization_member_no_admin_access(self) -> None:
        # Accounts made as superusers before operators existed keep no way into /admin/.
        User.objects.filter(pk=self.admin.pk).update(is_staff=True, is_superuser=True)
        self.login(self.admin)
        membership = Membership.objects.get(organization=self.org_b, user=self.outsider)
        response = self.client.post(
            reverse("admin:accounts_membership_change", args=[membership.pk]),
            {"organization": self.org_b.pk, "user": self.viewer.pk, "role": Role.ADMIN, "is_active": "on"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("admin:login")))
        self.assertEqual(Membership.objects.get(pk=membership.pk).user_id, self.outsider.pk)

    def test_an_operator_sees_memberships_but_cannot_change_them(self) -> None:
        self.login(self.operator)
        membership = Membership.objects.get(organization=self.org_a, user=self.viewer)
        url = reverse("admin:accounts_membership_change", args=[membership.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'name="_save"')
        events = AuditEvent.objects.count()
        response = self.client.post(
            url,
            {"organization": self.org_a.pk, "user": self.viewer.pk, "role": Role.ADMIN, "is_active": "on"},
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Membership.objects.get(pk=membership.pk).role, Role.VIEWER)
        self.assertEqual(AuditEvent.objects.count(), events)

    def test_an_operator_adds_and_deletes_nothing(self) -> None:
        self.login(self.operator)
        membership = Membership.objects.get(organization=self.org_a, user=self.viewer)
        writes = [
            (
                reverse("admin:accounts_membership_add"),
                {"organization": self.org_a.pk, "user": self.outsider.pk},
            ),
            (reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}),
            (reverse("admin:accounts_organization_add"), {"name": "Rogue", "slug": "rogue"}),
            (reverse("admin:auth_user_password_change", args=[self.viewer.pk]), {}),
            (
                reverse("admin:accounts_membership_changelist"),
                {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
            ),
        ]
        for url, data in writes:
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertTrue(Membership.objects.filter(pk=membership.pk).exists())
        self.assertFalse(Organization.objects.filter(slug="rogue").exists())
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)
        self.assertEqual(self.client.get(reverse("admin:accounts_membership_add")).status_code, 403)

    def test_an_operator_logs_out_of_the_admin(self) -> None:
        self.login(self.operator)
        self.assertIn(self.client.post(reverse("admin:logout")).status_code, (200, 302))
        self.assertNotIn("_auth_user_id", self.client.session)


class AccountCommandTests(QualitasTestCase):
    def test_createadmin_makes_an_organization_administrator_who_is_not_staff(self) -> None:
        out = StringIO()
        call_command(
            "createadmin",
            "--username",
            "boss",
            "--password",
            GOOD_PASSWORD,
            "--organization",
            "Acme",
            stdout=out,
        )
        boss = User.objects.get(username="boss")
        self.assertEqual((boss.is_staff, boss.is_superuser), (False, False))
        self.assertEqual(Membership.objects.get(user=boss).role, Role.ADMIN)

    def test_createoperator_makes_a_staff_account_outside_every_organization(self) -> None:
        call_command("createoperator", "--username", "ops2", "--password", GOOD_PASSWORD, stdout=StringIO())
        ops = User.objects.get(username="ops2")
        self.assertTrue(ops.is_staff)
        self.assertFalse(Membership.objects.filter(user=ops).exists())
