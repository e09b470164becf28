"""qualitas jobs list [--organization SLUG] | qualitas jobs run KEY [--organization SLUG]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "List the scheduled jobs with their last and next run, or run one now (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("verb", choices=["list", "run"])
        parser.add_argument("key", nargs="?", help="the job to run (see `qualitas jobs list`)")
        parser.add_argument("--organization", help="short name of one organization (default: every one)")

    def handle(self, *args: Any, **options: Any) -> None:
        from qualitas.core.background import scheduler
        from qualitas.core.models import organization_model
        from qualitas.core.registry import registry

        orgs = organization_model().objects.order_by("slug")
        if options.get("organization"):
            orgs = orgs.filter(slug=options["organization"])
            if not orgs.exists():
                raise CommandError(
                    f"no organization with the short name {options['organization']!r}", returncode=2
                )
        if options["verb"] == "list":
            for org in orgs:
                self.stdout.write(f"{org.slug}:")
                for job, state in scheduler.states(org):
                    last = _when(state.last_finished_at)
                    nxt = _when(state.next_run_at) if state.next_run_at else "at the next tick"
                    result = (
                        state.last_result if state.status != "failed" else state.last_failure.splitlines()[0]
                    )
                    self.stdout.write(
                        f"  {job.key:<32} {job.every:<7} {state.status:<8} "
                        f"last {last:<16} next {nxt:<16} {result}"
                    )
            return
        key = options.get("key")
        if not key or key not in registry.schedules:
            raise CommandError(f"name a job to run: {', '.join(sorted(registry.schedules))}", returncode=2)
        failed = False
        for org in orgs:
            state = scheduler.run_job(org, key)
            line = state.last_result if state.status == "ok" else state.last_failure.splitlines()[0]
            self.stdout.write(f"{org.slug}: {key} {state.status}: {line}")
            failed = failed or state.status != "ok"
        if failed:
            raise SystemExit(1)


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "never"
