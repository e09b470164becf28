import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qualitas.core.models import organization_model
from qualitas.core.transfer import TransferError, export_organization


class Command(BaseCommand):
    help = "Export one organization (records, people, audit chain, attachments) to a ZIP archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="the organization's short name")
        parser.add_argument("archive", help="the ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        org = organization_model().objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(
                f"no organization with the short name {options['organization']!r}", returncode=2
            )
        path = Path(options["archive"])
        if not path.parent.exists():
            raise CommandError(f"the folder {path.parent} does not exist", returncode=2)
        with tqdm(desc="export", unit="rec", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            try:
                counts = export_organization(org, path, progress=lambda _label, n: bar.update(n))
            except TransferError as exc:
                raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Exported {sum(counts.values())} records of {org.slug} to {path}")
