"""Login throttling and lockout (django-axes) and the audit events of logins."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from qualitas.accounts.security import client_ip
from qualitas.core.models import AuditEvent
from qualitas.core.testing import QualitasTestCase
from qualitas.core.testing.world import PASSWORD

LIMIT = 5


class LoginLockoutTests(QualitasTestCase):
    def _login(self, username: str, password: str, *, url: str = "", address: str = "10.0.0.1") -> int:
        response = self.client.post(
            url or reverse("accounts:login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )
        return response.status_code

    def _events(self, action: str) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(organization=self.org_a, action=action).order_by("seq"))

    def test_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(self) -> None:
        for _ in range(LIMIT):
            self.assertIn(self._login("viewer", "wrong-guess"), (200, 429))
        self.assertEqual(self._login("viewer", PASSWORD), 429)
        # From another address too: the account itself is locked.
        self.assertEqual(self._login("viewer", PASSWORD, address="10.9.9.9"), 429)
        # Other people from other addresses log in as before.
        self.assertEqual(self._login("member", PASSWORD, address="10.0.0.2"), 302)

    def test_one_address_is_locked_whichever_accounts_it_tries(self) -> None:
        for n in range(LIMIT):
            self._login(f"guess{n}", "wrong-guess", address="10.6.6.6")
        self.assertEqual(self._login("member", PASSWORD, address="10.6.6.6"), 429)
        self.assertEqual(self._login("member", PASSWORD, address="10.0.0.7"), 302)

    def test_the_admin_login_is_throttled_as_well(self) -> None:
        for _ in range(LIMIT):
            self._login("viewer", "wrong-guess", url=reverse("admin:login"))
        self.assertEqual(self._login("viewer", PASSWORD), 429)

    def test_lockout_page_says_how_long_the_lock_lasts(self) -> None:
        for _ in range(LIMIT + 1):
            response = self.client.post(
                reverse("accounts:login"), {"username": "viewer", "password": "x"}, REMOTE_ADDR="10.0.0.1"
            )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "try again in 15 minutes", status_code=429)

    def test_an_operator_releases_the_lockout_with_a_command(self) -> None:
        for _ in range(LIMIT):
            self._login("viewer", "wrong-guess")
        call_command("axes_reset_username", "viewer", stdout=StringIO())
        call_command("axes_reset_ip", "10.0.0.1", stdout=StringIO())
        self.assertEqual(self._login("viewer", PASSWORD), 302)

    def test_the_lockout_expires_after_the_cool_off_time(self) -> None:
        for _ in range(LIMIT):
            self._login("viewer", "wrong-guess")
        self.assertEqual(self._login("viewer", PASSWORD), 429)
        AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
        self.assertEqual(self._login("viewer", PASSWORD), 302)

    @override_settings(AXES_COOLOFF_TIME=dt.timedelta(minutes=45))
    def test_the_cool_off_time_is_a_setting(self) -> None:
        for _ in range(LIMIT):
            self._login("viewer", "wrong-guess")
        AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
        self.assertEqual(self._login("viewer", PASSWORD), 429)

    def test_failed_logins_and_the_lockout_are_audit_events_once(self) -> None:
        for _ in range(LIMIT + 3):
            self._login("viewer", "wrong-guess")
        self.assertEqual(len(self._events("user.login_failed")), LIMIT)
        [lockout] = self._events("user.locked_out")
        self.assertEqual((lockout.object_type, lockout.object_id), ("accounts.user", str(self.viewer.pk)))
        self.assertEqual(lockout.source, "web")
        self.assertEqual(self._events("user.login"), [])
        # Another organization's chain holds nothing about a person who is not its member.
        self.assertFalse(
            AuditEvent.objects.filter(organization=self.org_b, action__startswith="user.").exists()
        )

    def test_a_login_and_a_password_change_are_audit_events(self) -> None:
        self.assertEqual(self._login("viewer", PASSWORD), 302)
        [login] = self._events("user.login")
        self.assertEqual((login.actor_id, login.object_id), (self.viewer.pk, str(self.viewer.pk)))
        response = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-secret-7",
                "new_password2": "a-new-long-secret-7",
            },
        )
        self.assertRedirects(response, reverse("accounts:password_done"))
        [change] = self._events("user.password_change")
        self.assertEqual(change.actor_id, self.viewer.pk)


class ClientAddressTests(QualitasTestCase):
    def test_the_address_is_the_peer_unless_behind_the_tls_proxy(self) -> None:
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
        self.assertEqual(client_ip(request), "10.0.0.5")
        with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
            self.assertEqual(client_ip(request), "5.6.7.8")
