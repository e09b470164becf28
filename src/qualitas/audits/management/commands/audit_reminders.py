"""qualitas audit_reminders [--days N] [--organization SLUG]

Creates one action per audit and management review that starts within N days (default 14), owned by
the lead auditor or the chair. Running it again creates nothing new (idempotent), so it can run daily.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qualitas.audits.reminders import create_reminders
from qualitas.core import audit


class Command(BaseCommand):
    help = "Create reminder actions for audits and management reviews coming up within N days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--organization", help="Organization slug (default: all organizations)")

    def handle(self, *args: Any, **options: Any) -> None:
        from qualitas.accounts.models import Organization

        if options["days"] < 0 or options["days"] > 365:
            raise CommandError("--days must be between 0 and 365.")
        orgs = Organization.objects.all()
        if options.get("organization"):
            orgs = orgs.filter(slug=options["organization"])
            if not orgs.exists():
                raise CommandError(f"No organization {options['organization']!r}.")
        total = 0
        with audit.context("cli"):
            for org in orgs:
                created = create_reminders(org, days=options["days"])
                total += len(created)
                for action in created:
                    self.stdout.write(f"{org.slug}: {action}")
        self.stdout.write(f"{total} reminder(s) created.")
