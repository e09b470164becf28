"""Every password a person gets is held to AUTH_PASSWORD_VALIDATORS: the administrator's "add person"
form (and its service) and the command-line account commands."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from qualitas.accounts.choices import Role
from qualitas.accounts.models import User
from qualitas.core.testing import QualitasTestCase


class AddPersonPasswordTests(QualitasTestCase):
    def test_a_weak_password_is_a_form_error_that_keeps_the_input(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("accounts:member_list"),
            {"username": "jan", "full_name": "Jan Novak", "role": Role.MEMBER, "password": "abc"},
        )
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        self.assertIn("password", form.errors)
        self.assertIn("too short", " ".join(form.errors["password"]))
        self.assertContains(response, 'value="Jan Novak"', status_code=400)
        self.assertFalse(User.objects.filter(username="jan").exists())

    def test_an_all_digit_password_is_refused(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("accounts:member_list"),
            {"username": "jan", "role": Role.MEMBER, "password": "1234567890"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("entirely numeric", " ".join(response.context["form"].errors["password"]))

    def test_a_good_password_is_accepted(self) -> None:
        self.login(self.admin)
        response = self.client.post(
            reverse("accounts:member_list"),
            {"username": "jan", "role": Role.MEMBER, "password": "a-long-password-1"},
        )
        self.assertRedirects(response, reverse("accounts:member_list"))
        self.assertTrue(User.objects.get(username="jan").check_password("a-long-password-1"))


class CommandPasswordTests(QualitasTestCase):
    def _refusal(self, *args: str) -> CommandError:
        with self.assertRaises(CommandError) as caught:
            call_command(*args, stdout=StringIO())
        return caught.exception

    def test_createadmin_refuses_a_password_the_validators_refuse(self) -> None:
        for password in ("abc", "1234567890", "password123"):
            with self.subTest(password=password):
                exc = self._refusal("createadmin", "--username", "boss", "--password", password)
                self.assertEqual(exc.returncode, 2)
                self.assertNotIn("\n", str(exc))
        self.assertFalse(User.objects.filter(username="boss").exists())

    def test_createadmin_refuses_a_password_like_the_username(self) -> None:
        exc = self._refusal("createadmin", "--username", "qualityboss", "--password", "qualityboss1")
        self.assertEqual(exc.returncode, 2)
        self.assertIn("too similar", str(exc))
