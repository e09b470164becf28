from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from qualitas.standards.catalog import DATA_DIR, CatalogError, catalog_files, load_catalog


class Command(BaseCommand):
    help = "(Re)load the standards catalog from the shipped data files; organizations' data is not touched."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="catalog files to load (default: every shipped file)")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [Path(f) for f in options["files"]] or catalog_files(DATA_DIR)
        for f in files:
            if not f.exists():
                raise CommandError(f"no such catalog file: {f}", returncode=2)
        try:
            with transaction.atomic():
                result = load_catalog(files=files)
        except CatalogError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"Loaded {result.standards} standards: {result.created} clauses created, "
            f"{result.updated} updated, {result.retired} retired."
        )
