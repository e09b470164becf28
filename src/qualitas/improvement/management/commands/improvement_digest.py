from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qualitas.accounts.models import Organization
from qualitas.improvement.notifications import send_digests


class Command(BaseCommand):
    help = "Mail each person the list of their overdue actions (daily digest; respects personal settings)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organization", help="only this organization (short name); default: all")
        parser.add_argument("--dry-run", action="store_true", help="list who would get a mail, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = Organization.objects.all().order_by("slug")
        if options.get("organization"):
            orgs = orgs.filter(slug=options["organization"])
            if not orgs.exists():
                raise CommandError(
                    f"no organization with the short name {options['organization']!r}", returncode=2
                )
        total = 0
        for org in orgs:
            total += send_digests(org, dry_run=options["dry_run"], out=self.stdout)
        self.stdout.write(f"Sent {total} digest(s).")
