"""`qualitas bench generate|run|load`: scale and speed tools (see docs/performance.md)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qualitas.bench.registry import SCALES


class Command(BaseCommand):
    help = "Scale and speed: generate a large organization, benchmark pages and APIs, run a load test."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        gen = sub.add_parser(
            "generate", help="bulk-write a large, realistic organization (valid audit chain)"
        )
        gen.add_argument("--scale", choices=sorted(SCALES), default="S")
        gen.add_argument("--org", required=True, help="name of the new organization")
        gen.add_argument("--seed", type=int, default=1)
        gen.add_argument("--until", default="", help="last day of the history (YYYY-MM-DD, default today)")
        gen.add_argument("--only", default="", help="comma-separated generator keys (default: all)")
        gen.add_argument(
            "--trace-memory", action="store_true", help="also report the Python heap peak (slower)"
        )

        run = sub.add_parser("run", help="measure p50/p95/max of pages, APIs and operations")
        run.add_argument("--org", default="", help="short name of the organization (default: the largest)")
        run.add_argument(
            "--url", default="", help="a running server, e.g. http://127.0.0.1:8000 (default in-process)"
        )
        run.add_argument("--repeat", type=int, default=20)
        run.add_argument("--json", default="", help="write the results to this file")
        run.add_argument("--only", default="", help="comma-separated target keys")
        run.add_argument("--no-operations", action="store_true", help="skip audit verify (and export)")
        run.add_argument("--export", action="store_true", help="also time a full export (slow at scale M)")

        load = sub.add_parser("load", help="50 simulated users reading and writing through the API")
        load.add_argument("--org", default="", help="short name of the organization (default: the largest)")
        load.add_argument(
            "--url", default="", help="a running server on 127.0.0.1 (default: start gunicorn -w 2)"
        )
        load.add_argument("--users", type=int, default=50)
        load.add_argument("--seconds", type=float, default=120.0)
        load.add_argument("--write-share", type=float, default=0.25, help="share of requests that write")
        load.add_argument("--json", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        handler = {"generate": self.generate, "run": self.run, "load": self.load}[options["subcommand"]]
        handler(options)

    def generate(self, options: dict[str, Any]) -> None:
        from qualitas.bench.generate import generate

        try:
            until = dt.date.fromisoformat(options["until"]) if options["until"] else None
        except ValueError:
            raise CommandError("--until must be a date like 2026-11-22", returncode=2) from None
        only = [k for k in options["only"].split(",") if k]
        try:
            report = generate(
                options["org"],
                SCALES[options["scale"]],
                seed=options["seed"],
                until=until,
                only=only,
                show_progress=not os.environ.get("CI"),
                trace_memory=options["trace_memory"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages), returncode=2) from None
        for line in report.lines():
            self.stdout.write(line)

    def run(self, options: dict[str, Any]) -> None:
        from qualitas.bench.run import print_table, run_benchmarks

        org = _organization(options["org"])
        only = [k for k in options["only"].split(",") if k]
        results = run_benchmarks(
            org,
            url=options["url"],
            repeat=max(1, options["repeat"]),
            only=only,
            operations=not options["no_operations"],
            export=options["export"],
            stdout=self.stdout,
        )
        print_table(results, self.stdout)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2, default=str))
            self.stdout.write(f"Wrote {options['json']}")

    def load(self, options: dict[str, Any]) -> None:
        from qualitas.bench.load import run_load_test

        org = _organization(options["org"])
        result = run_load_test(
            org,
            url=options["url"],
            users=options["users"],
            seconds=options["seconds"],
            write_share=options["write_share"],
            stdout=self.stdout,
        )
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(result, indent=2, default=str))
        if not result["ok"]:
            raise CommandError("the load test found errors or lost writes (see above)", returncode=1)


def _organization(slug: str) -> Any:
    from django.db.models import Count

    from qualitas.accounts.models import Organization

    if slug:
        org = Organization.objects.filter(slug=slug).first()
        if org is None:
            raise CommandError(f"no organization with the short name {slug!r}", returncode=2)
        return org
    org = Organization.objects.annotate(n=Count("memberships")).order_by("-n", "pk").first()
    if org is None:
        raise CommandError(
            "no organization yet: run `qualitas bench generate --org NAME` first", returncode=2
        )
    return org
