"""Make approved revisions whose effective date has come effective (idempotent; run daily from cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from qualitas.core import audit
from qualitas.documents import services


class Command(BaseCommand):
    help = "Make approved document revisions effective on their effective date (safe to run repeatedly)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.context("cli"):
            done = services.activate_due_revisions()
        for revision in done:
            self.stdout.write(f"effective: {revision}")
        self.stdout.write(f"{len(done)} revision(s) made effective.")
