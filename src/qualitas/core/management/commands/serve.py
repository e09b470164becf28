from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Serve Qualitas with Django's threaded server and an in-process worker and scheduler "
        "(embedded use). Production: gunicorn and `qualitas worker`, see docs/deploy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="do not run background work in-process")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(options["addrport"], worker=not options["no_worker"])


def local_base_url(addrport: str) -> None:
    """Locally, without ``QUALITAS_BASE_URL`` set, mails link to the address being served."""
    import os

    from django.conf import settings

    if not os.environ.get("QUALITAS_BASE_URL"):
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        settings.QUALITAS_BASE_URL = f"http://{host}"


def serve(addrport: str, *, worker: bool = True) -> None:
    """Django's threaded server, with the embedded worker and scheduler beside it."""
    from qualitas.core.background.worker import start_embedded

    local_base_url(addrport)

    running = start_embedded() if worker else None
    try:
        call_command("runserver", addrport, use_reloader=False, use_threading=True)
    finally:
        if running is not None:
            running.stop(timeout=5.0)
