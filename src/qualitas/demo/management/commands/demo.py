from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from qualitas.demo.loader import DEMO_PASSWORD, demo_exists, load_demo, people


class Command(BaseCommand):
    help = "Create the database, load the demo organization once, print the logins and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database but do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES["default"]
        settings_dir = getattr(settings, "DATA_DIR", None)
        if settings_dir is not None:
            settings_dir.mkdir(parents=True, exist_ok=True)
        host = options["addrport"] if ":" in options["addrport"] else f"127.0.0.1:{options['addrport']}"
        from qualitas.core.management.commands.serve import local_base_url

        local_base_url(host)
        self.stdout.write(f"Qualitas demo at http://{host}/ once loaded.")
        self.logins()
        self.stdout.write(f"Database: {db['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        if demo_exists():
            self.stdout.write("The demo organization is already loaded.")
        else:
            self.stdout.write("Loading the demo organization (Northwind Precision Parts)…")
            load_demo(stdout=self.stdout)
            from django.db import connection

            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:  # fresh statistics for the query planner
                    cursor.execute("PRAGMA optimize")
                    cursor.execute("ANALYZE")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Qualitas demo: http://{host}/ (logins above, password {DEMO_PASSWORD})")
        )
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(f"Mail is written to files in {settings.EMAIL_FILE_PATH} (not sent).")
        self.stdout.write("")
        if not options["no_serve"]:
            from qualitas.core.management.commands.serve import serve

            serve(host)

    def logins(self) -> None:
        self.stdout.write(f"Every demo login uses the password: {DEMO_PASSWORD}")
        for person in people():
            self.stdout.write(f"  {person['username']:<11} {person['full_name']} – {person['job_title']}")
