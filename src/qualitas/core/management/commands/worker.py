"""qualitas worker: run background tasks and the scheduler (a server runs any number of these)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Run queued tasks (evidence packs, scheduled jobs) and the scheduler against the database. "
        "Run as many as you like, on any machines that reach the database (docs/deploy.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-scheduler", action="store_true", help="run tasks only; another worker schedules"
        )
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls when idle")

    def handle(self, *args: Any, **options: Any) -> None:
        from qualitas.core.background.worker import Worker

        if not 0.1 <= options["interval"] <= 60:
            self.stderr.write("--interval must be between 0.1 and 60 seconds.")
            raise SystemExit(2)
        worker = Worker(scheduler=not options["no_scheduler"], interval=options["interval"])
        self.stdout.write(f"Qualitas worker {worker.tasks.worker_id} running (Ctrl+C stops it).")
        worker.run_forever()
