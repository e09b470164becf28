import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qualitas.core.audit import verify_chain
from qualitas.core.audit.coverage import check_coverage
from qualitas.core.models import AuditEvent, organization_model


class Command(BaseCommand):
    help = "Audit trail tools. `qualitas audit verify` walks every chain and names the first broken event."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="verify the hash chains")
        verify.add_argument("--org", default="", help="only this organization (short name)")
        verify.add_argument("--quiet", action="store_true")
        verify.add_argument(
            "--jobs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes for chains of 100,000+ events (default: up to 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1", returncode=2)
        orgs = organization_model()._default_manager.order_by("pk")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"no organization with the short name {options['org']!r}", returncode=2)
        broken = 0
        for org in orgs:
            total = AuditEvent.objects.filter(organization_id=org.pk).count()
            show = not options["quiet"] and total >= 50000 and sys.stderr.isatty()
            with tqdm(total=total, desc=org.slug, unit="ev", disable=not show, file=sys.stderr) as bar:
                result = verify_chain(org, progress=bar.update, jobs=options["jobs"])
            result = check_coverage(org, result)
            if result.ok:
                self.stdout.write(f"{org.slug}: OK, {result.checked} events verified")
            else:
                broken += 1
                self.stdout.write(
                    f"{org.slug}: BROKEN at event #{result.broken_seq}: {result.problem} "
                    f"({result.checked} events verified before it)"
                )
        if broken:
            sys.exit(1)
