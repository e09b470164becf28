"""Remind owners of overdue reviews and readers of overdue acknowledgements (never twice while open)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qualitas.accounts.models import Organization
from qualitas.core import audit
from qualitas.documents import services


class Command(BaseCommand):
    help = "In-app actions for overdue periodic reviews (to the owner) and overdue reading (to the reader)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="Organization slug (default: every organization)")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organization.objects.all()
        if options.get("org"):
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"no organization {options['org']!r}")
        total = 0
        with audit.context("cli"):
            for org in orgs:
                total += services.send_review_reminders(org)
                total += services.send_acknowledgement_reminders(org)
        self.stdout.write(f"{total} reminder(s) created.")
