"""The demo's content is data: every area's demo file parses, and the logins stay the documented ones."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from unittest import mock

from django.apps import apps
from django.core.management import call_command
from django.test import SimpleTestCase

from qualitas.core import datafiles
from qualitas.demo.loader import DEMO_PASSWORD, people

AREAS = [
    *("actions", "assessment", "audits", "demo", "documents"),
    *("improvement", "planning", "production", "reviews", "standards"),
]
LOGINS = [
    ("admin", "Alex Admin", "admin", "IT and systems administrator", "HQ"),
    ("quality", "Maria Keller", "quality_manager", "Quality manager", "HQ"),
    ("director", "Thomas Berger", "process_owner", "Managing director", "HQ"),
    ("production", "Jan Novak", "process_owner", "Production manager", "PL1"),
    ("purchasing", "Lena Wolf", "process_owner", "Purchasing manager", "HQ"),
    ("auditor", "Sofia Rossi", "auditor", "Internal auditor (QA engineer)", "HQ"),
    ("operator", "Peter Brandt", "member", "CNC operator", "PL1"),
    ("operator2", "Aylin Demir", "member", "Inspector", "PL1"),
    ("certifier", "Dr. Ruth Engel", "viewer", "External certification auditor", None),
]


class DemoContentTests(SimpleTestCase):
    def test_every_demo_data_file_parses(self) -> None:
        found = []
        for config in apps.get_app_configs():
            data = Path(config.path) / "data"
            for file in [data / "demo.toml", *sorted((data / "demo").glob("*.toml"))]:
                if file.is_file():
                    name = file.relative_to(data).with_suffix("").as_posix()
                    self.assertTrue(datafiles.load(config.label, name), file)
                    found.append(config.label)
        self.assertEqual(sorted(set(found)), AREAS)

    def test_the_demo_people_are_the_documented_logins(self) -> None:
        rows = [(p["username"], p["full_name"], p["role"], p["job_title"], p.get("site")) for p in people()]
        self.assertEqual(rows, LOGINS)

    def test_the_command_prints_every_login_with_the_one_password(self) -> None:
        out = StringIO()
        with (
            mock.patch("qualitas.demo.management.commands.demo.call_command"),
            mock.patch("qualitas.demo.management.commands.demo.demo_exists", return_value=True),
        ):
            call_command("demo", "--no-serve", stdout=out)
        text = out.getvalue()
        self.assertIn(f"Every demo login uses the password: {DEMO_PASSWORD}", text)
        for username, name, _role, title, _site in LOGINS:
            self.assertIn(f"  {username:<11} {name} – {title}\n", text)
