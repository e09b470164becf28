import os
from unittest import mock

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from qualitas import env


class EnvHelperTests(SimpleTestCase):
    def test_bad_values_fail_with_one_clear_line(self) -> None:
        with (
            mock.patch.dict(os.environ, {"QUALITAS_DEBUG": "maybe"}),
            self.assertRaisesMessage(ImproperlyConfigured, "QUALITAS_DEBUG must be one of"),
        ):
            env.env_bool("DEBUG")
        with (
            mock.patch.dict(os.environ, {"QUALITAS_EMAIL_PORT": "twenty-five"}),
            self.assertRaisesMessage(ImproperlyConfigured, "whole number"),
        ):
            env.env_int("EMAIL_PORT", 25)
        with (
            mock.patch.dict(os.environ, {"QUALITAS_EMAIL_BACKEND": "pigeon"}),
            self.assertRaisesMessage(ImproperlyConfigured, "must be one of"),
        ):
            env.env_choice("EMAIL_BACKEND", {"smtp": "x"}, "smtp")

    def test_values_parse(self) -> None:
        with mock.patch.dict(
            os.environ, {"QUALITAS_ALLOWED_HOSTS": "a.example, b.example", "QUALITAS_X": "on"}
        ):
            self.assertEqual(env.env_list("ALLOWED_HOSTS"), ["a.example", "b.example"])
            self.assertTrue(env.env_bool("X"))

    def test_production_without_secret_key_refuses_to_start(self) -> None:
        import subprocess
        import sys

        environment = {k: v for k, v in os.environ.items() if not k.startswith("QUALITAS_")}
        environment["DJANGO_SETTINGS_MODULE"] = "qualitas.settings"
        environment["QUALITAS_DATABASE_URL"] = "sqlite:////tmp/never-created.sqlite3"
        result = subprocess.run(
            [sys.executable, "-m", "qualitas.cli", "check"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 2)
        self.assertIn("QUALITAS_SECRET_KEY must be set", result.stderr)
