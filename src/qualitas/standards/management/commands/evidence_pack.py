import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qualitas.accounts.models import Organization
from qualitas.standards import pack


class Command(BaseCommand):
    help = "Build the evidence pack (ZIP: index.html, index.pdf, scope, statement of applicability, files)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="the organization's short name")
        parser.add_argument("archive", help="the ZIP file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["organization"]).first()
        if org is None:
            raise CommandError(
                f"no organization with the short name {options['organization']!r}", returncode=2
            )
        path = Path(options["archive"])
        if not path.parent.exists():
            raise CommandError(f"the folder {path.parent} does not exist", returncode=2)
        with tqdm(desc="evidence pack", unit="file", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:

            def progress(_label: str, done: int, total: int) -> None:
                bar.total = total
                bar.n = done
                bar.refresh()

            counts = pack.build(org, path, progress=progress)
        self.stdout.write(
            f"Wrote {path}: {counts['clauses']} applicable clauses, {counts['files']} files"
            + (f", {counts['missing']} unreadable" if counts["missing"] else "")
            + "."
        )
