import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qualitas.core.transfer import TransferError, import_organization


class Command(BaseCommand):
    help = "Import an organization archive (from `qualitas export`) into an empty, migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        with tqdm(desc="import", unit="rec", file=sys.stderr, disable=not sys.stderr.isatty()) as bar:
            try:
                result = import_organization(path, progress=bar.update)
            except TransferError as exc:
                raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"Imported {result['objects']} records of {result['organization']['slug']}. "
            "Run `qualitas audit verify` to check the chain."
        )
