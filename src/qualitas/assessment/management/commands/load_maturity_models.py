from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qualitas.assessment.catalog import ModelFileError, load_file, read_file, shipped_files, validate


class Command(BaseCommand):
    help = "Load (or update) the maturity models shipped with Qualitas, or your own model files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", help="model files (.json or .toml); default: the shipped ones"
        )
        parser.add_argument("--check", action="store_true", help="only validate the files, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = [Path(f) for f in options["files"]] or shipped_files()
        for path in paths:
            try:
                if options["check"]:
                    problems = validate(read_file(path))
                    if problems:
                        raise ModelFileError("; ".join(problems))
                    self.stdout.write(f"{path.name}: valid")
                    continue
                model = load_file(path)
            except ModelFileError as exc:
                raise CommandError(f"{path}: {exc}", returncode=2) from None
            count = model.elements.count()
            self.stdout.write(f"{path.name}: loaded {model.code} v{model.version} ({count} elements)")
