import os
import sys
from pathlib import Path
from typing import Any

from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from qualitas.core.audit import checkpoints, verify_chain
from qualitas.core.audit.checkpoints import Checkpoint, CheckpointError
from qualitas.core.audit.coverage import check_coverage
from qualitas.core.models import AuditEvent, organization_model


class Command(BaseCommand):
    help = (
        "Audit trail tools. `qualitas audit verify` walks every chain and names the first broken event; "
        "`qualitas audit checkpoint` signs every chain head and keeps it outside the database."
    )

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
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="check against the checkpoints in FILE (default: the checkpoint directory's)",
        )
        checkpoint = sub.add_parser(
            "checkpoint", help="sign every chain head and store it outside the database"
        )
        checkpoint.add_argument("--org", default="", help="only this organization (short name)")
        checkpoint.add_argument(
            "--mail",
            action="append",
            default=[],
            metavar="ADDRESS",
            help="also send the checkpoints to ADDRESS",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        orgs = organization_model()._default_manager.order_by("pk")
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
            if not orgs.exists():
                raise CommandError(f"no organization with the short name {options['org']!r}", returncode=2)
        try:
            if options["subcommand"] == "checkpoint":
                self.checkpoint(list(orgs), options["mail"])
            else:
                self.verify(list(orgs), options)
        except (CheckpointError, OSError) as exc:
            raise CommandError(str(exc), returncode=2) from None

    def checkpoint(self, orgs: list[Any], mail: list[str]) -> None:
        secret = checkpoints.key(create=True)
        lines, broken = [], 0
        for org in orgs:
            taken = checkpoints.take(org, secret)
            if isinstance(taken, Checkpoint):
                lines.append(taken.line())
                self.stdout.write(lines[-1])
            else:
                broken += 1
                self.stderr.write(
                    f"{org.slug}: not signed, BROKEN at event #{taken.broken_seq}: {taken.problem}"
                )
        if mail and lines:
            send_mail("Qualitas audit checkpoint", "\n".join(lines) + "\n", None, mail)
        if broken:
            sys.exit(1)

    def verify(self, orgs: list[Any], options: dict[str, Any]) -> None:
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1", returncode=2)
        anchors = (
            [
                cp
                for name in options["checkpoint"]
                for cp in checkpoints.read(Path(name).read_text().splitlines())
            ]
            if options["checkpoint"]
            else checkpoints.stored()
        )
        secret = checkpoints.key() if anchors else b""
        broken = 0
        for org in orgs:
            total = AuditEvent.objects.filter(organization_id=org.pk).count()
            show = not options["quiet"] and total >= 50000 and sys.stderr.isatty()
            with tqdm(total=total, desc=org.slug, unit="ev", disable=not show, file=sys.stderr) as bar:
                result = verify_chain(org, progress=bar.update, jobs=options["jobs"])
            result = checkpoints.check(org, check_coverage(org, result), anchors, secret)
            if result.ok:
                self.stdout.write(f"{org.slug}: OK, {result.checked} events verified")
            else:
                broken += 1
                self.stdout.write(
                    f"{org.slug}: BROKEN at event #{result.broken_seq}: {result.problem} "
                    f"({result.checked} events verified before it)"
                )
        if not options["org"]:
            known = {str(org.uuid) for org in orgs}
            unknown = {cp.organization: cp.slug for cp in anchors if cp.organization not in known}
            for uuid, slug in sorted(unknown.items()):
                broken += 1
                self.stdout.write(
                    f"{slug}: BROKEN: checkpoints name organization {uuid}, not in the database"
                )
        if broken:
            sys.exit(1)
